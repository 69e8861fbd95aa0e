//! A cheap, linear pre-scan of a shell text's nesting depth, run before brush-parser sees it:
//! brush-parser's tokenizer and grammar recurse once per level of `$(…)`, `${…}`, `(…)`,
//! `{ …; }`, quotes, backquotes and `if`/`while`/`for`/`case` blocks, and overflow the stack
//! on crafted input (`$( $( … ) )` 2,000 deep). Text that nests deeper than [`MAX_DEPTH`] is
//! not parsed at all; the caller reports it as too deeply nested to check.
//!
//! The count is an over-estimate where it must be (every opener counts, balanced or not) and
//! tolerant where it can be (single-quoted text and comments open nothing), so that no script a
//! person writes comes near the limit.

/// More levels than any script a person writes, and few enough for brush-parser's recursion on
/// a 2 MiB thread stack (rayon's default), in a debug build.
pub(super) const MAX_DEPTH: usize = 64;

/// Nested `case` blocks allowed: brush-parser backtracks over an unclosed `case` inside another,
/// so its time doubles with each level (16 unclosed levels take seconds).
pub(super) const MAX_CASE_DEPTH: usize = 8;

/// Shell keywords that open a block closed by `fi` or `done`.
const OPENERS: &[&[u8]] = &[b"if", b"while", b"until", b"for", b"select"];
/// The keywords that close them.
const CLOSERS: &[&[u8]] = &[b"fi", b"done"];

/// What a level of nesting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `(`, `$(`, `$((`, `<(`.
    Paren,
    /// `{`, `${`.
    Brace,
    /// `$[` (old arithmetic).
    Bracket,
    /// `"…"`.
    Double,
    /// `` `…` ``.
    Backquote,
    /// `if`, `while`, `until`, `for`, `select`.
    Keyword,
    /// `case`.
    Case,
}

/// Whether `text` nests deeper than [`MAX_DEPTH`] levels; `Some(byte offset)` of the opener that
/// went past the limit.
pub(super) fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    // `!` words in a row (`[[ ! ! ! x ]]`): brush-parser recurses once for each.
    let mut bangs = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'!' && at_word_start(bytes, i) && bytes.get(i + 1).is_none_or(|&b| is_break(b))
        {
            bangs += 1;
            if frames.len() + bangs > MAX_DEPTH {
                return Some(i);
            }
            i += 1;
            continue;
        } else if !byte.is_ascii_whitespace() {
            bangs = 0;
        }
        let pushed = if frames.last() == Some(&Frame::Double) {
            match byte {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b'"' => {
                    frames.pop();
                    None
                }
                b'$' => opener_after_dollar(bytes, i),
                b'`' => Some((Frame::Backquote, 1)),
                _ => None,
            }
        } else {
            match byte {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b'\'' => {
                    i = skip_single_quoted(bytes, i);
                    continue;
                }
                b'#' if at_word_start(bytes, i) => {
                    i = bytes[i..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |p| i + p);
                    continue;
                }
                b'"' => Some((Frame::Double, 1)),
                b'`' if frames.last() == Some(&Frame::Backquote) => {
                    frames.pop();
                    None
                }
                b'`' => Some((Frame::Backquote, 1)),
                b'$' => opener_after_dollar(bytes, i),
                b'(' => Some((Frame::Paren, 1)),
                b'{' => Some((Frame::Brace, 1)),
                b')' => {
                    pop_to(&mut frames, Frame::Paren);
                    None
                }
                b'}' => {
                    pop_to(&mut frames, Frame::Brace);
                    None
                }
                b']' => {
                    pop_to(&mut frames, Frame::Bracket);
                    None
                }
                b'a'..=b'z' if at_word_start(bytes, i) => {
                    let end = bytes[i..]
                        .iter()
                        .position(|b| !b.is_ascii_lowercase())
                        .map_or(bytes.len(), |p| i + p);
                    let word = &bytes[i..end];
                    let whole = bytes.get(end).is_none_or(|&b| is_break(b));
                    if whole && OPENERS.contains(&word) {
                        frames.push(Frame::Keyword);
                    } else if whole && CLOSERS.contains(&word) {
                        pop_to(&mut frames, Frame::Keyword);
                    } else if whole && word == b"case" {
                        frames.push(Frame::Case);
                        let cases = frames.iter().filter(|&&f| f == Frame::Case).count();
                        if cases > MAX_CASE_DEPTH {
                            return Some(i);
                        }
                    } else if whole && word == b"esac" {
                        pop_to(&mut frames, Frame::Case);
                    }
                    if frames.len() > MAX_DEPTH {
                        return Some(i);
                    }
                    i = end;
                    continue;
                }
                _ => None,
            }
        };
        if let Some((frame, width)) = pushed {
            frames.push(frame);
            if frames.len() > MAX_DEPTH {
                return Some(i);
            }
            i += width;
        } else {
            i += 1;
        }
    }
    None
}

