//! Runs every rule family over a loaded site and applies `lint-allow=` and `[check.rules]`.

use std::collections::BTreeMap;

use coursebook_site::config::{key_location, RuleLevel, CONFIG_FILE};
use coursebook_site::Site;
use rayon::prelude::*;

use crate::context::ChapterCx;
use crate::diagnostic::{Diagnostic, Rule, Severity};
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

/// Findings shown on one line of a chapter; the rest are counted in one note.
pub(crate) const MAX_PER_LINE: usize = 10;
/// Findings shown for one chapter; the rest are counted in one note.
pub(crate) const MAX_PER_CHAPTER: usize = 200;

/// The note that stands for the findings left out of a line or a chapter.
pub(crate) const LEFT_OUT: Rule = Rule {
    id: "findings-left-out",
    family: "text",
    severity: Severity::Warning,
    summary: "more findings than are shown on one line (10) or in one chapter (200): how many were left out",
};

/// Runs every rule over `site`.
pub fn check(site: &Site, options: &Options) -> Result<Outcome> {
    let levels = levels(site)?;
    let mut diagnostics: Vec<Diagnostic> = (0..site.book.chapters.len())
        .into_par_iter()
        .flat_map_iter(|index| {
            let cx = ChapterCx::new(site, index);
            cap(&cx, apply_levels(check_chapter(&cx), &levels))
        })
        .collect();
    if options.external && levels.get("external-broken") != Some(&RuleLevel::Off) {
        diagnostics.extend(crate::external::check(site, options.progress)?);
    }
    Ok(finish(diagnostics, &levels))
}

/// The rules that need nothing but the chapter (every family but external links).
pub(crate) fn check_chapter(cx: &ChapterCx<'_>) -> Vec<Diagnostic> {
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

/// Keeps at most [`MAX_PER_LINE`] findings of a line and [`MAX_PER_CHAPTER`] of a chapter
/// (the first ones, by position), and says how many were left out: a note on each line that
/// lost some, and one for the chapter.
fn cap(cx: &ChapterCx<'_>, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.len() <= MAX_PER_LINE.min(MAX_PER_CHAPTER) {
        return diagnostics;
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut kept = Vec::new();
    let mut line_notes = Vec::new();
    let (mut line, mut on_line, mut left_on_line, mut first_left) = (0, 0, 0, 1);
    let mut left_in_chapter: Option<(usize, usize)> = None;
    for diagnostic in diagnostics {
        if diagnostic.line != line {
            if left_on_line > 0 {
                line_notes.push((line, first_left, left_on_line));
            }
            (line, on_line, left_on_line) = (diagnostic.line, 0, 0);
        }
        if on_line >= MAX_PER_LINE {
            if left_on_line == 0 {
                first_left = diagnostic.column;
            }
            left_on_line += 1;
        } else if kept.len() >= MAX_PER_CHAPTER {
            let (_, count) = left_in_chapter.get_or_insert((diagnostic.line, 0));
            *count += 1;
        } else {
            on_line += 1;
            kept.push(diagnostic);
        }
    }
    if left_on_line > 0 {
        line_notes.push((line, first_left, left_on_line));
    }
    let kept_lines: std::collections::BTreeSet<usize> = kept.iter().map(|d| d.line).collect();
    for (line, column, count) in line_notes {
        if kept_lines.contains(&line) {
            let message = format!(
                "{count} more finding{} on this line left out (at most {MAX_PER_LINE} per line are shown)",
                plural(count)
            );
            kept.push(cx.diagnostic(&LEFT_OUT, line, column, 1, message));
        } else {
            let entry = left_in_chapter.get_or_insert((line, 0));
            entry.1 += count;
        }
    }
    if let Some((line, count)) = left_in_chapter {
        let message = format!(
            "{count} more finding{} in this chapter left out (at most {MAX_PER_CHAPTER} per chapter are shown)",
            plural(count)
        );
        kept.push(cx.diagnostic(&LEFT_OUT, line, 1, 1, message));
    }
    kept
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Applies `[check.rules]` and sorts.
fn finish(diagnostics: Vec<Diagnostic>, levels: &BTreeMap<String, RuleLevel>) -> Outcome {
    let mut diagnostics = apply_levels(diagnostics, levels);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Outcome { diagnostics }
}

/// Drops the findings of rules that are off and sets the severity `book.toml` gives.
fn apply_levels(
    diagnostics: Vec<Diagnostic>,
    levels: &BTreeMap<String, RuleLevel>,
) -> Vec<Diagnostic> {
    diagnostics
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
        .collect()
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
