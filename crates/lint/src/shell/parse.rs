//! The one parse of a shell fence that every shell and kubectl rule reads: prompts and output
//! blanked, `<placeholder>`s masked (same length, so offsets stay those of the code), parsed with
//! brush-parser, and every simple command collected ([`walk`]) with its words and their byte
//! ranges, including commands inside `$(...)`, backquotes, `watch '...'` and `sh -c '...'`.

use std::ops::Range;
use std::sync::LazyLock;

use brush_parser::ast;
use brush_parser::{ParseError, Parser, ParserOptions, TokenizerError};

use super::lines::{self, Line, LineKind};

/// One word of a command, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word's text in the code, quotes included.
    pub text: String,
    /// Its byte range in the code.
    pub span: Range<usize>,
    /// It contains a `<placeholder>`.
    pub placeholder: bool,
}

impl Word {
    /// The word without its quotes and backslashes (no expansion).
    pub(crate) fn value(&self) -> String {
        brush_parser::unquote_str(&self.text)
    }

    /// Whether the word is literal text: no `$`, backquote or glob for the shell to expand.
    pub(crate) fn is_literal(&self) -> bool {
        !self.placeholder && !self.text.contains(['$', '`', '*', '?', '['])
    }
}

/// A simple command: a program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    /// The command name and its arguments (not assignments, not redirections).
    pub words: Vec<Word>,
    /// The bodies of its here-documents.
    pub heredocs: Vec<String>,
    /// The pipeline it belongs to: commands of one pipeline share it.
    pub pipeline: usize,
}

/// Every simple command of a fence, in source order (a substitution before its command).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Script {
    /// The commands.
    pub commands: Vec<Command>,
    /// Words that are not arguments: assignments, redirection targets, `for` lists.
    pub other_words: Vec<Word>,
}

impl Script {
    /// Every word of the script, arguments and others.
    pub(crate) fn words(&self) -> impl Iterator<Item = &Word> {
        self.commands
            .iter()
            .flat_map(|c| &c.words)
            .chain(&self.other_words)
    }
}

/// Why a fence does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Byte offset in the code.
    pub offset: usize,
    /// What bash would complain about.
    pub message: String,
    /// The block nests too deeply to be parsed at all (see [`super::depth`]): not a syntax
    /// error, but nothing in it was checked.
    pub too_deep: bool,
}

/// A fence made ready for the parser.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The code with prompts and output lines blanked and placeholders masked: same length.
    pub text: String,
    /// Its lines, classified.
    pub lines: Vec<Line>,
    /// The byte range of every `<placeholder>` in a command line.
    pub placeholders: Vec<Range<usize>>,
}

/// Blanks prompts and output, and masks placeholders, in `code` of fence language `lang`.
pub(crate) fn prepare(code: &str, lang: &str) -> Prepared {
    let lines = lines::classify(code, lang);
    let mut bytes = code.as_bytes().to_vec();
    for line in &lines {
        let blank = if line.kind == LineKind::Output {
            line.range.clone()
        } else {
            line.range.start..line.range.start + line.prompt
        };
        bytes[blank].fill(b' ');
    }
    let placeholders = find_placeholders(&bytes);
    for range in &placeholders {
        bytes[range.start] = b'_';
        bytes[range.end - 1] = b'_';
    }
    // Only whole lines and ASCII `<`/`>` bytes were replaced, so the text is still UTF-8.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
    Prepared {
        text,
        lines,
        placeholders,
    }
}

/// `<name>` spans: a letter, then letters, digits, `_ . : / -`. `<<EOF` is not one.
fn find_placeholders(bytes: &[u8]) -> Vec<Range<usize>> {
    static PLACEHOLDER: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"<[A-Za-z][A-Za-z0-9_.:/-]*>").expect("a constant, valid pattern")
    });
    PLACEHOLDER
        .find_iter(bytes)
        .filter(|m| m.start() == 0 || !matches!(bytes[m.start() - 1], b'<' | b'$'))
        .map(|m| m.range())
        .collect()
}

