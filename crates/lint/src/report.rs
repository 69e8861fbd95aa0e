//! Prints an [`Outcome`] for people (rustc style, via annotate-snippets), machines (JSON) or
//! GitHub Actions (workflow annotations).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Outcome;

/// Rustc-style diagnostics, one after another, in colour when `color`.
pub fn human(outcome: &Outcome, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut text = String::new();
    for diagnostic in &outcome.diagnostics {
        let rendered = renderer.render(&[group(diagnostic)]);
        text.push_str(&file_column(rendered, diagnostic));
        text.push_str("\n\n");
    }
    text
}

/// `rendered` with the column of its `--> file:line:column` made the file's: annotate-snippets
/// counts it in `source_line`, which is a window of the line when the line was cut.
fn file_column(rendered: String, d: &Diagnostic) -> String {
    let column = (d.column + 1).saturating_sub(d.source_column.max(1)).max(1);
    if column == d.column {
        return rendered;
    }
    let file = d.file.to_string_lossy();
    let shown = format!("{file}:{}:{column}", d.line);
    let real = format!("{file}:{}:{}", d.line, d.column);
    rendered.replacen(&shown, &real, 1)
}

fn group(d: &Diagnostic) -> Group<'_> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule);
    // `source_line` may be a window of the line: count the column from its start.
    let column = (d.column + 1).saturating_sub(d.source_column.max(1)).max(1);
    let span = char_span(&d.source_line, column, d.width);
    let snippet = Snippet::source(d.source_line.as_str())
        .line_start(d.line)
        .path(d.file.to_string_lossy())
        .annotation(AnnotationKind::Primary.span(span));
    let group = title.element(snippet);
    match &d.help {
        Some(help) => group.element(Level::HELP.message(help.as_str())),
        None => group,
    }
}

/// The byte range of `width` characters from 1-based character `column` of `line`, clamped.
fn char_span(line: &str, column: usize, width: usize) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = byte_at(column.saturating_sub(1));
    let end = byte_at(column.saturating_sub(1) + width.max(1));
    start..end.max(start)
}

/// The closing line: counts, or that all is well.
pub fn summary(outcome: &Outcome, chapters: usize) -> String {
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    if errors + warnings == 0 {
        return format!("checked {chapters} chapters: no problems found");
    }
    format!(
        "checked {chapters} chapters: {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `{"diagnostics": [...], "errors": n, "warnings": n}`, pretty-printed.
pub fn json(outcome: &Outcome) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        diagnostics: &'a [Diagnostic],
        errors: usize,
        warnings: usize,
    }
    let document = Document {
        diagnostics: &outcome.diagnostics,
        errors: outcome.count(Severity::Error),
        warnings: outcome.count(Severity::Warning),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// One `::error file=…,line=…::message` workflow command per finding.
pub fn github(outcome: &Outcome) -> String {
    let mut text = String::new();
    for d in &outcome.diagnostics {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        text.push_str(&format!(
            "::{} file={},line={},col={},endColumn={},title={}::{}\n",
            d.severity.as_str(),
            escape_property(&d.file.to_string_lossy()),
            d.line,
            d.column,
            d.column + d.width,
            escape_property(d.rule),
            escape_data(&message)
        ));
    }
    text
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Outcome {
        Outcome {
            diagnostics: vec![Diagnostic {
                rule: "shell-syntax",
                severity: Severity::Error,
                file: "content/a.md".into(),
                line: 12,
                column: 6,
                width: 3,
                source_line: "echo → $((".to_owned(),
                source_column: 1,
                message: "unclosed `$((`".to_owned(),
                help: Some("close it, 100%".to_owned()),
            }],
        }
    }

    #[test]
    fn human_output_looks_like_rustc() {
        let text = human(&outcome(), false);
        assert!(
            text.starts_with("error[shell-syntax]: unclosed `$((`"),
            "{text}"
        );
        assert!(text.contains("--> content/a.md:12:6"), "{text}");
        assert!(text.contains("12 | echo → $(("), "{text}");
        assert!(text.contains("|      ^^^"), "{text}");
        assert!(text.contains("help: close it, 100%"), "{text}");
    }

    #[test]
    fn json_carries_every_field_and_the_counts() {
        let value: serde_json::Value = serde_json::from_str(&json(&outcome())).expect("json");
        assert_eq!(value["errors"], 1);
        assert_eq!(value["warnings"], 0);
        let d = &value["diagnostics"][0];
        assert_eq!(d["rule"], "shell-syntax");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["file"], "content/a.md");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(12), Some(6))
        );
    }

    #[test]
    fn github_annotations_escape_their_fields() {
        assert_eq!(
            github(&outcome()),
            "::error file=content/a.md,line=12,col=6,endColumn=9,title=shell-syntax::unclosed `$((`%0Ahelp: close it, 100%25\n"
        );
    }

    #[test]
    fn spans_never_leave_the_line() {
        assert_eq!(char_span("abc", 10, 5), 3..3);
        assert_eq!(char_span("a→c", 2, 1), 1..4);
        assert_eq!(char_span("", 1, 1), 0..0);
    }
}
