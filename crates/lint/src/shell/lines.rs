//! Reads a shell fence line by line, the way a reader copying it would: which lines start a
//! command, which continue one (after `\`, `|` or `&&`, inside quotes, parentheses or a
//! here-document), which are comments, and which are output or prose (a `console` fence's lines
//! without a `$ ` prompt, or what the heuristics of [`super::prose`] recognise).

use std::ops::Range;

use super::prose;

/// What one line of a fence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Only whitespace.
    Blank,
    /// A comment line (`# ...`) between commands.
    Comment,
    /// The first line of a command.
    Start,
    /// A later line of a command that started above.
    Continuation,
    /// A line of a here-document's body, or its closing delimiter.
    HeredocBody,
    /// Command output or prose: not shell at all.
    Output,
}

/// One line of a fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// Byte range of the line in the code, without its newline.
    pub range: Range<usize>,
    /// What it is.
    pub kind: LineKind,
    /// Bytes of prompt (`$ `, `# `, `> `) at the start, which are not part of the command.
    pub prompt: usize,
}

/// The lines of `code` (a fence of language `lang`), classified.
pub(super) fn classify(code: &str, lang: &str) -> Vec<Line> {
    let mut reader = Reader::default();
    let console = coursebook_site::markdown::fence::is_transcript(lang, code);
    let mut offset = 0;
    let mut lines = Vec::new();
    for text in code.split_inclusive('\n') {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let range = offset..offset + body.len();
        offset += text.len();
        let line = if console {
            reader.console_line(body, range)
        } else {
            reader.script_line(body, range)
        };
        lines.push(line);
    }
    lines
}

/// The byte offset of an opening quote that is never closed in the prepared `text`, if any.
pub(super) fn unclosed_quote(text: &str) -> Option<usize> {
    let mut reader = Reader::default();
    for (start, line) in line_starts(text) {
        if reader.heredoc.is_some() {
            reader.heredoc_line(line);
        } else {
            reader.scan(line, start);
        }
    }
    reader.quote.map(|(_, at)| at)
}

fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line.strip_suffix('\n').unwrap_or(line)))
    })
}

/// What carries over from one line to the next.
#[derive(Debug, Default)]
struct Reader {
    /// An open quote character and the byte offset where it opened.
    quote: Option<(char, usize)>,
    /// Open `(` not yet closed (subshells, arrays, `$(...)`).
    parens: usize,
    /// The last line ended with `\`, `|`, `&&` or `||`.
    continued: bool,
    /// Here-documents opened on the current line, bodies to come: delimiter, strip tabs.
    pending: Vec<(String, bool)>,
    /// The here-document whose body is being read.
    heredoc: Option<(String, bool)>,
    /// The last start line was a table header (`NAME READY STATUS`): rows follow.
    in_table: bool,
}

impl Reader {
    fn inside_command(&self) -> bool {
        self.quote.is_some() || self.parens > 0 || self.continued
    }

    fn script_line(&mut self, body: &str, range: Range<usize>) -> Line {
        let line = |kind| Line {
            range: range.clone(),
            kind,
            prompt: 0,
        };
        if self.heredoc.is_some() {
            self.heredoc_line(body);
            return line(LineKind::HeredocBody);
        }
        if self.inside_command() {
            self.scan(body, range.start);
            return line(LineKind::Continuation);
        }
        let trimmed = body.trim();
        if trimmed.is_empty() {
            self.in_table = false;
            return line(LineKind::Blank);
        }
        if trimmed.starts_with('#') {
            return line(LineKind::Comment);
        }
        if self.in_table || prose::is_not_a_command(trimmed) {
            self.in_table |= prose::is_table_header(trimmed);
            return line(LineKind::Output);
        }
        self.scan(body, range.start);
        line(LineKind::Start)
    }

    fn console_line(&mut self, body: &str, range: Range<usize>) -> Line {
        let continuing = self.heredoc.is_some() || self.inside_command();
        let prompt = console_prompt(body, continuing);
        let command = &body[prompt..];
        let kind = if self.heredoc.is_some() {
            self.heredoc_line(command);
            LineKind::HeredocBody
        } else if continuing {
            self.scan(command, range.start + prompt);
            LineKind::Continuation
        } else if prompt == 0 {
            LineKind::Output
        } else if command.trim().is_empty() {
            LineKind::Blank
        } else if command.trim_start().starts_with('#') || !is_root_command(body, command) {
            LineKind::Comment
        } else {
            self.scan(command, range.start + prompt);
            LineKind::Start
        };
        Line {
            range,
            kind,
            prompt,
        }
    }

    fn heredoc_line(&mut self, body: &str) {
        let Some((delimiter, strip_tabs)) = &self.heredoc else {
            return;
        };
        let text = if *strip_tabs {
            body.trim_start_matches('\t')
        } else {
            body
        };
        if text == delimiter {
            self.heredoc = None;
            self.next_heredoc();
        }
    }

    fn next_heredoc(&mut self) {
        if !self.pending.is_empty() && !self.continued {
            self.heredoc = Some(self.pending.remove(0));
        }
    }

