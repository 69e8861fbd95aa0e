//! What a rule sees: the whole site, one chapter, or one code block, and how a byte offset in
//! a code block maps back to a line and column of the markdown file.

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use coursebook_site::book::Chapter;
use coursebook_site::error::floor_char_boundary;
use coursebook_site::markdown::fence;
use coursebook_site::markdown::Snippet;
use coursebook_site::{RenderedChapter, Site};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Rule;
use crate::manifest::shell_scan::{self, ShellScan};
use crate::shell::parse::{Prepared, SyntaxError};
use crate::shell::Script;

/// One chapter of the site, as the rules read it.
#[derive(Debug)]
pub(crate) struct ChapterCx<'a> {
    /// The whole site (for rules that look across chapters).
    pub site: &'a Site,
    /// The chapter's index in `site.book.chapters` and `site.rendered`.
    pub index: usize,
    /// The chapter's source.
    pub chapter: &'a Chapter,
    /// The chapter after every pass: links, snippets, headings.
    pub rendered: &'a RenderedChapter,
    body_lines: Vec<&'a str>,
    /// Each code block's shell reading, made the first time a rule asks for it.
    models: Vec<SnippetModel>,
    /// Where the last finding's source window started, so that many findings on one long line
    /// cost the line's length once, not once each.
    window_cursor: CharCursor,
}

/// Characters of the source line kept before a finding's column (the rest is cut, so that a
/// finding never copies a whole long line).
const WINDOW_BEFORE: usize = 60;
/// Characters of the source line kept from a finding's column on.
const WINDOW_AFTER: usize = 120;

/// Counts characters forward from where the last count stopped, in one text named by a key:
/// finding after finding on one line walks the line once.
#[derive(Debug, Default)]
struct CharCursor(Cell<(usize, usize, usize)>);

impl CharCursor {
    /// The byte offset of character `chars` of `text` (its length past the end); `key` names
    /// the text, so a cursor left in another text is not reused.
    fn byte_of(&self, key: usize, text: &str, chars: usize) -> usize {
        let (last_key, mut count, mut byte) = self.0.get();
        if last_key != key || count > chars || byte > text.len() {
            (count, byte) = (0, 0);
        }
        for ch in text[byte..].chars() {
            if count == chars {
                break;
            }
            byte += ch.len_utf8();
            count += 1;
        }
        self.0.set((key, count, byte));
        byte
    }

    /// How many characters `text[..byte]` holds (`byte` on a character boundary).
    fn chars_to(&self, key: usize, text: &str, byte: usize) -> usize {
        let (last_key, mut count, mut at) = self.0.get();
        if last_key != key || at > byte {
            (count, at) = (0, 0);
        }
        count += text
            .get(at..byte)
            .map_or(0, |between| between.chars().count());
        self.0.set((key, count, byte));
        count
    }
}

/// What the rules read of one code block, computed once and shared by every rule: the scan
/// of its words and heredocs, and bash's parse of it.
#[derive(Debug, Default)]
struct SnippetModel {
    scan: OnceCell<ShellScan>,
    parse: OnceCell<(Prepared, Result<Script, SyntaxError>)>,
    /// The byte offset of every line start of the code, for positions.
    line_starts: OnceCell<Vec<usize>>,
    /// The last line asked about and the characters before its code (indent, `> `).
    prefix: Cell<Option<(usize, usize)>>,
    /// Counts columns along the last line asked about.
    column_cursor: CharCursor,
}

impl<'a> ChapterCx<'a> {
    /// The context of `site`'s chapter number `index`.
    pub(crate) fn new(site: &'a Site, index: usize) -> Self {
        let chapter = &site.book.chapters[index];
        ChapterCx {
            site,
            index,
            chapter,
            rendered: &site.rendered[index],
            body_lines: chapter.body.lines().collect(),
            models: site.rendered[index]
                .snippets
                .iter()
                .map(|_| SnippetModel::default())
                .collect(),
            window_cursor: CharCursor::default(),
        }
    }

    /// The text of 1-based file line `line`, when it is part of the body.
    pub(crate) fn line_text(&self, line: usize) -> Option<&'a str> {
        let index = line.checked_sub(self.chapter.body_line)?;
        self.body_lines.get(index).copied()
    }

    /// The chapter's code blocks, each with its `lint-allow=` list.
    pub(crate) fn snippets(&self) -> impl Iterator<Item = SnippetCx<'_>> {
        self.rendered
            .snippets
            .iter()
            .zip(&self.models)
            .map(move |(snippet, model)| SnippetCx::new(self, snippet, model))
    }

    /// A finding at file `line`, 1-based character `column`, underlining `width` characters.
    pub(crate) fn diagnostic(
        &self,
        rule: &'static Rule,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let column = column.max(1);
        let (source_line, source_column) = self.window(line, column);
        Diagnostic {
            rule: rule.id,
            severity: rule.severity,
            file: display_path(&self.chapter.file),
            line,
            column,
            width: width.max(1),
            source_line,
            source_column,
            message: message.into(),
            help: None,
        }
    }

    /// The part of file `line` shown with a finding at character `column`: at most
    /// [`WINDOW_BEFORE`] characters before it and [`WINDOW_AFTER`] from it, with `…` where the
    /// line was cut; and the column of the window's first character.
    fn window(&self, line: usize, column: usize) -> (String, usize) {
        let text = self.line_text(line).unwrap_or_default();
        let first = column.saturating_sub(1 + WINDOW_BEFORE);
        let start = self.window_cursor.byte_of(line, text, first);
        let rest = &text[start..];
        let end = rest
            .char_indices()
            .nth(WINDOW_BEFORE + WINDOW_AFTER)
            .map_or(text.len(), |(i, _)| start + i);
        let mut window = String::with_capacity(end - start + 6);
        let mut window_column = first + 1;
        if start > 0 {
            window.push('…');
            window_column -= 1;
        }
        window.push_str(&text[start..end]);
        if end < text.len() {
            window.push('…');
        }
        (window, window_column)
    }
}

