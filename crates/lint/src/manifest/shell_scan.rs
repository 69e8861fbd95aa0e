//! A small scanner over shell snippet text: words with their byte ranges, split into simple
//! commands, and heredoc bodies with the byte offset of every line. It is deliberately not a
//! bash parser (the shell family owns that): it only has to find words, quotes, comments and
//! `<<EOF` bodies well enough for the manifest and practice rules, and never fail.

use std::ops::Range;

use coursebook_site::error::floor_char_boundary;
use coursebook_site::markdown::fence;

/// One word or operator of a command line, with quotes removed from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Bytes of the snippet the word spans, quotes included.
    pub range: Range<usize>,
    /// The word as the shell would see it, without quotes and backslashes.
    pub text: String,
    /// Whether it is a control operator (`|`, `&&`, `;`...) or a redirection (`>`, `<<`).
    pub operator: bool,
    /// Whether any part of it was quoted or escaped.
    pub quoted: bool,
}

/// A heredoc: the command line that opens it and the lines of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heredoc {
    /// The index in [`ShellScan::lines`] of the logical line holding the `<<` operator (a
    /// line with many heredocs is stored once, not once per heredoc).
    pub line: usize,
    /// The delimiter word, unquoted.
    pub delimiter: String,
    /// Whether the delimiter was quoted (then `$VAR` is not expanded in the body).
    pub quoted: bool,
    /// The byte range of each body line, without its newline and without the leading tabs
    /// that `<<-` strips or the `> ` prompt of a console transcript.
    pub body: Vec<Range<usize>>,
}

/// What a snippet holds: its command lines and its heredocs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShellScan {
    /// Every logical command line (continuation lines joined), in order.
    pub lines: Vec<Vec<Word>>,
    /// Every heredoc, in order.
    pub heredocs: Vec<Heredoc>,
}

impl ShellScan {
    /// Every word of the logical line holding `heredoc`'s `<<` operator.
    pub(crate) fn command_of(&self, heredoc: &Heredoc) -> &[Word] {
        self.lines.get(heredoc.line).map_or(&[], Vec::as_slice)
    }

    /// Every simple command: the words between control operators, operators left out.
    pub(crate) fn commands(&self) -> impl Iterator<Item = &[Word]> {
        self.lines.iter().flat_map(|line| {
            line.split(|word| word.operator && is_control(&word.text))
                .filter(|command| !command.is_empty())
        })
    }
}

/// Whether operator `op` ends a simple command.
fn is_control(op: &str) -> bool {
    matches!(op, "|" | "||" | "&" | "&&" | ";" | ";;" | "(" | ")" | "|&")
}

/// The scan of a code block of language `lang`: its words and heredocs when it is a shell
/// block (a transcript's prompted lines only), else nothing.
pub(crate) fn of_block(code: &str, lang: &str) -> ShellScan {
    if fence::is_shell(lang) {
        scan(code, fence::is_transcript(lang, code))
    } else {
        ShellScan::default()
    }
}

/// Scans `code`; `console` reads only lines with a `$ ` prompt as commands.
pub(crate) fn scan(code: &str, console: bool) -> ShellScan {
    let mut scan = ShellScan::default();
    let mut at = 0;
    while at < code.len() {
        let line_end = code[at..].find('\n').map_or(code.len(), |i| at + i);
        let Some(start) = command_start(code, at, line_end, console) else {
            at = line_end + 1;
            continue;
        };
        let mut lexer = Lexer::new(code, start, console);
        let words = lexer.line();
        at = lexer.at;
        for (delimiter, quoted, strip_tabs) in lexer.heredocs {
            let (body, next) = heredoc_body(code, at, &delimiter, strip_tabs, console);
            at = next;
            scan.heredocs.push(Heredoc {
                line: scan.lines.len(),
                delimiter,
                quoted,
                body,
            });
        }
        scan.lines.push(words);
    }
    scan
}

/// Where the commands of the physical line `at..end` start, or `None` when it holds none
/// (console output).
fn command_start(code: &str, at: usize, end: usize, console: bool) -> Option<usize> {
    if !console {
        return Some(at);
    }
    let line = &code[at..end];
    let trimmed = line.trim_start();
    let prompt = trimmed
        .strip_prefix("$ ")
        .or_else(|| trimmed.strip_prefix("$\t"))?;
    Some(end - prompt.len())
}

