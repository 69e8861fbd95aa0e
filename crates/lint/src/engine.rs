//! Runs every rule family over a loaded site and applies `lint-allow=` and `[check.rules]`.

use std::collections::BTreeMap;

use coursebook_site::config::{key_location, RuleLevel, CONFIG_FILE};
use coursebook_site::Site;
use rayon::prelude::*;

use crate::context::ChapterCx;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::rules;

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fetch external links (slow; needs the network).
    pub external: bool,
    /// Show a progress bar for external links (on a terminal).
    pub progress: bool,
}

/// The findings of a check, sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the check fails: any error, or any warning when `deny_warnings`.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) > 0 || (deny_warnings && self.count(Severity::Warning) > 0)
    }
}

/// Runs every rule over `site`.
pub fn check(site: &Site, options: &Options) -> Result<Outcome> {
    let levels = levels(site)?;
    let mut diagnostics: Vec<Diagnostic> = (0..site.book.chapters.len())
        .into_par_iter()
        .flat_map_iter(|index| check_chapter(&ChapterCx::new(site, index)))
        .collect();
    if options.external && levels.get("external-broken") != Some(&RuleLevel::Off) {
        diagnostics.extend(crate::external::check(site, options.progress)?);
    }
    Ok(finish(diagnostics, &levels))
}

/// The rules that need nothing but the chapter (every family but external links).
pub fn check_chapter(cx: &ChapterCx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    crate::links::check(cx, &mut out);
    crate::text::check(cx, &mut out);
    crate::shell::check(cx, &mut out);
    crate::kubectl::check(cx, &mut out);
    crate::manifest::check(cx, &mut out);
    crate::practice::check(cx, &mut out);
    crate::versions::check(cx, &mut out);
    crate::quiz::check(cx, &mut out);
    out
}

/// Applies `[check.rules]` and sorts.
fn finish(diagnostics: Vec<Diagnostic>, levels: &BTreeMap<String, RuleLevel>) -> Outcome {
    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            match levels.get(d.rule) {
                Some(RuleLevel::Off) => return None,
                Some(RuleLevel::Error) => d.severity = Severity::Error,
                Some(RuleLevel::Warning) => d.severity = Severity::Warning,
                None => {}
            }
            Some(d)
        })
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Outcome { diagnostics }
}

/// `[check.rules]`, with every id checked against the registry.
fn levels(site: &Site) -> Result<BTreeMap<String, RuleLevel>> {
    validate_rules(&site.config)?;
    Ok(site.config.check.rules.clone())
}

/// Refuses a `[check.rules]` entry that names no rule, with its line in `book.toml`: `build`
/// and `serve` call this too, so a typo fails every command alike.
pub fn validate_rules(config: &coursebook_site::Config) -> Result<()> {
    for id in config.check.rules.keys() {
        if rules::find(id).is_none() {
            return Err(Error::UnknownRule {
                location: key_location(&config.root.join(CONFIG_FILE), &config.source, id),
                id: id.clone(),
            });
        }
    }
    Ok(())
}
