//! kubectl usage: unknown subcommands and flags (from a table generated from kubectl's help), resources used after they were deleted, `--rm` without `--restart=Never`.
//!
//! Commands come from the shell family's parse ([`crate::shell::parse`]): kubectl is found in
//! pipelines, after `sudo`, `&&`, inside `$(...)` and `watch`.

mod invocation;
mod lifecycle;
mod resources;
mod table;

use crate::context::{ChapterCx, SnippetCx};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::shell;

use invocation::Problem;
use lifecycle::Lifecycle;
use table::Spec;

/// A kubectl subcommand that does not exist.
pub(crate) const UNKNOWN_COMMAND: Rule = Rule {
    id: "kubectl-unknown-command",
    family: "kubectl",
    severity: Severity::Error,
    summary: "a kubectl subcommand that kubectl does not have (plugins included)",
};

/// A flag that the kubectl subcommand does not have.
pub(crate) const UNKNOWN_FLAG: Rule = Rule {
    id: "kubectl-unknown-flag",
    family: "kubectl",
    severity: Severity::Error,
    summary: "a flag that the kubectl subcommand does not have",
};

/// A resource used after the command that deleted it.
pub(crate) const USE_AFTER_DELETE: Rule = Rule {
    id: "kubectl-use-after-delete",
    family: "kubectl",
    severity: Severity::Error,
    summary: "a resource used after an earlier command of the chapter deleted it",
};

/// `kubectl run --rm` without `--restart=Never`.
pub(crate) const RM_WITHOUT_RESTART_NEVER: Rule = Rule {
    id: "kubectl-rm-without-restart-never",
    family: "kubectl",
    severity: Severity::Warning,
    summary: "`kubectl run --rm` without `--restart=Never`",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[
    UNKNOWN_COMMAND,
    UNKNOWN_FLAG,
    USE_AFTER_DELETE,
    RM_WITHOUT_RESTART_NEVER,
];

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    let table = table::table();
    let mut lifecycle = Lifecycle::default();
    let mut reported = 0;
    for snippet in cx.snippets() {
        let Some(script) = shell::parse(&snippet) else {
            continue;
        };
        for command in &script.commands {
            let Some(at) = invocation::find_kubectl(&command.words) else {
                continue;
            };
            let mut problems = Vec::new();
            let words = command.words.get(at + 1..).unwrap_or_default();
            let read = invocation::read(table, words, &mut problems);
            for problem in problems {
                // Past what a chapter shows, a finding is only counted: skip its suggestion.
                let diagnostic = if reported < crate::engine::MAX_PER_CHAPTER {
                    problem_diagnostic(&snippet, &problem)
                } else {
                    problem_counted(&snippet, &problem)
                };
                reported += 1;
                snippet.report(out, diagnostic);
            }
            if let Some(invocation) = read {
                lifecycle.apply(&snippet, &invocation, command, script, out);
            }
        }
    }
}

/// The finding for `problem` without the search for a suggestion.
fn problem_counted(snippet: &SnippetCx<'_>, problem: &Problem) -> Diagnostic {
    match problem {
        Problem::UnknownCommand { span, word, .. } => snippet.diagnostic(
            &UNKNOWN_COMMAND,
            span.clone(),
            format!("`kubectl {word}` is not a kubectl command"),
        ),
        Problem::UnknownFlag {
            span,
            flag,
            command,
        } => snippet.diagnostic(
            &UNKNOWN_FLAG,
            span.clone(),
            format!("`{}` has no flag `{flag}`", command.display()),
        ),
    }
}

fn problem_diagnostic(snippet: &SnippetCx<'_>, problem: &Problem) -> Diagnostic {
    let table = table::table();
    match problem {
        Problem::UnknownCommand { span, word, parent } => {
            let (message, fallback) = if parent.path.is_empty() {
                (
                    format!(
                        "`kubectl {word}` is not a kubectl command (kubectl {})",
                        table.version
                    ),
                    "a plugin is unknown to the checker: add `lint-allow=kubectl-unknown-command` \
                     to the fence if it is one"
                        .to_owned(),
                )
            } else {
                (
                    format!("`{word}` is not a subcommand of `{}`", parent.display()),
                    format!("its subcommands: {}", parent.subcommands().join(", ")),
                )
            };
            let help = suggest(word, parent.subcommands().iter().map(String::as_str))
                .map_or(fallback, |s| {
                    format!("did you mean `{} {s}`?", parent.display())
                });
            snippet
                .diagnostic(&UNKNOWN_COMMAND, span.clone(), message)
                .with_help(help)
        }
        Problem::UnknownFlag {
            span,
            flag,
            command,
        } => snippet
            .diagnostic(
                &UNKNOWN_FLAG,
                span.clone(),
                format!("`{}` has no flag `{flag}`", command.display()),
            )
            .with_help(flag_help(flag, command)),
    }
}

fn flag_help(flag: &str, command: &'static Spec) -> String {
    let table = table::table();
    let name = flag.trim_start_matches('-');
    let suggestion = if flag.starts_with("--") {
        suggest(name, table.long_names(command))
    } else {
        None
    };
    match suggestion {
        Some(s) => format!("did you mean `--{s}`?"),
        None => format!(
            "see `{} --help` (the table is from kubectl {})",
            command.display(),
            table.version
        ),
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    let limit = (length / 3).clamp(1, 3);
    candidates
        // A length further off than the limit is further off in edits too: this keeps the cost
        // of a suggestion bounded by the candidates' length, however long the word.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance where a swap of two neighbours counts as one edit (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests;
