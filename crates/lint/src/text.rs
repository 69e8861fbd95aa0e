//! Text: mojibake (UTF-8 read as Windows-1252 or Mac Roman), with the repaired text as the
//! suggestion; and `lint-allow=` attributes that name no rule.

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;

const MOJIBAKE: Rule = Rule {
    id: "mojibake",
    family: "text",
    severity: Severity::Error,
    summary: "UTF-8 text that was decoded as another encoding (`â€™`, `‚Äî`)",
};

const UNKNOWN_ALLOW: Rule = Rule {
    id: "lint-allow-unknown",
    family: "text",
    severity: Severity::Warning,
    summary: "a `lint-allow=` attribute naming a rule that does not exist",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[MOJIBAKE, UNKNOWN_ALLOW, crate::engine::LEFT_OUT];

/// The encodings UTF-8 is most often misread as.
const MISREADINGS: [(&Encoding, &str); 2] =
    [(WINDOWS_1252, "Windows-1252"), (MACINTOSH, "Mac Roman")];

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, line) in cx.chapter.body.lines().enumerate() {
        let line_number = cx.chapter.body_line + i;
        // Columns counted from the last run on, so a long line is walked once.
        let (mut counted, mut chars) = (0, 0);
        for (start, run) in non_ascii_runs(line) {
            let Some((repaired, encoding)) = repair(run) else {
                continue;
            };
            chars += line[counted..start].chars().count();
            counted = start;
            let column = chars + 1;
            let message = format!("mojibake `{run}`: UTF-8 text read as {encoding}");
            out.push(
                cx.diagnostic(&MOJIBAKE, line_number, column, run.chars().count(), message)
                    .with_help(format!("replace it with `{repaired}`")),
            );
        }
    }
    for snippet in cx.snippets() {
        for id in snippet.allowed() {
            if rules::find(id).is_none() {
                let message = format!("`lint-allow={id}` names no rule");
                let (line, column) = (snippet.snippet.line.saturating_sub(1), 1);
                out.push(
                    cx.diagnostic(&UNKNOWN_ALLOW, line, column, 3, message)
                        .with_help("`coursebook check --list-rules` lists the rule ids"),
                );
            }
        }
    }
}

/// Each maximal run of non-ASCII characters with its byte offset.
fn non_ascii_runs(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = line.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.by_ref().find(|(_, c)| !c.is_ascii())?;
        let mut end = line.len();
        while let Some(&(i, c)) = rest.peek() {
            if c.is_ascii() {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, &line[start..end]))
    })
}

/// The text `run` was before it was misread, and the encoding that misread it: only when
/// encoding the run back gives valid UTF-8 that is not plain ASCII and differs from it.
fn repair(run: &str) -> Option<(String, &'static str)> {
    MISREADINGS.iter().find_map(|(encoding, name)| {
        let (bytes, _, unmappable) = encoding.encode(run);
        if unmappable {
            return None;
        }
        let repaired = std::str::from_utf8(&bytes).ok()?;
        (repaired != run && !repaired.is_ascii()).then(|| (repaired.to_owned(), *name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{check_markdown, rules_in};

    #[test]
    fn mojibake_from_both_encodings_is_found_and_repaired() {
        assert_eq!(repair("â€™").map(|r| r.0), Some("’".to_owned()));
        assert_eq!(repair("‚Üí").map(|r| r.0), Some("→".to_owned()));
        assert_eq!(repair("‚Äî").map(|r| r.1), Some("Mac Roman"));
        let found = check_markdown("# T\n\nA ‚Üí B, and it‚Äôs `x‚Üíy`.\n");
        let rules: Vec<_> = found.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["mojibake"; 3]);
        assert_eq!((found[0].line, found[0].column, found[0].width), (3, 3, 3));
        assert_eq!(found[0].help.as_deref(), Some("replace it with `→`"));
    }

    #[test]
    fn real_non_ascii_text_is_quiet() {
        let md = "# Café\n\nNaïve → façade — “quoted” ‘x’ 日本語 ✓ µs ±1 ≥ 2 é.\n";
        assert!(rules_in(md).is_empty(), "{:?}", check_markdown(md));
    }

    #[test]
    fn unknown_lint_allow_ids_are_reported() {
        let md = "# T\n\n```text lint-allow=mojibake,no-such-rule\nhi\n```\n";
        assert_eq!(rules_in(md), ["lint-allow-unknown"]);
    }
}
