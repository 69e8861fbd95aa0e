//! The search index: built at build time from every chapter's
//! [`RenderedChapter::search_text`](crate::markdown::RenderedChapter) (no second parse) and
//! written as the classic script `static/search-index.js`, which `theme/search-panel.js`
//! loads the first time the learner opens search and hands to the WebAssembly query
//! (`coursebook_search::Index`, through `crates/web`).
//!
//! A document is one section (the text and code under one heading, or one quiz question). The
//! script defines `window.coursebookSearchIndex` as
//!
//! ```text
//! { "v": 3,
//!   "chapters": [["days/etcd.html", "Day 2: etcd"], …],
//!   "docs": [[chapter, "heading-id", "Heading", "text", length], …],
//!   "questions": [doc, …], the docs that are quiz questions, in increasing order
//!   "terms": "backup etcd etcdctl kube-proxy …", sorted, space-separated
//!   "postings": "<postings of terms[0]> <postings of terms[1]> …" }
//! ```
//!
//! A doc's heading id and heading are empty for the text before a chapter's first heading
//! (its heading is the chapter title), shown text loses the backticks and `**` that quiz
//! prompts and explanations (raw markdown) carry, and `length` is its number of terms, weighted as
//! below, for BM25. The text shown is the section's prose; a section of code alone shows the
//! start of its code instead, so that its result has a snippet. The posting lists are encoded by
//! [`coursebook_search::postings`]. Heading terms count [`HEADING_WEIGHT`] times and the
//! chapter title's terms [`TITLE_WEIGHT`] times in every doc of the chapter.
//!
//! Terms are what [`coursebook_search::terms::for_each_term`] yields for prose and
//! [`coursebook_search::terms::for_each_code_term`] for code (the same words, without hashes and
//! generated names): the query, compiled to WebAssembly, reads the learner's words with the
//! same tokeniser.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use foldhash::HashMap;

use rayon::prelude::*;

use coursebook_search::postings;
/// The digits of the posting lists (see [`postings`]), for tests that decode the index.
pub use coursebook_search::postings::{LAST, MORE};
use coursebook_search::terms::{for_each_code_term, for_each_term};
use coursebook_search::SNIPPET_CHARS;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::markdown::SearchSection;
use crate::sink::Sink;
use crate::Site;
use std::sync::Arc;

/// The index's file name inside `static/`.
pub const INDEX_FILE: &str = "search-index.js";

/// The index's site path.
pub const INDEX_PATH: &str = "static/search-index.js";

/// The global the index script defines.
pub const GLOBAL: &str = "window.coursebookSearchIndex";

/// The version of the index format (`v`), which the page checks before using it.
pub const FORMAT_VERSION: u32 = 3;

/// How many times a term of a section's heading counts.
pub const HEADING_WEIGHT: u32 = 3;

/// How many times a term of the chapter title counts, in every section of the chapter.
pub const TITLE_WEIGHT: u32 = 1;

/// `text` without the markdown marks that quiz prompts and explanations (raw markdown) carry:
/// backticks and `**`.
fn plain(text: &str) -> Cow<'_, str> {
    if text.contains('`') || text.contains("**") {
        Cow::Owned(text.replace('`', "").replace("**", ""))
    } else {
        Cow::Borrowed(text)
    }
}

/// The start of `code`, about a snippet long, cut at a space: what a section of code alone
/// shows in its result.
fn code_excerpt(code: &str) -> &str {
    let Some((end, _)) = code.char_indices().nth(SNIPPET_CHARS) else {
        return code;
    };
    match code[..end].rfind(' ') {
        Some(space) if space > 0 => &code[..space],
        _ => &code[..end],
    }
}

/// One section of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Doc<'a> {
    chapter: usize,
    id: &'a str,
    heading: Cow<'a, str>,
    text: Cow<'a, str>,
    length: u32,
    question: bool,
}

