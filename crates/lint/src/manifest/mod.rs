//! Kubernetes manifests in YAML fences and heredocs: YAML syntax, unknown apiVersion/kind, wrong types and unknown fields, selectors that miss their pod template.
//!
//! YAML comes from ` ```yaml ` fences and from heredoc bodies in shell fences that feed
//! `kubectl apply -f -`, write a `.yaml` file, or look like a manifest. `yaml` loads it with
//! positions, `api` is the schema table generated from Kubernetes' JSON schemas, `kinds` maps
//! apiVersion/kind to its objects, `schema` and `selector`
//! check one object. `shell_scan` is the small scanner that finds heredocs (the practice
//! family uses it too).

pub(crate) mod api;
pub(crate) mod kinds;
pub(crate) mod schema;
pub(crate) mod selector;
pub(crate) mod shell_scan;
pub(crate) mod yaml;

use std::ops::Range;

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use coursebook_site::markdown::fence;

use kinds::Lookup;
use shell_scan::{Heredoc, ShellScan, Word};
use yaml::{Node, Source};

/// `yaml-syntax`.
pub(crate) const YAML_SYNTAX: Rule = Rule {
    id: "yaml-syntax",
    family: "manifests",
    severity: Severity::Error,
    summary: "YAML in a fence or a heredoc does not parse",
};

/// `k8s-unknown-kind`.
pub(crate) const UNKNOWN_KIND: Rule = Rule {
    id: "k8s-unknown-kind",
    family: "manifests",
    severity: Severity::Error,
    summary:
        "an apiVersion/kind pair that Kubernetes does not serve (removed beta, wrong group, typo)",
};

/// `k8s-schema`.
pub(crate) const SCHEMA: Rule = Rule {
    id: "k8s-schema",
    family: "manifests",
    severity: Severity::Error,
    summary: "a manifest field of the wrong type or unknown to its kind",
};

/// `k8s-selector-mismatch`.
pub(crate) const SELECTOR_MISMATCH: Rule = Rule {
    id: "k8s-selector-mismatch",
    family: "manifests",
    severity: Severity::Error,
    summary: "a workload whose spec.selector does not match its pod template's labels",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[YAML_SYNTAX, UNKNOWN_KIND, SCHEMA, SELECTOR_MISMATCH];

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for snippet in cx.snippets() {
        for finding in check_scanned(snippet.code(), snippet.lang(), snippet.scan()) {
            let diagnostic = finding.into_diagnostic(&snippet);
            snippet.report(out, diagnostic);
        }
    }
}

