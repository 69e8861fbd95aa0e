//! Showing results: the words of a text that match the query, and the snippet of a long text
//! around its first match.

use std::ops::Range;

use crate::lowercase::lowercase;
use crate::query::{Found, QueryTerm};
use crate::terms::{char_count, parts, slice, words};

/// Characters of text a snippet shows (about; it is cut at spaces).
pub const SNIPPET_CHARS: usize = 180;

/// A text with the byte ranges of its words that match a query, in order, not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The text shown.
    pub text: String,
    /// The ranges of `text` to mark.
    pub marks: Vec<Range<usize>>,
}

impl Marked {
    /// `text` with the words matching `terms` marked.
    pub fn new(text: String, terms: &[QueryTerm]) -> Marked {
        let marks = marks(&text, terms);
        Marked { text, marks }
    }

    /// The text cut at its marks: plain, marked, plain, …, plain (always an odd number of
    /// pieces, the plain ones possibly empty).
    pub fn segments(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(2 * self.marks.len() + 1);
        let mut at = 0;
        for mark in &self.marks {
            out.push(self.text.get(at..mark.start).unwrap_or(""));
            out.push(self.text.get(mark.clone()).unwrap_or(""));
            at = mark.end;
        }
        out.push(self.text.get(at..).unwrap_or(""));
        out
    }
}

impl Found {
    /// `text` (a title or a heading) with the query's words marked.
    pub fn marked(&self, text: &str) -> Marked {
        Marked::new(text.to_owned(), &self.terms)
    }

    /// About [`SNIPPET_CHARS`] characters of `text` from a little before its first match,
    /// cut at spaces, with `… ` and ` …` where text is left out, and the query's words marked.
    pub fn snippet(&self, text: &str) -> Marked {
        Marked::new(snippet_text(text, &self.terms), &self.terms)
    }
}

/// The byte ranges of `text` to mark for `terms`: whole words that match (`kube-proxy`), else
/// the parts of words that do (`proxy` in `kube-proxy`).
pub fn marks(text: &str, terms: &[QueryTerm]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for word in words(text) {
        let shown = slice(text, word.clone());
        if matches(shown, terms) {
            out.push(word);
            continue;
        }
        for part in parts(shown).filter(|p| p.len() < shown.len()) {
            if matches(slice(shown, part.clone()), terms) {
                out.push(word.start + part.start..word.start + part.end);
            }
        }
    }
    out
}

fn matches(word: &str, terms: &[QueryTerm]) -> bool {
    let lower = lowercase(word);
    terms.iter().any(|t| t.matches(&lower))
}

/// The byte offset of character `n` of `text` (its length past the end).
fn char_offset(text: &str, n: usize) -> usize {
    let mut starts = text.char_indices().map(|(i, _)| i);
    for _ in 0..n {
        if starts.next().is_none() {
            return text.len();
        }
    }
    starts.next().unwrap_or(text.len())
}

fn snippet_text(text: &str, terms: &[QueryTerm]) -> String {
    if char_count(text) <= SNIPPET_CHARS {
        return text.to_owned();
    }
    let start = snippet_start(text, terms);
    let start_char = char_count(slice(text, ..start));
    let mut end = char_offset(text, start_char + SNIPPET_CHARS);
    if end < text.len() {
        let space = if text.as_bytes().get(end) == Some(&b' ') {
            Some(end)
        } else {
            slice(text, ..end).bytes().rposition(|b| b == b' ')
        };
        if let Some(space) = space.filter(|&s| s > start) {
            end = space;
        }
    }
    let mut out = String::with_capacity(end.saturating_sub(start) + 8);
    if start > 0 {
        out.push_str("… ");
    }
    out.push_str(slice(text, start..end));
    if end < text.len() {
        out.push_str(" …");
    }
    out
}

/// Where a snippet of `text` starts: at the start, or at a word about a third of a snippet
/// before the first match.
fn snippet_start(text: &str, terms: &[QueryTerm]) -> usize {
    let lead = SNIPPET_CHARS / 3;
    let Some(first) = marks(text, terms).first().map(|m| m.start) else {
        return 0;
    };
    let first_char = char_count(slice(text, ..first));
    if first_char <= lead {
        return 0;
    }
    let from = char_offset(text, first_char - lead);
    match slice(text, from..).bytes().position(|b| b == b' ') {
        Some(i) if from + i < first => from + i + 1,
        _ => first,
    }
}