impl<'a> Doc<'a> {
    /// `section` of chapter number `chapter`, with `length` weighted terms.
    fn of(chapter: usize, section: &'a SearchSection, length: u32) -> Doc<'a> {
        let (id, heading, text) = (section.id.as_deref(), &section.heading, &section.text);
        let shown = if text.is_empty() {
            code_excerpt(&section.code)
        } else {
            text
        };
        Doc {
            chapter,
            id: id.unwrap_or(""),
            heading: plain(if id.is_none() { "" } else { heading }),
            text: plain(shown),
            length,
            question: section.question,
        }
    }
}

/// The search index of a book, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchIndex<'a> {
    chapters: Vec<(&'a str, &'a str)>,
    docs: Vec<Doc<'a>>,
    /// Term -> its posting list, encoded as its docs come. Sorted by term only when written:
    /// a hash map merges the millions of (doc, term) pairs of a large book several times
    /// faster than a tree of strings, and encoded lists take a quarter of the memory of
    /// `(doc, tf)` pairs.
    postings: HashMap<String, EncodedList>,
}

/// A posting list encoded as its docs come ([`postings::push_posting`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct EncodedList {
    /// The last doc in the list (0 before the first).
    last: u32,
    /// The encoded list.
    encoded: String,
}

impl EncodedList {
    fn push(&mut self, doc: u32, tf: u32) {
        postings::push_posting(&mut self.encoded, doc.saturating_sub(self.last), tf);
        self.last = doc;
    }
}

/// One chapter as the index reads it.
#[derive(Debug, Clone, Copy)]
pub struct ChapterText<'a> {
    /// The output path from the site root (`days/etcd.html`).
    pub output: &'a str,
    /// The chapter's title.
    pub title: &'a str,
    /// Its sections (`RenderedChapter::search_text`).
    pub sections: &'a [SearchSection],
}

/// The section of a chapter without any text.
static NO_TEXT: SearchSection = SearchSection {
    id: None,
    heading: String::new(),
    text: String::new(),
    code: String::new(),
    question: false,
};

/// Chapters whose terms are gathered in one map, by one thread: a run's map holds each of
/// its terms once, so merging it costs its distinct terms, not its (doc, term) pairs.
const RUN: usize = 32;

/// Runs tokenised at once (in parallel) while the batch before is merged: a bounded slice of
/// the book's terms in memory, and both cores busy.
const RUNS_PER_BATCH: usize = 16;

/// The terms of a run of chapters: their postings (term -> (doc, weighted term frequency),
/// docs in increasing order), and each doc's length.
#[derive(Default)]
struct Run {
    postings: HashMap<String, Vec<(u32, u32)>>,
    lengths: Vec<u32>,
}