/// A finding inside one snippet, before it is placed in the markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// Its rule.
    pub rule: &'static Rule,
    /// Byte range of the snippet's code.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Finding {
    /// A finding of `rule`.
    pub(crate) fn new(
        rule: &'static Rule,
        range: Range<usize>,
        message: String,
        help: Option<String>,
    ) -> Self {
        Finding {
            rule,
            range,
            message,
            help,
        }
    }

    fn schema(range: Range<usize>, message: String, help: Option<String>) -> Self {
        Finding::new(&SCHEMA, range, message, help)
    }

    fn selector(range: Range<usize>, message: String, help: Option<String>) -> Self {
        Finding::new(&SELECTOR_MISMATCH, range, message, help)
    }

    /// The diagnostic, located in the markdown file.
    pub(crate) fn into_diagnostic(self, snippet: &crate::context::SnippetCx<'_>) -> Diagnostic {
        let diagnostic = snippet.diagnostic(self.rule, self.range, self.message);
        match self.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// Every finding of this family in a code block of language `lang`.
#[cfg(test)]
pub(crate) fn check_code(code: &str, lang: &str) -> Vec<Finding> {
    check_scanned(code, lang, &shell_scan::of_block(code, lang))
}

/// The findings of a code block whose shell scan is `scan`.
fn check_scanned(code: &str, lang: &str, scan: &ShellScan) -> Vec<Finding> {
    let mut out = Vec::new();
    for source in sources(code, lang, scan) {
        check_source(code, &source, &mut out);
    }
    out
}

/// The YAML texts of a code block: the whole of a YAML fence, or the manifest heredocs of a
/// shell fence. Templated YAML (`{{ .Values.x }}`) is not YAML until rendered: skipped.
fn sources(code: &str, lang: &str, scan: &ShellScan) -> Vec<Source> {
    let sources = match lang {
        "yaml" | "yml" => vec![Source::whole(code)],
        _ if fence::is_shell(lang) => {
            // Many heredocs can share one command line: judge each line once.
            let mut writes_yaml: Vec<Option<bool>> = vec![None; scan.lines.len()];
            scan.heredocs
                .iter()
                .filter(|heredoc| {
                    let line = writes_yaml.get_mut(heredoc.line);
                    let line_says = match line {
                        Some(Some(known)) => *known,
                        Some(slot) => *slot.insert(command_writes_yaml(scan.command_of(heredoc))),
                        None => false,
                    };
                    line_says || looks_like_manifest(code, heredoc)
                })
                .map(|heredoc| Source::from_lines(code, heredoc.body.iter().cloned()))
                .collect()
        }
        _ => Vec::new(),
    };
    sources
        .into_iter()
        .filter(|source| !(source.text.contains("{{") && source.text.contains("}}")))
        .collect()
}

/// Whether a heredoc's command line makes it YAML: it feeds `kubectl ... -f -` or is written to
/// a `.yaml` file (else [`looks_like_manifest`] reads its body).
fn command_writes_yaml(words: &[Word]) -> bool {
    feeds_kubectl(words)
        || words
            .iter()
            .any(|w| !w.operator && (w.text.ends_with(".yaml") || w.text.ends_with(".yml")))
}

/// Whether a heredoc's body has top-level `apiVersion:` and `kind:` lines.
fn looks_like_manifest(code: &str, heredoc: &Heredoc) -> bool {
    let line = |prefix: &str| {
        heredoc.body.iter().any(|range| {
            code.get(range.clone())
                .is_some_and(|l| l.starts_with(prefix))
        })
    };
    line("apiVersion:") && line("kind:")
}

/// `kubectl apply|create|replace|diff -f -` (or `-f /dev/stdin`) on the heredoc's line.
fn feeds_kubectl(words: &[Word]) -> bool {
    let has = |text: &str| words.iter().any(|w| w.text == text);
    let reads_stdin = words.windows(2).any(|pair| {
        matches!(pair[0].text.as_str(), "-f" | "--filename")
            && matches!(pair[1].text.as_str(), "-" | "/dev/stdin")
    }) || words.iter().any(|w| {
        matches!(
            w.text.as_str(),
            "-f-" | "--filename=-" | "--filename=/dev/stdin"
        )
    });
    words.iter().any(|w| w.text.ends_with("kubectl"))
        && ["apply", "create", "replace", "diff"]
            .iter()
            .any(|v| has(v))
        && reads_stdin
}

/// Parses one YAML text and checks each of its documents.
fn check_source(code: &str, source: &Source, out: &mut Vec<Finding>) {
    match yaml::load(code, source) {
        Err(error) => out.push(Finding::new(
            &YAML_SYNTAX,
            error.offset..error.offset + 1,
            format!("YAML does not parse: {}", error.message),
            syntax_help(code, error.offset),
        )),
        Ok(documents) => {
            for document in documents.iter().flatten() {
                check_document(document, out);
            }
        }
    }
}

fn syntax_help(code: &str, offset: usize) -> Option<String> {
    let line_start = code.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = code.get(line_start..)?.lines().next()?;
    if line.trim_start_matches(' ').starts_with('\t') {
        return Some("YAML indents with spaces, never tabs".to_owned());
    }
    Some("check the indentation and the `key: value` / `- item` structure around here".to_owned())
}

/// Checks one document when it is a Kubernetes object (has a string `apiVersion` and `kind`).
fn check_document(document: &Node, out: &mut Vec<Finding>) {
    let (Some(api_version), Some(kind)) = (document.entry("apiVersion"), document.entry("kind"))
    else {
        return;
    };
    let (Some(api_version_text), Some(kind_text)) =
        (api_version.value.as_str(), kind.value.as_str())
    else {
        return;
    };
    if api_version.value.has_stand_in() || kind.value.has_stand_in() {
        return;
    }
    match kinds::lookup(api_version_text, kind_text) {
        Lookup::Known(known) => {
            schema::check(document, known, out);
            selector::check(document, known, out);
        }
        Lookup::Unknown {
            message,
            help,
            blame_kind,
        } => {
            let value = if blame_kind {
                &kind.value
            } else {
                &api_version.value
            };
            let width = if blame_kind {
                kind_text.len()
            } else {
                api_version_text.len()
            };
            out.push(Finding::new(
                &UNKNOWN_KIND,
                value.offset..value.offset + width.max(1),
                message,
                Some(help),
            ));
        }
        Lookup::Unchecked | Lookup::Foreign => {}
    }
}

#[cfg(test)]
mod tests;
