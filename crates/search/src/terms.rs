//! The tokeniser: what a term is, for the index builder and for queries alike.
//!
//! A *part* is a run of letters and digits (Unicode alphabetic or numeric). A *word* is one or
//! more parts joined by single connectors (`-`, `_`, `.`) with a letter or digit on each side:
//! `kube-proxy`, `spec.nodeName`, `v1.29`. A word yields its parts and, when it has more than
//! one, itself as one more term. Terms are lowercase ([`lowercase`](crate::lowercase())); stop
//! words, single ASCII letters and terms longer than [`MAX_TERM_CHARS`] characters are not
//! indexed.

use std::ops::Range;
use std::slice::SliceIndex;

use crate::lowercase::lowercase;

/// Terms longer than this (hashes, base64) are not indexed.
pub const MAX_TERM_CHARS: usize = 40;

/// Words too common to be worth a posting list (Lucene's English stop words), sorted.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Whether `c` belongs to a part (a letter or a digit).
pub fn is_part_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that join two parts into one word (`kube-proxy`, `spec.nodeName`, `max_pods`).
pub fn is_connector(c: char) -> bool {
    matches!(c, '-' | '_' | '.')
}

/// Whether `term` (lowercase) goes into the index.
pub fn is_indexed(term: &str) -> bool {
    let mut chars = term.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let single = chars.next().is_none();
    !(single && first.is_ascii_alphabetic())
        && char_count(term) <= MAX_TERM_CHARS
        && STOP_WORDS.binary_search(&term).is_err()
}

/// `text[range]`, or `""` when the range is not one of `text`: slicing that cannot panic keeps
/// the string-slicing panic (and the character tables its message needs) out of the
/// WebAssembly bundle.
pub fn slice<R: SliceIndex<str, Output = str>>(text: &str, range: R) -> &str {
    text.get(range).unwrap_or("")
}

/// The number of characters of `text` (`chars().count()` without its large fast path).
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| b & 0xc0 != 0x80).count()
}

/// The byte ranges of the words of `text`, in order.
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The byte ranges of the parts of `text` (a word, or any text), in order.
pub fn parts(text: &str) -> Parts<'_> {
    Parts { text, at: 0 }
}

/// Iterator over the words of a text: see [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let start = next_part_start(self.text, self.at)?;
        let mut end = part_end(self.text, start);
        // A connector joins only when a part continues right after it.
        while let Some(c) = slice(self.text, end..)
            .chars()
            .next()
            .filter(|&c| is_connector(c))
        {
            let next = end + c.len_utf8();
            if !slice(self.text, next..)
                .chars()
                .next()
                .is_some_and(is_part_char)
            {
                break;
            }
            end = part_end(self.text, next);
        }
        self.at = end;
        Some(start..end)
    }
}

/// Iterator over the parts of a text: see [`parts`].
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for Parts<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let start = next_part_start(self.text, self.at)?;
        let end = part_end(self.text, start);
        self.at = end;
        Some(start..end)
    }
}

/// The first byte at or after `from` that starts a part.
fn next_part_start(text: &str, from: usize) -> Option<usize> {
    text.get(from..)?
        .char_indices()
        .find(|&(_, c)| is_part_char(c))
        .map(|(i, _)| from + i)
}

/// The end of the part starting at `start`.
fn part_end(text: &str, start: usize) -> usize {
    slice(text, start..)
        .char_indices()
        .find(|&(_, c)| !is_part_char(c))
        .map_or(text.len(), |(i, _)| start + i)
}

/// Calls `f` with every indexed term of `text`, lowercase, in order: for each word its parts,
/// then the word itself when it has more than one part (`kube-proxy` yields `kube`, `proxy`
/// and `kube-proxy`).
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    for word in words(text) {
        let word = slice(text, word);
        let mut count = 0;
        for part in parts(word) {
            count += 1;
            emit(slice(word, part), &mut f);
        }
        if count > 1 {
            emit(word, &mut f);
        }
    }
}

fn emit(word: &str, f: &mut impl FnMut(&str)) {
    let lower = lowercase(word);
    if is_indexed(&lower) {
        f(&lower);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t.to_owned()));
        out
    }

    fn slices(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> Vec<&str> {
        ranges.map(|r| &text[r]).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_parts_joined_by_single_connectors() {
        let text = "-kube-proxy, a--b spec.nodeName. v1.29_x é_ü";
        assert_eq!(
            slices(text, words(text)),
            ["kube-proxy", "a", "b", "spec.nodeName", "v1.29_x", "é_ü"]
        );
        assert_eq!(slices(text, parts("")), Vec::<&str>::new());
        let word = "spec.nodeName";
        assert_eq!(slices(word, parts(word)), ["spec", "nodeName"]);
    }

    #[test]
    fn terms_are_lowercase_words_and_joined_words() {
        assert_eq!(
            terms("Restart kube-proxy and etcdctl; check spec.nodeName."),
            [
                "restart",
                "kube",
                "proxy",
                "kube-proxy",
                "etcdctl",
                "check",
                "spec",
                "nodename",
                "spec.nodename"
            ]
        );
        // Stop words and single letters are dropped, but stay part of a joined word.
        assert_eq!(
            terms("The PV's data is up-to-date"),
            ["pv", "data", "up", "date", "up-to-date"]
        );
        // A connector at an edge joins nothing; digits and non-ASCII letters are words.
        assert_eq!(
            terms("-flag_ v1.29 Größe 10.96.0.0/12"),
            [
                "flag",
                "v1",
                "29",
                "v1.29",
                "größe",
                "10",
                "96",
                "0",
                "0",
                "10.96.0.0",
                "12"
            ]
        );
        assert_eq!(terms(&"x".repeat(41)), Vec::<String>::new());
        assert_eq!(terms(""), Vec::<String>::new());
    }

    #[test]
    fn single_non_ascii_letters_and_digits_are_indexed() {
        assert!(is_indexed("é") && is_indexed("7"));
        assert!(!is_indexed("x") && !is_indexed("") && !is_indexed("the"));
        assert!(is_indexed(&"é".repeat(MAX_TERM_CHARS)));
    }
}
