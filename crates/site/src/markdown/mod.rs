//! Markdown to chapter IR: one pulldown-cmark parse per chapter, then named passes over the IR,
//! producing the [`RenderedChapter`] that templates, the print page, search and lint read.

pub mod admonitions;
pub mod directives;
mod emit;
pub mod fence;
pub mod headings;
pub mod highlight;
pub mod links;

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::book::Chapter;
use crate::error::Position;
use crate::print::PrintLayout;
pub use emit::{print_id, Emit};
pub use headings::TocEntry;
pub use highlight::{Highlighter, Snippet};
pub use links::{Link, LinkTarget};

/// What a node means to emission, so that one IR can be emitted for any page depth and for
/// the print page (where every id is prefixed and chapter links become in-page anchors).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Role {
    /// Emitted as it is.
    #[default]
    Plain,
    /// A link or image to a file of the site; emission writes its URL for each page.
    SiteLink {
        /// The target's output path from the site root (`days/etcd.html`, `img/a.png`).
        output: String,
        /// The anchor, if any.
        fragment: Option<String>,
        /// The target is a chapter (so the print page can point inside itself).
        chapter: bool,
    },
    /// A link to an anchor of the same chapter.
    SamePage(String),
    /// A heading's start, its id set by the heading pass.
    Heading,
    /// The `#` link after a heading, to the heading's id.
    HeaderAnchor(String),
}

/// One event of the parse with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The markdown event (possibly rewritten by a pass).
    pub event: Event<'static>,
    /// Byte range in the chapter body.
    pub span: Range<usize>,
    /// How emission treats it.
    pub role: Role,
}

/// A parsed chapter: the events, and a way back from byte offsets to file lines.
#[derive(Debug, Clone)]
pub struct ChapterIr {
    /// The events in document order.
    pub nodes: Vec<Node>,
    line_starts: Vec<usize>,
    body_line: usize,
}

impl ChapterIr {
    /// Parses `body`, whose first line is line `body_line` of its file.
    pub fn parse(body: &str, body_line: usize) -> ChapterIr {
        let nodes = Parser::new_ext(body, options())
            .into_offset_iter()
            .map(|(event, span)| Node {
                event: event.into_static(),
                span,
                role: Role::Plain,
            })
            .collect();
        let line_starts = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        ChapterIr {
            nodes,
            line_starts,
            body_line,
        }
    }

    /// The file line (1-based) of body byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.body_line + self.line_index(offset)
    }

    /// The file position of body byte `offset` of `body` (the text this IR was parsed from):
    /// its line, and its column in characters like every [`Position`].
    pub fn position(&self, body: &str, offset: usize) -> Position {
        let index = self.line_index(offset);
        let start = self.line_starts[index].min(body.len());
        let end = crate::error::floor_char_boundary(body, offset).max(start);
        Position {
            line: self.body_line + index,
            column: body[start..end].chars().count() + 1,
        }
    }

    fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The body HTML for `target`.
    pub fn to_html(&self, target: Emit<'_>) -> String {
        let mut html = String::with_capacity(self.nodes.len() * 24);
        let events = self.nodes.iter().map(|node| emit::event(node, target));
        pulldown_cmark::html::push_html(&mut html, events);
        html
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Appends `text` escaped for an HTML attribute value or text node.
pub(crate) fn escape_attr(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// Text under one heading, or one quiz question, for the search index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchSection {
    /// The heading's id; `None` for text before the first heading.
    pub id: Option<String>,
    /// The heading's text (the chapter title for the part before the first heading; a quiz
    /// question's prompt).
    pub heading: String,
    /// The prose under it, whitespace-collapsed (a question's explanation).
    pub text: String,
    /// The code blocks under it, whitespace-collapsed.
    pub code: String,
    /// Whether it is a quiz question.
    pub question: bool,
}

/// What every later stage reads about a chapter (its HTML, [`ChapterHtml`], is written and
/// dropped as soon as it is made).
#[derive(Debug, Clone)]
pub struct RenderedChapter {
    /// Every heading in order.
    pub toc: Vec<TocEntry>,
    /// Every link and image, resolved.
    pub links: Vec<Link>,
    /// Every code block with its language and line; only when rendered for `check`
    /// ([`HtmlWanted::Nothing`]), the one reader of them: a build or the dev server would hold
    /// every code block of the book to the end for nothing.
    pub snippets: Vec<Snippet>,
    /// Prose grouped by heading (quiz prompts and explanations last); shared, so the dev
    /// server can index it away from its rebuilds.
    pub search_text: std::sync::Arc<Vec<SearchSection>>,
    /// Every quiz question, in order.
    pub quizzes: Vec<directives::ChapterQuestion>,
}

/// A chapter's body as HTML, for its own page and for its print page.
#[derive(Debug, Clone, Default)]
pub struct ChapterHtml {
    /// The body of the chapter's own page.
    pub page: String,
    /// The body on its print page: ids prefixed, links between chapters inside the print
    /// edition.
    pub print: String,
}

/// What the passes need to know about the rest of the book.
#[derive(Debug)]
pub struct PassContext<'a> {
    /// Source path (`days/02-etcd.md`) -> output path (`days/etcd.html`) of every chapter and
    /// asset.
    pub outputs: &'a BTreeMap<String, String>,
    /// The syntax highlighter, loaded once per build.
    pub highlighter: &'a Highlighter,
    /// Where each chapter is printed.
    pub print: &'a PrintLayout,
    /// Which HTML the caller wants (the rest is left empty).
    pub html: HtmlWanted,
}