/// The body lines of a heredoc starting at byte `at`, and the offset after its delimiter line.
fn heredoc_body(
    code: &str,
    mut at: usize,
    delimiter: &str,
    strip_tabs: bool,
    console: bool,
) -> (Vec<Range<usize>>, usize) {
    let mut body = Vec::new();
    while at < code.len() {
        let end = code[at..].find('\n').map_or(code.len(), |i| at + i);
        let mut start = at;
        if console && code[start..end].starts_with("> ") {
            start += 2;
        }
        if strip_tabs {
            start += code[start..end].len() - code[start..end].trim_start_matches('\t').len();
        }
        at = end + 1;
        if code[start..end].trim_end_matches('\r') == delimiter {
            break;
        }
        body.push(start..end);
    }
    (body, at.min(code.len()))
}

/// A cursor over one logical command line.
struct Lexer<'a> {
    code: &'a str,
    bytes: &'a [u8],
    at: usize,
    console: bool,
    /// `(delimiter, quoted, strip_tabs)` of every `<<` met on the line.
    heredocs: Vec<(String, bool, bool)>,
}

impl<'a> Lexer<'a> {
    fn new(code: &'a str, at: usize, console: bool) -> Self {
        Lexer {
            code,
            bytes: code.as_bytes(),
            at,
            console,
            heredocs: Vec::new(),
        }
    }

