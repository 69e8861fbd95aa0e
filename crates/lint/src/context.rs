//! What a rule sees: the whole site, one chapter, or one code block, and how a byte offset in
//! a code block maps back to a line and column of the markdown file.

use std::ops::Range;

use std::cell::OnceCell;

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
pub struct ChapterCx<'a> {
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
}

/// What the rules read of one code block, computed once and shared by every rule: the scan
/// of its words and heredocs, and bash's parse of it.
#[derive(Debug, Default)]
struct SnippetModel {
    scan: OnceCell<ShellScan>,
    parse: OnceCell<(Prepared, Result<Script, SyntaxError>)>,
}

impl<'a> ChapterCx<'a> {
    /// The context of `site`'s chapter number `index`.
    pub fn new(site: &'a Site, index: usize) -> Self {
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
        }
    }

    /// The text of 1-based file line `line`, when it is part of the body.
    pub fn line_text(&self, line: usize) -> Option<&'a str> {
        let index = line.checked_sub(self.chapter.body_line)?;
        self.body_lines.get(index).copied()
    }

    /// The chapter's code blocks, each with its `lint-allow=` list.
    pub fn snippets(&self) -> impl Iterator<Item = SnippetCx<'_>> {
        self.rendered
            .snippets
            .iter()
            .zip(&self.models)
            .map(move |(snippet, model)| SnippetCx::new(self, snippet, model))
    }

    /// A finding at file `line`, 1-based character `column`, underlining `width` characters.
    pub fn diagnostic(
        &self,
        rule: &'static Rule,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.id,
            severity: rule.severity,
            file: display_path(&self.chapter.file),
            line,
            column: column.max(1),
            width: width.max(1),
            source_line: self.line_text(line).unwrap_or_default().to_owned(),
            message: message.into(),
            help: None,
        }
    }
}

/// One code block of a chapter.
#[derive(Debug)]
pub struct SnippetCx<'a> {
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
    pub fn code(&self) -> &'a str {
        &self.snippet.code
    }

    /// The fence's language, lowercased (`""` when none).
    pub fn lang(&self) -> &'a str {
        &self.snippet.lang
    }

    /// The rule ids named by `lint-allow=` attributes in the info string.
    pub fn allowed(&self) -> &[&'a str] {
        &self.allowed
    }

    /// Whether `lint-allow=` silences `rule` in this block.
    pub fn allows(&self, rule: &str) -> bool {
        self.allowed.contains(&rule)
    }

    /// The file line and 1-based character column of byte `offset` of the code.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let code = self.code();
        let offset = floor_char_boundary(code, offset.min(code.len()));
        let line_start = code[..offset].rfind('\n').map_or(0, |i| i + 1);
        let code_line = code[line_start..].split('\n').next().unwrap_or_default();
        let line = self.snippet.line + code[..line_start].matches('\n').count();
        // A fence inside a list item or a quote has its indent or `> ` stripped from the code.
        let prefix = self
            .chapter
            .line_text(line)
            .filter(|text| text.ends_with(code_line))
            .map_or(0, |text| {
                text[..text.len() - code_line.len()].chars().count()
            });
        let column = prefix + code[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// A finding for byte `range` of the code (underlined up to the end of its first line).
    pub fn diagnostic(
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
    pub fn report(&self, out: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
        if !self.allows(diagnostic.rule) {
            out.push(diagnostic);
        }
    }
}

/// `path` as the user would write it: `./content/a.md` becomes `content/a.md`.
pub fn display_path(path: &std::path::Path) -> std::path::PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// The rule ids of every `lint-allow=a,b` word of an info string.
pub fn lint_allow(info: &str) -> Vec<&str> {
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
