//! The tokeniser: what a term is, for the index builder and for queries alike.
//!
//! A *part* is a run of letters and digits (Unicode alphabetic or numeric). A *word* is one or
//! more parts joined by single connectors (`-`, `_`, `.`) with a letter or digit on each side:
//! `kube-proxy`, `spec.nodeName`, `v1.29`. A word yields its parts and, when it has more than
//! one, itself as one more term. Terms are lowercase ([`lowercase`](crate::lowercase())); stop
//! words, single ASCII letters and terms longer than [`MAX_TERM_CHARS`] characters are not
//! indexed.
//!
//! Code is read with the same rules by [`for_each_code_term`], which leaves out what only a
//! machine wrote: generated names and hashes (`coredns-5d78c9869d-9xkzj` yields `coredns` and
//! `9xkzj`, not the hash nor the whole name) and long numbers. A shell flag yields its name
//! (`--data-dir=/var/lib/etcd` yields `data`, `dir`, `data-dir`, `var`, `lib` and `etcd`), a
//! YAML line its key and value (`kind: Deployment`), a path its components
//! (`/etc/kubernetes/pki/ca.crt` yields `etc`, `kubernetes`, `pki`, `ca`, `crt` and `ca.crt`),
//! so a learner finds a command by the words they would type.

use std::borrow::Cow;
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

/// Longest run of digits a part of code may be and still be indexed: ports (`10250`) are, sizes
/// and timestamps are not.
pub const MAX_CODE_NUMBER_DIGITS: usize = 5;

/// Calls `f` with every indexed term of `code` (a code block, whitespace collapsed or not):
/// the terms [`for_each_term`] yields, but for the parts that look machine-made
/// ([`is_generated`]), which are left out with the joined word holding them.
pub fn for_each_code_term(code: &str, mut f: impl FnMut(&str)) {
    for word in words(code) {
        let word = slice(code, word);
        let mut count = 0;
        let mut generated = false;
        for part in parts(word) {
            count += 1;
            let part = slice(word, part);
            if is_generated(part) {
                generated = true;
            } else {
                emit(part, &mut f);
            }
        }
        if count > 1 && !generated {
            emit(word, &mut f);
        }
    }
}

/// Whether a part of code looks machine-made, so that indexing it would only grow the index:
/// a number of more than [`MAX_CODE_NUMBER_DIGITS`] digits, or a mix of letters and digits of
/// five characters or more that switches between them at least three times without a run of
/// four letters (`5d78c9869d`, `3fa2c`; not `sha256`, `v1beta1`, `k8s` or `x509`).
pub fn is_generated(part: &str) -> bool {
    let digits = part.bytes().filter(u8::is_ascii_digit).count();
    if digits == part.len() {
        return digits > MAX_CODE_NUMBER_DIGITS;
    }
    if digits == 0 || char_count(part) < 5 {
        return false;
    }
    let (mut switches, mut letters, mut longest) = (0, 0, 0);
    let mut previous: Option<bool> = None;
    for c in part.chars() {
        let digit = c.is_ascii_digit();
        if previous.is_some_and(|p| p != digit) {
            switches += 1;
        }
        previous = Some(digit);
        letters = if digit { 0 } else { letters + 1 };
        longest = longest.max(letters);
    }
    switches >= 3 && longest < 4
}

fn emit(word: &str, f: &mut impl FnMut(&str)) {
    // Most terms are lowercase ASCII already: no copy for them.
    let lower = match word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        true => Cow::Owned(lowercase(word)),
        false => Cow::Borrowed(word),
    };
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

    fn code_terms(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_code_term(code, |t| out.push(t.to_owned()));
        out
    }

    #[test]
    fn code_yields_flags_kinds_and_paths() {
        assert_eq!(
            code_terms("$ etcdctl snapshot save --data-dir=/var/lib/etcd"),
            ["etcdctl", "snapshot", "save", "data", "dir", "data-dir", "var", "lib", "etcd"]
        );
        assert_eq!(
            code_terms("kind: Deployment\napiVersion: apps/v1"),
            ["kind", "deployment", "apiversion", "apps", "v1"]
        );
        assert_eq!(
            code_terms("--cacert=/etc/kubernetes/pki/ca.crt"),
            ["cacert", "etc", "kubernetes", "pki", "ca", "crt", "ca.crt"]
        );
    }

    #[test]
    fn code_leaves_out_hashes_long_numbers_and_the_names_holding_them() {
        assert_eq!(
            code_terms("coredns-5d78c9869d-9xkzj 1/1 Running 0 2d3h 1700000000 10250"),
            ["coredns", "9xkzj", "1", "1", "running", "0", "2d3h", "10250"]
        );
        for kept in ["sha256", "v1beta1", "k8s", "x509", "ipv4", "2d3h", "12345"] {
            assert!(!is_generated(kept), "{kept}");
        }
        for dropped in ["5d78c9869d", "3fa2c", "a1b2c3", "123456"] {
            assert!(is_generated(dropped), "{dropped}");
        }
        // Prose keeps them: only code is filtered.
        assert!(terms("pod-5d78c9869d").contains(&"5d78c9869d".to_owned()));
    }

    #[test]
    fn single_non_ascii_letters_and_digits_are_indexed() {
        assert!(is_indexed("é") && is_indexed("7"));
        assert!(!is_indexed("x") && !is_indexed("") && !is_indexed("the"));
        assert!(is_indexed(&"é".repeat(MAX_TERM_CHARS)));
    }
}