/// Which of a chapter's HTML bodies [`render_chapter`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlWanted {
    /// Its page's and its print page's: a build.
    PageAndPrint,
    /// Its page's: the dev server, which writes print pages later.
    Page,
    /// None: `coursebook check`, which reads what the passes found.
    Nothing,
}

/// Runs the one parse and every pass over `chapter`; fails on an invalid quiz or calc block.
pub fn render_chapter(
    chapter: &Chapter,
    cx: &PassContext<'_>,
) -> crate::Result<(RenderedChapter, ChapterHtml)> {
    let mut ir = ChapterIr::parse(&chapter.body, chapter.body_line);
    let toc = headings::assign_ids(&mut ir, &chapter.file)?;
    let links = links::resolve(&mut ir, &chapter.body, &chapter.source, cx.outputs);
    let quizzes = directives::render(
        &mut ir,
        directives::ChapterRef {
            file: &chapter.file,
            output: &chapter.output,
            title: &chapter.title,
        },
    )?;
    let mut search_text = collect_search_text(&ir, &chapter.title);
    search_text.extend(quiz_search_text(&quizzes));
    let snippets =
        highlight::highlight_code(&mut ir, cx.highlighter, cx.html != HtmlWanted::Nothing);
    admonitions::render(&mut ir);
    let prefix = print_id(&chapter.output);
    let page = || {
        ir.to_html(Emit::Page {
            root: &chapter.root(),
        })
    };
    let print = || {
        ir.to_html(Emit::Print {
            prefix: &prefix,
            page: cx.print.page_of(&chapter.output).unwrap_or_default(),
            layout: cx.print,
        })
    };
    let html = match cx.html {
        HtmlWanted::PageAndPrint => ChapterHtml {
            page: page(),
            print: print(),
        },
        HtmlWanted::Page => ChapterHtml {
            page: page(),
            print: String::new(),
        },
        HtmlWanted::Nothing => ChapterHtml::default(),
    };
    let facts = RenderedChapter {
        toc,
        links,
        snippets: match cx.html {
            HtmlWanted::Nothing => snippets,
            HtmlWanted::Page | HtmlWanted::PageAndPrint => Vec::new(),
        },
        search_text: std::sync::Arc::new(search_text),
        quizzes,
    };
    Ok((facts, html))
}

/// Each question's prompt and explanation, findable and linked to the question.
fn quiz_search_text(quizzes: &[directives::ChapterQuestion]) -> Vec<SearchSection> {
    quizzes
        .iter()
        .map(|q| {
            let mut text = String::new();
            push_words(&mut text, &q.question.explanation);
            SearchSection {
                id: Some(directives::element_id(&q.key)),
                heading: q
                    .question
                    .prompt
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                text,
                code: String::new(),
                question: true,
            }
        })
        .collect()
}

/// The prose and code of `ir` (before the code pass turns code blocks into HTML) grouped by
/// heading.
fn collect_search_text(ir: &ChapterIr, title: &str) -> Vec<SearchSection> {
    let mut sections = vec![SearchSection {
        heading: title.to_owned(),
        ..SearchSection::default()
    }];
    let (mut in_heading, mut in_code) = (false, false);
    for node in &ir.nodes {
        match &node.event {
            Event::Start(Tag::Heading { id, .. }) => {
                in_heading = true;
                sections.push(SearchSection {
                    id: id.as_ref().map(|s| s.to_string()),
                    ..SearchSection::default()
                });
            }
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some(section) = sections.last_mut() {
                    let target = if in_heading {
                        &mut section.heading
                    } else if in_code {
                        &mut section.code
                    } else {
                        &mut section.text
                    };
                    push_words(target, t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {}
            _ => {}
        }
    }
    sections.retain(|s| s.id.is_some() || !s.text.is_empty() || !s.code.is_empty());
    sections
}

fn push_words(target: &mut String, text: &str) {
    for word in text.split_whitespace() {
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(word);
    }
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod tests;
