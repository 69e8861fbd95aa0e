//! External links (opt-in with `--external`): every `http(s)` link of the book fetched once,
//! concurrently with a per-host limit, a timeout and retries, with good results kept in an
//! on-disk cache for `max-age`; a `#fragment` is checked against the ids of the fetched HTML.
//!
//! [`settings`] reads `[check.external]`, [`address`] turns a link into the URL to fetch,
//! [`fetch`] does one URL (ureq; why is said there), [`pool`] runs them, [`cache`] remembers
//! them and [`fragment`] reads the ids of a page.

pub(crate) mod address;
pub(crate) mod cache;
pub(crate) mod fetch;
pub(crate) mod fragment;
pub(crate) mod pool;
pub(crate) mod settings;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use coursebook_site::markdown::links::LinkTarget;
use coursebook_site::Site;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Result;
use address::Parsed;
use cache::Cache;
use fetch::{Fetcher, Outcome};
use settings::Settings;

const BROKEN: Rule = Rule {
    id: "external-broken",
    family: "links",
    severity: Severity::Error,
    summary: "an external link answers 4xx, 5xx (after retries), or its host cannot be reached",
};
const UNAVAILABLE: Rule = Rule {
    id: "external-unavailable",
    family: "links",
    severity: Severity::Warning,
    summary:
        "an external link could not be checked: 429 Too Many Requests or timeouts after retries",
};
const MISSING_FRAGMENT: Rule = Rule {
    id: "external-missing-fragment",
    family: "links",
    severity: Severity::Error,
    summary: "an external link's `#fragment` names no element of the fetched HTML page",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[BROKEN, UNAVAILABLE, MISSING_FRAGMENT];

const EXCLUDE_HINT: &str =
    "add a pattern for it to `exclude` under `[check.external]` in book.toml";

/// One place a URL is linked from.
#[derive(Debug, Clone)]
struct Occurrence {
    /// Index of the chapter in `site.book.chapters`.
    chapter: usize,
    /// Index of the link in the chapter's `links`.
    link: usize,
    /// The text after `#`, if any.
    fragment: Option<String>,
}

/// One URL to fetch, with every link to it.
#[derive(Debug)]
struct Target {
    url: String,
    host: String,
    occurrences: Vec<Occurrence>,
}

impl Target {
    /// Whether a link to it has a fragment that needs the page's ids.
    fn wants_ids(&self) -> bool {
        self.occurrences.iter().any(|o| {
            o.fragment
                .as_deref()
                .is_some_and(|f| !fragment::is_always_valid(f, &self.host))
        })
    }
}

/// Fetches every external link of `site`, showing a progress bar when `progress`.
pub(crate) fn check(site: &Site, progress: bool) -> Result<Vec<Diagnostic>> {
    let settings = Settings::from_site(site)?;
    cache::ensure_replaceable(&settings.cache)?;
    Ok(check_with(site, &settings, progress))
}

/// [`check`] with `settings` already made (tests shorten the timeouts and backoffs).
fn check_with(site: &Site, settings: &Settings, progress: bool) -> Vec<Diagnostic> {
    let chapters: Vec<ChapterCx<'_>> = (0..site.book.chapters.len())
        .map(|i| ChapterCx::new(site, i))
        .collect();
    let mut out = Vec::new();
    let targets = collect(&chapters, settings, &mut out);
    if targets.is_empty() {
        return out;
    }
    let mut cache = Cache::load(&settings.cache, settings.max_age);
    let outcomes = fetch_all(&targets, &cache, settings, progress);
    for (target, outcome) in targets.iter().zip(&outcomes) {
        cache.record(&target.url, outcome);
        report(&chapters, target, outcome, &mut out);
    }
    cache.save();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// The URLs to fetch, in order; links that cannot be fetched are reported into `out`.
fn collect(
    chapters: &[ChapterCx<'_>],
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    let mut targets: BTreeMap<String, Target> = BTreeMap::new();
    for (chapter, cx) in chapters.iter().enumerate() {
        for (index, link) in cx.rendered.links.iter().enumerate() {
            if link.target != LinkTarget::External || settings.excludes(&link.dest) {
                continue;
            }
            let address = match address::parse(&link.dest) {
                Parsed::Web(address) if !settings.excludes(&address.url) => address,
                Parsed::Web(_) | Parsed::OtherScheme => continue,
                unfetchable => {
                    out.extend(unfetchable_finding(cx, index, unfetchable));
                    continue;
                }
            };
            let occurrence = Occurrence {
                chapter,
                link: index,
                fragment: address.fragment,
            };
            targets
                .entry(address.url.clone())
                .or_insert_with(|| Target {
                    url: address.url,
                    host: address.host,
                    occurrences: Vec::new(),
                })
                .occurrences
                .push(occurrence);
        }
    }
    targets.into_values().collect()
}

/// The finding for link `index` of `cx` when it is an http(s) URL that cannot be fetched.
fn unfetchable_finding(cx: &ChapterCx<'_>, index: usize, parsed: Parsed) -> Option<Diagnostic> {
    let dest = &cx.rendered.links[index].dest;
    let finding = match parsed {
        Parsed::Invalid(reason) => locate(
            cx,
            index,
            &BROKEN,
            format!("external link `{dest}` is not a valid URL: {reason}"),
        )
        .with_help(format!("correct the URL, or {EXCLUDE_HINT}")),
        Parsed::InternationalHost => locate(
            cx,
            index,
            &UNAVAILABLE,
            format!("external link `{dest}` has a host name with non-ASCII letters, which is not checked"),
        )
        .with_help(format!(
            "write the host in its punycode form (`xn--...`), or {EXCLUDE_HINT}"
        )),
        Parsed::Web(_) | Parsed::OtherScheme => return None,
    };
    Some(finding)
}

/// The outcome of every target, from the cache when it is fresh and from the network
/// otherwise.
fn fetch_all(
    targets: &[Target],
    cache: &Cache,
    settings: &Settings,
    progress: bool,
) -> Vec<Outcome> {
    let bar = progress_bar(targets.len(), progress);
    let cached: Vec<Option<Outcome>> = targets
        .iter()
        .map(|t| cache.fresh(&t.url, t.wants_ids()).cloned())
        .collect();
    let to_fetch: Vec<usize> = (0..targets.len())
        .filter(|&i| cached[i].is_none())
        .collect();
    bar.inc((targets.len() - to_fetch.len()) as u64);
    let hosts: Vec<String> = to_fetch.iter().map(|&i| targets[i].host.clone()).collect();
    let fetcher = Fetcher::new(settings);
    let mut fetched = pool::run(&hosts, settings.concurrency, settings.per_host, |job| {
        let target = &targets[to_fetch[job]];
        let fetch = || fetcher.fetch(&target.url, &target.host, target.wants_ids());
        let outcome = catch_unwind(AssertUnwindSafe(fetch)).unwrap_or_else(|_| Outcome::Broken {
            reason: "the checker failed on this URL (a bug: please report it)".to_owned(),
        });
        bar.set_message(target.url.clone());
        bar.inc(1);
        outcome
    })
    .into_iter();
    bar.finish_and_clear();
    cached
        .into_iter()
        .map(|c| {
            c.or_else(|| fetched.next())
                .unwrap_or(Outcome::Unavailable {
                    reason: "not fetched".to_owned(),
                })
        })
        .collect()
}

/// A bar on stderr counting URLs, or a hidden one.
fn progress_bar(len: usize, visible: bool) -> ProgressBar {
    let target = if visible {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    if let Ok(style) =
        ProgressStyle::with_template("checking external links {pos}/{len} {bar:30} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// The findings of `outcome` at every link to `target`.
fn report(
    chapters: &[ChapterCx<'_>],
    target: &Target,
    outcome: &Outcome,
    out: &mut Vec<Diagnostic>,
) {
    for occurrence in &target.occurrences {
        let cx = &chapters[occurrence.chapter];
        let dest = &cx.rendered.links[occurrence.link].dest;
        let finding = match outcome {
            Outcome::Broken { reason } => locate(
                cx,
                occurrence.link,
                &BROKEN,
                format!("broken external link `{dest}`: {reason}"),
            )
            .with_help(format!("fix or remove the link, or {EXCLUDE_HINT}")),
            Outcome::Unavailable { reason } => locate(
                cx,
                occurrence.link,
                &UNAVAILABLE,
                format!("external link `{dest}` could not be checked: {reason}"),
            )
            .with_help(format!("run the check again later, or {EXCLUDE_HINT}")),
            Outcome::Ok {
                ids: Some(ids),
                partial,
                ..
            } => {
                let Some(fragment) = occurrence.fragment.as_deref() else {
                    continue;
                };
                if fragment::is_always_valid(fragment, &target.host)
                    || fragment::has_fragment(ids, fragment)
                {
                    continue;
                }
                if let Some(why) = partial {
                    let finding = locate(
                        cx,
                        occurrence.link,
                        &UNAVAILABLE,
                        format!(
                            "`#{fragment}` could not be checked: `{}` {why}, and the part read \
                             has no element with that id",
                            target.url
                        ),
                    )
                    .with_help(format!(
                        "link to a smaller page or an earlier id, or {EXCLUDE_HINT}"
                    ));
                    out.push(finding);
                    continue;
                }
                locate(
                    cx,
                    occurrence.link,
                    &MISSING_FRAGMENT,
                    format!("`{}` has no element with id `{fragment}`", target.url),
                )
                .with_help(format!(
                    "link to an id the page has (or drop the `#{fragment}`), or {EXCLUDE_HINT}"
                ))
            }
            Outcome::Ok { .. } => continue,
        };
        out.push(finding);
    }
}

/// A finding at link `index` of the chapter, underlining the URL when it is on the link's line.
fn locate(cx: &ChapterCx<'_>, index: usize, rule: &'static Rule, message: String) -> Diagnostic {
    let link = &cx.rendered.links[index];
    let (column, width) = span(cx.line_text(link.line), link.column, &link.dest);
    cx.diagnostic(rule, link.line, column, width, message)
}

/// The character column and width of `dest` on `line`, searched from character `column`
/// (where the link starts); the link's start when it is not there (a reference definition
/// elsewhere).
fn span(line: Option<&str>, column: usize, dest: &str) -> (usize, usize) {
    let Some(line) = line else {
        return (column, 1);
    };
    let from = (line.char_indices().map(|(byte, _)| byte))
        .nth(column.saturating_sub(1))
        .unwrap_or(line.len());
    let column_of = |byte: usize| line[..byte].chars().count() + 1;
    match line[from..].find(dest) {
        Some(offset) if !dest.is_empty() => (column_of(from + offset), dest.chars().count()),
        _ => (column_of(from), 1),
    }
}