    /// Follows quotes, parentheses, comments and here-document operators through one line
    /// whose first byte is at `start` in the code.
    fn scan(&mut self, body: &str, start: usize) {
        let bytes = body.as_bytes();
        let mut i = 0;
        let mut last_unquoted = None;
        while i < bytes.len() {
            let c = bytes[i];
            if let Some((quote, _)) = self.quote {
                i += self.scan_quoted(quote, bytes, i);
                continue;
            }
            match c {
                b'\\' => {
                    last_unquoted = Some((i + 1).min(bytes.len() - 1));
                    i += 2;
                    continue;
                }
                b'\'' | b'"' => self.quote = Some((char::from(c), start + i)),
                b'#' if i == 0 || is_word_break(bytes[i - 1]) => break,
                b'(' => self.parens += 1,
                b')' => self.parens = self.parens.saturating_sub(1),
                b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                    i += self.heredoc_operator(&body[i + 2..]) + 2;
                    last_unquoted = Some(i.min(bytes.len()));
                    continue;
                }
                _ => {}
            }
            if !c.is_ascii_whitespace() {
                last_unquoted = Some(i);
            }
            i += 1;
        }
        self.continued = self.quote.is_none() && ends_continued(body, last_unquoted);
        self.next_heredoc();
    }

    /// Bytes consumed inside an open quote starting at `i`.
    fn scan_quoted(&mut self, quote: char, bytes: &[u8], i: usize) -> usize {
        match bytes[i] {
            b'\\' if quote == '"' => 2,
            c if char::from(c) == quote => {
                self.quote = None;
                1
            }
            _ => 1,
        }
    }

    /// Reads the delimiter after `<<` (with `-`, spaces and quotes) and returns its length.
    fn heredoc_operator(&mut self, rest: &str) -> usize {
        let strip_tabs = rest.starts_with('-');
        let after_dash = &rest[usize::from(strip_tabs)..];
        let word = after_dash.trim_start();
        let skipped = rest.len() - word.len();
        let end = word
            .find(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '|' | '&' | '<' | '>' | '(' | ')')
            })
            .unwrap_or(word.len());
        let delimiter: String = word[..end]
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if !delimiter.is_empty() {
            self.pending.push((delimiter, strip_tabs));
        }
        skipped + end
    }
}

/// How many bytes of prompt start a console line: `$ ` or `# ` for a command, `> ` for a
/// continuation (when `continuing`).
fn console_prompt(body: &str, continuing: bool) -> usize {
    let prompts: &[&str] = if continuing { &["> "] } else { &["$ ", "# "] };
    if prompts.iter().any(|p| body.starts_with(p)) {
        2
    } else if !continuing && (body == "$" || body == "#") {
        1
    } else {
        0
    }
}

/// Whether a line with a `# ` prompt is a root shell's command rather than a comment: its first
/// word looks like a program (`apt-get`, `./kind`) or an assignment, not a capitalised word or
/// one with an apostrophe.
fn is_root_command(body: &str, command: &str) -> bool {
    if !body.starts_with('#') {
        return true;
    }
    let first = command.split_whitespace().next().unwrap_or_default();
    let program_like = first.starts_with(|c: char| c.is_ascii_lowercase() || c == '.' || c == '/')
        && first.chars().all(|c| c.is_ascii_graphic() && c != '\'');
    let assignment = first.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    program_like || assignment
}

fn is_word_break(byte: u8) -> bool {
    byte.is_ascii_whitespace() || matches!(byte, b';' | b'&' | b'|' | b'(' | b')')
}

/// Whether the unquoted line ends in `\`, `|`, `&&` or `||`: the command goes on.
fn ends_continued(body: &str, last_unquoted: Option<usize>) -> bool {
    let Some(last) = last_unquoted else {
        return false;
    };
    let bytes = body.as_bytes();
    let text = bytes[..=last.min(bytes.len().saturating_sub(1))].trim_ascii_end();
    if text.ends_with(b"\\") {
        let slashes = text.iter().rev().take_while(|&&b| b == b'\\').count();
        return slashes % 2 == 1;
    }
    text.ends_with(b"|") || text.ends_with(b"&&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str, lang: &str) -> Vec<LineKind> {
        classify(code, lang).into_iter().map(|l| l.kind).collect()
    }

    use LineKind::*;

    #[test]
    fn continuations_quotes_and_heredocs() {
        let code = "# c\nkubectl get \\\n  pods\ncat <<'EOF' | x\na: 'b\nEOF\necho 'x\ny'\n\n";
        assert_eq!(
            kinds(code, "bash"),
            [
                Comment,
                Start,
                Continuation,
                Start,
                HeredocBody,
                HeredocBody,
                Start,
                Continuation,
                Blank
            ]
        );
    }

    #[test]
    fn pipes_and_and_continue_the_command() {
        assert_eq!(
            kinds("a |\n  b &&\n  c\nd\n", "bash"),
            [Start, Continuation, Continuation, Start]
        );
    }

    #[test]
    fn console_prompts_and_output() {
        let code = "$ kubectl get pods\nNAME READY\n$ cat <<EOF\n> a\n> EOF\n# whoami\nroot\n\
                    # Don't run this twice\n# X=1 env\n";
        let lines = classify(code, "console");
        let got: Vec<_> = lines.iter().map(|l| (l.kind, l.prompt)).collect();
        assert_eq!(
            got,
            [
                (Start, 2),
                (Output, 0),
                (Start, 2),
                (HeredocBody, 2),
                (HeredocBody, 2),
                (Start, 2),
                (Output, 0),
                (Comment, 2),
                (Start, 2)
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_found() {
        assert_eq!(unclosed_quote("echo ok\necho 'a\n"), Some(13));
        assert_eq!(unclosed_quote("echo 'a' \"b\"\n"), None);
        assert_eq!(unclosed_quote("cat <<EOF\nit's\nEOF\n"), None);
    }
}