impl<'a> SearchIndex<'a> {
    /// Indexes `chapters`, in reading order.
    pub fn build(chapters: impl IntoIterator<Item = ChapterText<'a>>) -> SearchIndex<'a> {
        let chapters: Vec<ChapterText<'a>> = chapters.into_iter().collect();
        let mut index = SearchIndex {
            chapters: Vec::with_capacity(chapters.len()),
            docs: Vec::new(),
            postings: HashMap::default(),
        };
        // Each run's first doc, so that runs are numbered apart from each other.
        let mut first_docs = Vec::with_capacity(chapters.len().div_ceil(RUN));
        let mut docs = 0u32;
        for run in chapters.chunks(RUN) {
            first_docs.push(docs);
            let sections = run.iter().map(|c| sections_of(c).len()).sum::<usize>();
            docs = docs.saturating_add(u32::try_from(sections).unwrap_or(u32::MAX));
        }
        let runs: Vec<(&[ChapterText<'a>], u32)> = chapters.chunks(RUN).zip(first_docs).collect();
        let tokenise = |batch: &[(&[ChapterText<'a>], u32)]| -> Vec<Run> {
            batch
                .par_iter()
                .map(|&(run, first)| tokenise_run(run, first))
                .collect()
        };
        let mut batches = runs.chunks(RUNS_PER_BATCH);
        let mut pending = batches.next().map(|batch| (batch, tokenise(batch)));
        while let Some((batch, tokenised)) = pending.take() {
            let next = batches.next();
            let ((), following) = rayon::join(
                || {
                    for (&(run, _), terms) in batch.iter().zip(tokenised) {
                        index.merge(run, terms);
                    }
                },
                || next.map(|next| (next, tokenise(next))),
            );
            pending = following;
        }
        index
    }

    /// Adds the docs of `run`, whose terms are `terms`, after those already in.
    fn merge(&mut self, run: &[ChapterText<'a>], terms: Run) {
        for (term, list) in terms.postings {
            let encoded = self.postings.entry(term).or_default();
            for (doc, tf) in list {
                encoded.push(doc, tf);
            }
        }
        let mut lengths = terms.lengths.into_iter();
        for chapter in run {
            let number = self.chapters.len();
            self.chapters.push((chapter.output, chapter.title));
            for section in sections_of(chapter) {
                let length = lengths.next().unwrap_or_default();
                self.docs.push(Doc::of(number, section, length));
            }
        }
    }

    /// Number of documents (sections).
    pub fn docs(&self) -> usize {
        self.docs.len()
    }

    /// The docs holding `term`, as `(output path, heading id)` pairs.
    pub fn lookup(&self, term: &str) -> Vec<(&str, &str)> {
        self.postings(term)
            .into_iter()
            .map(|(doc, _)| {
                let doc = &self.docs[doc as usize];
                (self.chapters[doc.chapter].0, doc.id)
            })
            .collect()
    }

    /// The posting list of `term`: (doc, weighted term frequency), docs in increasing order.
    fn postings(&self, term: &str) -> Vec<(u32, u32)> {
        self.postings
            .get(term)
            .map(|list| postings::decode(&list.encoded).collect())
            .unwrap_or_default()
    }

    /// The script `static/search-index.js`.
    pub fn to_js(&self) -> String {
        let mut js = Vec::new();
        // Writing into a Vec cannot fail, and the script is JSON: UTF-8.
        let _ = self.write_js(&mut js);
        String::from_utf8(js).unwrap_or_default()
    }

    /// Writes the script `static/search-index.js` into `out` as it is made: the term list and
    /// the posting lists (most of the index) are never joined in memory.
    pub fn write_js(&self, out: &mut dyn Write) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct Json<'b> {
            v: u32,
            chapters: &'b [(&'b str, &'b str)],
            docs: Vec<(usize, &'b str, &'b str, &'b str, u32)>,
            questions: Vec<usize>,
            terms: Streamed<'b>,
            postings: Streamed<'b>,
        }
        let mut sorted: Vec<(&str, &str)> = self
            .postings
            .iter()
            .map(|(term, list)| (term.as_str(), list.encoded.as_str()))
            .collect();
        sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let json = Json {
            v: FORMAT_VERSION,
            chapters: &self.chapters,
            docs: self
                .docs
                .iter()
                .map(|d| (d.chapter, d.id, &*d.heading, &*d.text, d.length))
                .collect(),
            questions: (0..self.docs.len())
                .filter(|&d| self.docs[d].question)
                .collect(),
            terms: Streamed::Terms(&sorted),
            postings: Streamed::Postings(&sorted),
        };
        out.write_all(
            b"/* coursebook search index: generated by the build, loaded by search-panel.js. */\n",
        )?;
        write!(out, "{GLOBAL} = ")?;
        serde_json::to_writer(&mut *out, &json).map_err(std::io::Error::other)?;
        out.write_all(b";\n")
    }
}

/// A space-separated string of the index, serialised piece by piece (serde_json escapes what
/// a `Display` writes as it comes).
enum Streamed<'b> {
    /// The sorted terms.
    Terms(&'b [(&'b str, &'b str)]),
    /// Their encoded posting lists, in the same order.
    Postings(&'b [(&'b str, &'b str)]),
}

impl std::fmt::Display for Streamed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sorted, second) = match self {
            Streamed::Terms(sorted) => (sorted, false),
            Streamed::Postings(sorted) => (sorted, true),
        };
        for (i, &(term, list)) in sorted.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(if second { list } else { term })?;
        }
        Ok(())
    }
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A chapter's sections; a chapter without any text still gets one, so that its title is
/// findable.
fn sections_of<'a>(chapter: &ChapterText<'a>) -> &'a [SearchSection] {
    if chapter.sections.is_empty() {
        std::slice::from_ref(&NO_TEXT)
    } else {
        chapter.sections
    }
}

/// The postings of the docs of `run`, numbered from `first`.
fn tokenise_run(run: &[ChapterText<'_>], first: u32) -> Run {
    let mut terms = Run::default();
    let mut doc = first;
    for chapter in run {
        for section in sections_of(chapter) {
            let mut length = 0u32;
            for_each_section_term(chapter.title, section, |term, weight| {
                length = length.saturating_add(weight);
                let Some(list) = terms.postings.get_mut(term) else {
                    terms.postings.insert(term.to_owned(), vec![(doc, weight)]);
                    return;
                };
                match list.last_mut() {
                    Some((last, tf)) if *last == doc => *tf = tf.saturating_add(weight),
                    _ => list.push((doc, weight)),
                }
            });
            terms.lengths.push(length);
            doc = doc.saturating_add(1);
        }
    }
    terms
}

/// Calls `f` with each term of `section` of the chapter titled `title` and its weight: code
/// and prose once, the heading [`HEADING_WEIGHT`] times and the title [`TITLE_WEIGHT`] times
/// (the intro's heading is the title: it counts once, as a heading).
fn for_each_section_term(title: &str, section: &SearchSection, mut f: impl FnMut(&str, u32)) {
    for_each_code_term(&section.code, |term| f(term, 1));
    for_each_term(&section.text, |term| f(term, 1));
    if section.id.is_none() {
        for_each_term(title, |term| f(term, HEADING_WEIGHT));
    } else {
        for_each_term(&section.heading, |term| f(term, HEADING_WEIGHT));
        for_each_term(title, |term| f(term, TITLE_WEIGHT));
    }
}

/// Builds the index of every chapter of `site` and writes it to `static/search-index.js`.
pub fn write_index(site: &Site, sink: &dyn Sink) -> Result<()> {
    IndexJob::of(site).write(sink)
}

/// What the index is made from, taken from a site so that it can be built on another thread
/// while the site changes (the dev server's rebuilds do not wait for it).
#[derive(Debug, Clone)]
pub struct IndexJob {
    chapters: Vec<(String, String, Arc<Vec<SearchSection>>)>,
}

impl IndexJob {
    /// The text of every chapter of `site` (shared, not copied).
    pub fn of(site: &Site) -> IndexJob {
        let chapters = site
            .book
            .chapters
            .iter()
            .zip(&site.rendered)
            .map(|(c, r)| {
                (
                    c.output.clone(),
                    c.title.clone(),
                    Arc::clone(&r.search_text),
                )
            })
            .collect();
        IndexJob { chapters }
    }

    /// Builds the index and writes it to [`INDEX_PATH`], as it is serialised.
    pub fn write(&self, sink: &dyn Sink) -> Result<()> {
        let index = self.index();
        sink.write_streamed(INDEX_PATH, &mut |out| {
            let mut out = std::io::BufWriter::new(out);
            index
                .write_js(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| Error::io(Path::new(INDEX_PATH), "cannot write", e))
        })
    }

    /// Builds the index: the text of `static/search-index.js`.
    pub fn script(&self) -> String {
        self.index().to_js()
    }

    /// The index of these chapters.
    fn index(&self) -> SearchIndex<'_> {
        SearchIndex::build(
            self.chapters
                .iter()
                .map(|(output, title, sections)| ChapterText {
                    output,
                    title,
                    sections,
                }),
        )
    }
}

#[cfg(test)]
mod tests;