/// The level a `$` at `i` opens (`$(`, `$((`, `${`), with the bytes it spans.
fn opener_after_dollar(bytes: &[u8], i: usize) -> Option<(Frame, usize)> {
    match bytes.get(i + 1) {
        Some(b'(') => Some((Frame::Paren, 2)),
        Some(b'{') => Some((Frame::Brace, 2)),
        Some(b'[') => Some((Frame::Bracket, 2)),
        _ => None,
    }
}

/// Pops frames up to and including the innermost `frame`; a closer nothing opened is ignored.
/// Quotes are never popped by a bracket (`")"` inside `"…"` is text).
fn pop_to(frames: &mut Vec<Frame>, frame: Frame) {
    if let Some(at) = frames.iter().rposition(|&f| f == frame) {
        if !frames[at..].contains(&Frame::Double) {
            frames.truncate(at);
        }
    }
}

/// The offset just past the `'…'` starting at `start` (the end of the text when unclosed).
fn skip_single_quoted(bytes: &[u8], start: usize) -> usize {
    bytes[start + 1..]
        .iter()
        .position(|&b| b == b'\'')
        .map_or(bytes.len(), |p| start + p + 2)
}

fn at_word_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || is_break(bytes[i - 1])
}

fn is_break(byte: u8) -> bool {
    byte.is_ascii_whitespace() || matches!(byte, b';' | b'&' | b'|' | b'(' | b')' | b'{' | b'}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_scripts_are_shallow() {
        for text in [
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'\n",
            "for i in $(seq 1 3); do\n  if [ \"$i\" = 2 ]; then echo \"${i:-x}\"; fi\ndone\n",
            "echo '(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((('\n",
            "# ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\n",
            "echo \"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\"\n",
        ] {
            assert_eq!(too_deep(text), None, "{text}");
        }
        let balanced = "$( ".repeat(MAX_DEPTH) + &")".repeat(MAX_DEPTH);
        assert_eq!(too_deep(&balanced), None);
        let sequential = "{ echo; }\n".repeat(10_000);
        assert_eq!(too_deep(&sequential), None);
        let bangs = "! true; [[ ! -f x ]]; echo $[1] a[0]=1\n".repeat(10_000);
        assert_eq!(too_deep(&bangs), None);
    }

    #[test]
    fn every_kind_of_nesting_counts() {
        let deep = MAX_DEPTH + 1;
        for text in [
            "echo $( ".repeat(deep),
            "{ ".repeat(deep),
            "( ".repeat(deep),
            "if true; then ".repeat(deep),
            "while true; do ".repeat(deep),
            "case x in x) ".repeat(deep),
            format!("echo {}", "${a:-".repeat(deep)),
            format!("echo {}", "\"$(".repeat(deep)),
            format!("echo {}", "$((".repeat(deep)),
            format!("echo {}", "<(".repeat(deep)),
            "for i in 1; do ".repeat(deep),
            "case x in x) ".repeat(MAX_CASE_DEPTH + 1),
            format!("[[ {}a ]]", "! ".repeat(deep)),
            format!("echo {}", "$[ ".repeat(deep)),
        ] {
            assert!(too_deep(&text).is_some(), "{text}");
        }
    }
}