/// Parses a prepared fence; `code` is the original, for the words' text.
pub(crate) fn parse_prepared(code: &str, prepared: &Prepared) -> Result<Script, SyntaxError> {
    let program = match parse_text(&prepared.text) {
        Ok(program) => program,
        Err(Failure::Syntax(err)) => return Err(syntax_error(&prepared.text, &err)),
        Err(Failure::Panicked) => {
            return Err(SyntaxError {
                offset: prepared.text.len() - prepared.text.trim_start().len(),
                message: "the bash parser (brush-parser) failed on this block".to_owned(),
                too_deep: false,
            })
        }
        Err(Failure::TooDeep(offset)) => {
            return Err(SyntaxError {
                offset,
                message: format!(
                    "this block nests more than {} levels deep (`$(`, `{{`, `(`, quotes, \
                     `if`/`for`/`while`/`case`): it is too deeply nested to check",
                    super::depth::MAX_DEPTH
                ),
                too_deep: true,
            })
        }
    };
    Ok(walk::collect(code, prepared, &program))
}

/// Why brush-parser gave no program.
enum Failure {
    /// The text is not bash.
    Syntax(ParseError),
    /// brush-parser panicked (see [`super::guard`]).
    Panicked,
    /// The text nests too deeply to hand to a recursive parser (see [`super::depth`]); the
    /// byte offset of the opener past the limit.
    TooDeep(usize),
}

/// brush-parser's verdict on `text`, which is first measured so that its recursion stays
/// within the stack.
fn parse_text(text: &str) -> Result<ast::Program, Failure> {
    if let Some(offset) = super::depth::too_deep(text) {
        return Err(Failure::TooDeep(offset));
    }
    let options = ParserOptions::default();
    super::guard::catch_quietly(|| Parser::new(text.as_bytes(), &options).parse_program())
        .ok_or(Failure::Panicked)?
        .map_err(Failure::Syntax)
}

/// Byte offsets of a text's characters, since brush-parser counts characters.
struct CharMap(Vec<usize>);

impl CharMap {
    fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        CharMap(offsets)
    }

    fn byte(&self, char_index: usize) -> usize {
        let last = self.0.last().copied().unwrap_or(0);
        self.0.get(char_index).copied().unwrap_or(last)
    }
}

fn syntax_error(text: &str, err: &ParseError) -> SyntaxError {
    let map = CharMap::new(text);
    let end = text.trim_end().len();
    match err {
        ParseError::ParsingNear(position) => {
            let offset = map.byte(position.index);
            SyntaxError {
                offset,
                message: format!("syntax error near unexpected {}", token_at(text, offset)),
                too_deep: false,
            }
        }
        ParseError::ParsingAtEndOfInput => SyntaxError {
            offset: end,
            message: "the script ends in the middle of a command (an unclosed `if`, `for`, \
                      `{`, `(` or a trailing `|` or `&&`)"
                .to_owned(),
            too_deep: false,
        },
        ParseError::Tokenizing { inner, position } => {
            let fallback = position.as_ref().map_or(end, |p| map.byte(p.index));
            tokenizer_error(text, inner, &map, fallback)
        }
    }
}

fn tokenizer_error(
    text: &str,
    err: &TokenizerError,
    map: &CharMap,
    fallback: usize,
) -> SyntaxError {
    let (offset, message) = match err {
        TokenizerError::UnterminatedSingleQuote(_)
        | TokenizerError::UnterminatedDoubleQuote(_)
        | TokenizerError::UnterminatedAnsiCQuote(_) => (
            lines::unclosed_quote(text).unwrap_or(fallback),
            "this quote is never closed".to_owned(),
        ),
        TokenizerError::UnterminatedBackquote(position) => (
            map.byte(position.index),
            "this backquote is never closed".to_owned(),
        ),
        TokenizerError::UnterminatedHereDocuments(tags, _) => (
            text.find("<<").unwrap_or(fallback),
            format!(
                "here-document `{tags}` is never closed (its delimiter must be alone on a line)"
            ),
        ),
        other => (fallback, other.to_string()),
    };
    SyntaxError {
        offset,
        message,
        too_deep: false,
    }
}

/// The token at `offset`, for a message: `` `)` `` or `end of line`.
fn token_at(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or_default();
    let token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    if token.is_empty() {
        "end of line".to_owned()
    } else {
        format!("`{token}`")
    }
}

mod walk;

#[cfg(test)]
mod tests;