    /// The words up to the end of the logical line; leaves `at` after its newline.
    fn line(&mut self) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        let mut heredoc_pending: Option<bool> = None;
        loop {
            self.skip_blanks();
            let Some(&byte) = self.bytes.get(self.at) else {
                break;
            };
            match byte {
                b'\n' => {
                    self.at += 1;
                    break;
                }
                b'#' => self.skip_comment(),
                _ => {
                    let word = self.word();
                    if let Some(strip_tabs) = heredoc_pending.take() {
                        if !word.operator {
                            self.heredocs
                                .push((word.text.clone(), word.quoted, strip_tabs));
                        }
                    }
                    if word.operator && (word.text == "<<" || word.text == "<<-") {
                        heredoc_pending = Some(word.text == "<<-");
                    }
                    words.push(word);
                }
            }
        }
        words
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.bytes.get(self.at) {
                Some(b' ' | b'\t' | b'\r') => self.at += 1,
                Some(b'\\') if self.bytes.get(self.at + 1) == Some(&b'\n') => self.continuation(),
                _ => break,
            }
        }
    }

    /// Skips a backslash-newline and, in a console transcript, the `> ` prompt after it.
    fn continuation(&mut self) {
        self.at += 2;
        if self.console && self.code[self.at..].starts_with("> ") {
            self.at += 2;
        }
    }

    fn skip_comment(&mut self) {
        self.at = self.code[self.at..]
            .find('\n')
            .map_or(self.code.len(), |i| self.at + i);
    }

    /// An operator or a word starting at `at` (which is not a blank, newline or comment).
    fn word(&mut self) -> Word {
        let start = self.at;
        if let Some(op) = self.operator() {
            self.at += op.len();
            return Word {
                range: start..self.at,
                text: op.to_owned(),
                operator: true,
                quoted: false,
            };
        }
        let mut text = String::new();
        let mut quoted = false;
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' => break,
                b'\\' if self.bytes.get(self.at + 1) == Some(&b'\n') => self.continuation(),
                b'\\' => {
                    quoted = true;
                    self.at += 1;
                    self.take_char(&mut text);
                }
                b'\'' => {
                    quoted = true;
                    self.single_quoted(&mut text);
                }
                b'"' => {
                    quoted = true;
                    self.double_quoted(&mut text);
                }
                b'$' | b'`' => self.expansion(&mut text),
                _ if self.operator().is_some() => break,
                _ => self.take_char(&mut text),
            }
        }
        Word {
            range: start..self.at,
            text,
            operator: false,
            quoted,
        }
    }

    /// The operator at `at`, if one starts there.
    fn operator(&self) -> Option<&'static str> {
        const OPERATORS: [&str; 16] = [
            "<<<", "<<-", "&&", "||", ";;", "|&", "<<", ">>", "&>", ">|", "|", "&", ";", "(", ")",
            ">",
        ];
        let rest = &self.code[self.at..];
        OPERATORS
            .into_iter()
            .find(|op| rest.starts_with(op))
            .or_else(|| rest.starts_with('<').then_some("<"))
    }

    /// Appends the character at `at` (if any) to `text`.
    fn take_char(&mut self, text: &mut String) {
        if let Some(ch) = self.code[self.at..].chars().next() {
            text.push(ch);
            self.at += ch.len_utf8();
        }
    }

    fn single_quoted(&mut self, text: &mut String) {
        self.at += 1;
        let end = self.code[self.at..]
            .find('\'')
            .map_or(self.code.len(), |i| self.at + i);
        text.push_str(&self.code[self.at..end]);
        self.at = (end + 1).min(self.code.len());
    }

    fn double_quoted(&mut self, text: &mut String) {
        self.at += 1;
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'"' => {
                    self.at += 1;
                    return;
                }
                b'\\' => {
                    self.at += 1;
                    self.take_char(text);
                }
                b'$' | b'`' => self.expansion(text),
                _ => self.take_char(text),
            }
        }
    }

    /// `$(...)`, `${...}` or a backquoted command, kept whole (with nesting) in the word.
    fn expansion(&mut self, text: &mut String) {
        let rest = &self.bytes[self.at..];
        let (open, close, skip) = match rest {
            [b'$', b'(', ..] => (b'(', b')', 2),
            [b'$', b'{', ..] => (b'{', b'}', 2),
            [b'`', ..] => (0, b'`', 1),
            _ => {
                self.take_char(text);
                return;
            }
        };
        let start = self.at;
        self.at += skip;
        let mut depth = 1usize;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            if byte == close {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else if byte == open {
                depth += 1;
            } else if byte == b'\\' && self.at < self.bytes.len() {
                self.at += 1;
            }
        }
        self.at = floor_char_boundary(self.code, self.at);
        text.push_str(&self.code[start..self.at]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn words_quotes_comments_and_operators() {
        let scan = scan(
            "sudo systemctl 'stop' \"a b\" # systemctl x\necho a&&b|c\n",
            false,
        );
        assert_eq!(texts(&scan.lines[0]), ["sudo", "systemctl", "stop", "a b"]);
        assert_eq!(scan.lines[0][2].range, 15..21);
        let commands: Vec<Vec<&str>> = scan.commands().map(texts).collect();
        assert_eq!(commands[1..], [vec!["echo", "a"], vec!["b"], vec!["c"]]);
    }

    #[test]
    fn expansions_stay_whole_and_continuations_join() {
        let scan = scan("echo $(date +%s) ${A:-x y} \\\n  next\n", false);
        assert_eq!(
            texts(&scan.lines[0]),
            ["echo", "$(date +%s)", "${A:-x y}", "next"]
        );
        assert_eq!(scan.lines.len(), 1);
    }

    #[test]
    fn heredocs_with_every_delimiter_form() {
        let code = "cat <<EOF | kubectl apply -f -\na: 1\nEOF\nkubectl apply -f - <<'END'\nb: 2\nEND\ncat <<-X\n\t\tc: 3\n\tX\n";
        let scan = scan(code, false);
        let bodies: Vec<Vec<&str>> = scan
            .heredocs
            .iter()
            .map(|h| h.body.iter().map(|r| &code[r.clone()]).collect())
            .collect();
        assert_eq!(bodies, [vec!["a: 1"], vec!["b: 2"], vec!["c: 3"]]);
        assert!(!scan.heredocs[0].quoted && scan.heredocs[1].quoted);
        assert_eq!(scan.lines.len(), 3, "bodies are not command lines");
    }

    #[test]
    fn console_reads_prompted_lines_only() {
        let code = "$ cat <<EOF | kubectl apply -f -\n> a: 1\n> EOF\nservice/x created\n$ systemctl status kubelet\n";
        let scan = scan(code, true);
        assert_eq!(scan.lines.len(), 2);
        assert_eq!(&code[scan.heredocs[0].body[0].clone()], "a: 1");
        assert_eq!(texts(&scan.lines[1]), ["systemctl", "status", "kubelet"]);
    }

    #[test]
    fn here_strings_and_unterminated_heredocs() {
        let scan = scan("cat <<< \"x\"\ncat <<EOF\nno end", false);
        assert_eq!(scan.heredocs.len(), 1);
        assert_eq!(scan.heredocs[0].body.len(), 1);
    }
}
