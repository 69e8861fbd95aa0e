//! One finding of a rule: what, where (file, line, column, span), and how to fix it.

use std::path::PathBuf;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; fails the check only with `--deny warnings`.
    Warning,
    /// Fails the check.
    Error,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A lint rule's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, used in output, `lint-allow=` and `[check.rules]`.
    pub id: &'static str,
    /// The family it belongs to (`links`, `shell`, `kubectl`, `manifests`, `practice`,
    /// `quizzes`, `text`).
    pub family: &'static str,
    /// Its severity unless `book.toml` says otherwise.
    pub severity: Severity,
    /// What it finds, for `coursebook check --list-rules`.
    pub summary: &'static str,
}

/// A finding, located in a file of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's id (`shell-syntax`).
    pub rule: &'static str,
    /// After `book.toml`'s overrides.
    pub severity: Severity,
    /// The file, as a path the user can open.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
    /// The text of the offending line around the finding, without its newline: a long line
    /// is cut to a window around the column, with `…` where it was cut.
    pub source_line: String,
    /// The 1-based character column of `source_line`'s first character in the file's line
    /// (1 unless the line was cut before the finding).
    pub source_column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, in one line, when there is something to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Sort key: file, then position, then rule.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &'static str) {
        (&self.file, self.line, self.column, self.rule)
    }
}
