//! `shell-placeholder-redirect`: a `<placeholder>` outside quotes is a redirection to bash
//! (`kubectl label nodes <worker1> disktype=ssd` reads a file `worker1` and writes a file
//! `disktype=ssd`). The convention suggested instead: a shell variable named after the
//! placeholder, set once and quoted where it is used (`WORKER1=...`, then `"$WORKER1"`).

use std::ops::Range;

use crate::context::SnippetCx;
use crate::diagnostic::Diagnostic;

use super::parse::{Prepared, Script, Word};
use super::PLACEHOLDER_REDIRECT;

/// Reports every placeholder that sits unquoted in a word of `script`.
pub(super) fn check(
    snippet: &SnippetCx<'_>,
    prepared: &Prepared,
    script: &Script,
    out: &mut Vec<Diagnostic>,
) {
    let code = snippet.code();
    // One sweep over placeholders and words, both in order of their start: `active` holds
    // the words that started before the placeholder and have not ended (the words around it).
    let mut words: Vec<&Word> = script.words().collect();
    words.sort_by_key(|word| word.span.start);
    let mut next = words.iter().peekable();
    let mut active: Vec<QuoteCursor<'_>> = Vec::new();
    for placeholder in &prepared.placeholders {
        while let Some(word) = next.next_if(|word| word.span.start <= placeholder.start) {
            active.push(QuoteCursor::new(word));
        }
        active.retain(|cursor| placeholder.end <= cursor.word.span.end);
        let read_as_redirect = active
            .iter_mut()
            .any(|cursor| cursor.is_unquoted_at(placeholder.start));
        if !read_as_redirect {
            continue;
        }
        let name = &code[placeholder.start + 1..placeholder.end - 1];
        let variable = variable_name(name);
        let diagnostic = snippet
            .diagnostic(
                &PLACEHOLDER_REDIRECT,
                placeholder.clone(),
                message(code, placeholder, name),
            )
            .with_help(format!(
                "use a shell variable: set `{variable}=...` before the command and write \
                 `\"${variable}\"` here"
            ));
        snippet.report(out, diagnostic);
    }
}

/// What bash does with `<name>` followed by the rest of the code.
fn message(code: &str, placeholder: &Range<usize>, name: &str) -> String {
    let shown = &code[placeholder.clone()];
    match redirect_target(&code[placeholder.end..]) {
        Some(target) => format!(
            "bash reads `{shown}` as redirections: input from a file named `{name}` and output \
             to a file named `{target}`"
        ),
        None => format!(
            "bash reads `{shown}` as a redirection from a file named `{name}` followed by a \
             `>` with no file: a syntax error"
        ),
    }
}

/// The file the `>` of a placeholder writes to: the next word (across a `\` line break).
fn redirect_target(rest: &str) -> Option<&str> {
    let mut rest = rest.trim_start_matches([' ', '\t']);
    while let Some(next) = rest.strip_prefix("\\\n") {
        rest = next.trim_start_matches([' ', '\t']);
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || "<>|;&()".contains(c))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|target| !target.is_empty())
}

/// `pod2-ip` -> `POD2_IP`.
fn variable_name(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if upper.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{upper}")
    } else {
        upper
    }
}

/// Whether byte `offset` of the code, inside `word`, is outside quotes (a `$(...)` opens an
/// unquoted context again, even inside double quotes).
#[cfg(test)]
fn is_unquoted_at(word: &Word, offset: usize) -> bool {
    QuoteCursor::new(word).is_unquoted_at(offset)
}

/// What encloses a byte of a word.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    Plain,
    Single,
    Double,
    Substitution,
}

/// Walks one word's quotes forward, so that many placeholders in one word cost the word's
/// length once, not once each.
struct QuoteCursor<'a> {
    word: &'a Word,
    /// Bytes of the word's text read so far.
    at: usize,
    stack: Vec<Context>,
}

impl<'a> QuoteCursor<'a> {
    fn new(word: &'a Word) -> Self {
        QuoteCursor {
            word,
            at: 0,
            stack: vec![Context::Plain],
        }
    }

    /// Whether byte `offset` of the code (at or after the last one asked about) is outside
    /// quotes.
    fn is_unquoted_at(&mut self, offset: usize) -> bool {
        let bytes = self.word.text.as_bytes();
        let until = offset.saturating_sub(self.word.span.start).min(bytes.len());
        if until < self.at {
            (self.at, self.stack) = (0, vec![Context::Plain]);
        }
        let stack = &mut self.stack;
        let mut i = self.at;
        while i < until {
            let top = stack.last().copied().unwrap_or(Context::Plain);
            let opens_substitution = bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(');
            match (top, bytes[i]) {
                (Context::Single, b'\'') | (Context::Double, b'"') => {
                    stack.pop();
                }
                (Context::Single, _) => {}
                (_, b'\\') => i += 1,
                (_, b'$') if opens_substitution => {
                    stack.push(Context::Substitution);
                    i += 1;
                }
                (Context::Double, _) => {}
                (_, b'\'') => stack.push(Context::Single),
                (_, b'"') => stack.push(Context::Double),
                (Context::Substitution, b')') => {
                    stack.pop();
                }
                _ => {}
            }
            i += 1;
        }
        // An escape or `$(` may have stepped past `until`: resume from where the walk ended.
        self.at = i;
        !matches!(stack.last(), Some(Context::Single | Context::Double))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Word {
        Word {
            text: text.to_owned(),
            span: 0..text.len(),
            placeholder: true,
        }
    }

    #[test]
    fn quotes_protect_a_placeholder_and_substitutions_do_not() {
        assert!(is_unquoted_at(&word("<a>"), 0));
        assert!(is_unquoted_at(&word("x-<a>"), 2));
        assert!(!is_unquoted_at(&word("'<a>'"), 1));
        assert!(!is_unquoted_at(&word("\"x <a>\""), 3));
        assert!(is_unquoted_at(&word("\"$(get <a>)\""), 7));
        assert!(!is_unquoted_at(&word("\"$(get '<a>')\""), 8));
    }

    #[test]
    fn the_message_names_the_file_written() {
        let code = "kubectl label nodes <worker1> disktype=ssd\n";
        let at = 20..29;
        assert!(message(code, &at, "worker1").contains("file named `disktype=ssd`"));
        let code = "ping <ip>\n";
        assert!(message(code, &(5..9), "ip").contains("syntax error"));
        let code = "join --token <t> \\\n  --hash x\n";
        assert!(message(code, &(13..16), "t").contains("`--hash`"));
        assert_eq!(variable_name("pod2-ip"), "POD2_IP");
        assert_eq!(variable_name("2nd"), "_2ND");
    }
}