/// One code block of a chapter.
#[derive(Debug)]
pub(crate) struct SnippetCx<'a> {
    /// Its chapter.
    pub chapter: &'a ChapterCx<'a>,
    /// The block: language, info string, code, first line.
    pub snippet: &'a Snippet,
    allowed: Vec<&'a str>,
    model: &'a SnippetModel,
}

impl<'a> SnippetCx<'a> {
    fn new(chapter: &'a ChapterCx<'a>, snippet: &'a Snippet, model: &'a SnippetModel) -> Self {
        SnippetCx {
            chapter,
            snippet,
            allowed: lint_allow(&snippet.info),
            model,
        }
    }

    /// The words, commands and heredocs of a shell block (empty for another language), read
    /// once for every rule.
    pub(crate) fn scan(&self) -> &'a ShellScan {
        (self.model.scan).get_or_init(|| shell_scan::of_block(self.code(), self.lang()))
    }

    /// A shell block's lines classified and bash's parse of its commands, made once for every
    /// rule; `None` for another language.
    pub(crate) fn bash(&self) -> Option<&'a (Prepared, Result<Script, SyntaxError>)> {
        if !fence::is_shell(self.lang()) {
            return None;
        }
        Some(self.model.parse.get_or_init(|| {
            let prepared = crate::shell::parse::prepare(self.code(), self.lang());
            let parsed = crate::shell::parse::parse_prepared(self.code(), &prepared);
            (prepared, parsed)
        }))
    }

    /// The code, ending in a newline.
    pub(crate) fn code(&self) -> &'a str {
        &self.snippet.code
    }

    /// The fence's language, lowercased (`""` when none).
    pub(crate) fn lang(&self) -> &'a str {
        &self.snippet.lang
    }

    /// The rule ids named by `lint-allow=` attributes in the info string.
    pub(crate) fn allowed(&self) -> &[&'a str] {
        &self.allowed
    }

    /// Whether `lint-allow=` silences `rule` in this block.
    pub(crate) fn allows(&self, rule: &str) -> bool {
        self.allowed.contains(&rule)
    }

    /// The file line and 1-based character column of byte `offset` of the code.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let code = self.code();
        let offset = floor_char_boundary(code, offset.min(code.len()));
        let starts = self.model.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(code.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = starts.partition_point(|&start| start <= offset).max(1) - 1;
        let line_start = starts[index];
        let line_end = starts.get(index + 1).map_or(code.len(), |&next| next - 1);
        let line = self.snippet.line + index;
        // A fence inside a list item or a quote has its indent or `> ` stripped from the code.
        let prefix = match self.model.prefix.get() {
            Some((cached, prefix)) if cached == line => prefix,
            _ => {
                let code_line = &code[line_start..line_end];
                let prefix = self
                    .chapter
                    .line_text(line)
                    .filter(|text| text.ends_with(code_line))
                    .map_or(0, |text| {
                        text[..text.len() - code_line.len()].chars().count()
                    });
                self.model.prefix.set(Some((line, prefix)));
                prefix
            }
        };
        let chars = (self.model.column_cursor).chars_to(
            line_start,
            &code[line_start..line_end],
            offset - line_start,
        );
        (line, prefix + chars + 1)
    }

    /// A finding for byte `range` of the code (underlined up to the end of its first line).
    pub(crate) fn diagnostic(
        &self,
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let code = self.code();
        let start = floor_char_boundary(code, range.start.min(code.len()));
        let end = floor_char_boundary(code, range.end.clamp(start, code.len()));
        let end = code[start..end].find('\n').map_or(end, |i| start + i);
        let (line, column) = self.position(start);
        let width = code[start..end].chars().count();
        self.chapter.diagnostic(rule, line, column, width, message)
    }

    /// Adds `diagnostic` to `out` unless this block's `lint-allow=` silences its rule.
    pub(crate) fn report(&self, out: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
        if !self.allows(diagnostic.rule) {
            out.push(diagnostic);
        }
    }
}

/// `path` as the user would write it: `./content/a.md` becomes `content/a.md`.
pub(crate) fn display_path(path: &std::path::Path) -> std::path::PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// The rule ids of every `lint-allow=a,b` word of an info string.
pub(crate) fn lint_allow(info: &str) -> Vec<&str> {
    info.split_whitespace()
        .filter_map(|word| word.strip_prefix("lint-allow="))
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect()
}

impl Diagnostic {
    /// The same finding with a one-line `help`.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_allow_reads_every_attribute_and_list() {
        assert_eq!(
            lint_allow("bash lint-allow=a,b title=x lint-allow=c"),
            ["a", "b", "c"]
        );
        assert!(lint_allow("bash").is_empty());
    }
}
