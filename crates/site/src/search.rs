//! The search index: built at build time from every chapter's
//! [`RenderedChapter::search_text`](crate::markdown::RenderedChapter) (no second parse) and
//! written as the classic script `static/search-index.js`, which `theme/search.js` loads the
//! first time the learner opens search.
//!
//! A document is one section (the text under one heading, or one quiz question). The script
//! defines `window.coursebookSearchIndex` as
//!
//! ```text
//! { "v": 1,
//!   "stop": "a an and …",                      stop words left out of the index
//!   "chapters": [["days/etcd.html", "Day 2: etcd"], …],
//!   "docs": [[chapter, "heading-id", "Heading", "text", length], …],
//!   "terms": "backup etcd etcdctl kube-proxy …", sorted, space-separated
//!   "postings": "<postings of terms[0]> <postings of terms[1]> …" }
//! ```
//!
//! A doc's heading id and heading are empty for the text before a chapter's first heading
//! (its heading is the chapter title), shown text loses the backticks and `**` that quiz
//! prompts and explanations (raw markdown) carry, and `length` is its number of terms, weighted as
//! below, for BM25. The postings of a term list the docs holding it in increasing order, each
//! as a varint `2 * gap + (tf > 1)` followed by a varint `tf - 2` when `tf > 1`, `gap` being the
//! distance from the previous doc (from 0 for the first). A varint is written most significant
//! digit first in base 32: every digit but the last from [`MORE`], the last from [`LAST`], so the
//! postings need no separators and no JSON escaping. Heading terms count [`HEADING_WEIGHT`]
//! times and the chapter title's terms [`TITLE_WEIGHT`] times in every doc of the chapter.
//!
//! Terms are what [`for_each_term`] yields; `theme/search.js` tokenises queries the same way.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::book::STATIC_DIR;
use crate::error::Result;
use crate::markdown::SearchSection;
use crate::output::Sink;
use crate::Site;

/// The index's file name inside `static/`.
pub const INDEX_FILE: &str = "search-index.js";

/// The global the index script defines.
pub const GLOBAL: &str = "window.coursebookSearchIndex";

/// Final digits of a varint (values 0 to 31).
pub const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Leading digits of a varint (values 0 to 31, more digits follow).
pub const MORE: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// How many times a term of a section's heading counts.
pub const HEADING_WEIGHT: u32 = 3;

/// How many times a term of the chapter title counts, in every section of the chapter.
pub const TITLE_WEIGHT: u32 = 1;

/// Terms longer than this (hashes, base64) are not indexed.
pub const MAX_TERM_CHARS: usize = 40;

/// Words too common to be worth a posting list (Lucene's English stop words).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Characters that join two words into one more term (`kube-proxy`, `spec.nodeName`,
/// `max_pods`), indexed besides its parts.
fn is_connector(c: char) -> bool {
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
        && term.chars().count() <= MAX_TERM_CHARS
        && STOP_WORDS.binary_search(&term).is_err()
}

/// Calls `f` with every indexed term of `text`, lowercase: each run of letters and digits,
/// and each run of them joined by `-`, `_` or `.` (`kube-proxy` yields `kube`, `proxy` and
/// `kube-proxy`). Stop words, single letters and over-long terms are skipped.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut part = String::new();
    let mut compound = String::new();
    let mut parts = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            part.push(c);
            continue;
        }
        let joins = is_connector(c)
            && !part.is_empty()
            && chars.peek().is_some_and(|next| next.is_alphanumeric());
        if !part.is_empty() {
            compound.push_str(&part);
            parts += 1;
            emit(&mut part, &mut f);
        }
        if joins {
            compound.push(c);
        } else {
            if parts > 1 {
                emit(&mut compound, &mut f);
            }
            compound.clear();
            parts = 0;
        }
    }
    if !part.is_empty() {
        compound.push_str(&part);
        parts += 1;
        emit(&mut part, &mut f);
    }
    if parts > 1 {
        emit(&mut compound, &mut f);
    }
}

fn emit(word: &mut String, f: &mut impl FnMut(&str)) {
    let lower = word.to_lowercase();
    if is_indexed(&lower) {
        f(&lower);
    }
    word.clear();
}

/// `text` without the markdown marks that quiz prompts and explanations (raw markdown) carry:
/// backticks and `**`.
fn plain(text: &str) -> Cow<'_, str> {
    if text.contains('`') || text.contains("**") {
        Cow::Owned(text.replace('`', "").replace("**", ""))
    } else {
        Cow::Borrowed(text)
    }
}

/// Appends `n` as a varint (see the module documentation).
pub fn push_varint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 13];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for &d in digits[1..len].iter().rev() {
        out.push(char::from(MORE[usize::from(d)]));
    }
    out.push(char::from(LAST[usize::from(digits[0])]));
}

/// One section of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Doc<'a> {
    chapter: usize,
    id: &'a str,
    heading: Cow<'a, str>,
    text: Cow<'a, str>,
    length: u32,
}

/// The search index of a book, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchIndex<'a> {
    chapters: Vec<(&'a str, &'a str)>,
    docs: Vec<Doc<'a>>,
    /// Term -> (doc, weighted term frequency), docs in increasing order.
    postings: BTreeMap<String, Vec<(u32, u32)>>,
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

impl<'a> SearchIndex<'a> {
    /// Indexes `chapters`, in reading order.
    pub fn build(chapters: impl IntoIterator<Item = ChapterText<'a>>) -> SearchIndex<'a> {
        let mut index = SearchIndex {
            chapters: Vec::new(),
            docs: Vec::new(),
            postings: BTreeMap::new(),
        };
        for chapter in chapters {
            let number = index.chapters.len();
            index.chapters.push((chapter.output, chapter.title));
            for section in chapter.sections {
                index.add(
                    number,
                    chapter.title,
                    section.id.as_deref(),
                    &section.heading,
                    &section.text,
                );
            }
            // A chapter without any text still gets one doc, so its title is findable.
            if chapter.sections.is_empty() {
                index.add(number, chapter.title, None, "", "");
            }
        }
        index
    }

    fn add(
        &mut self,
        chapter: usize,
        title: &str,
        id: Option<&'a str>,
        heading: &'a str,
        text: &'a str,
    ) {
        let doc = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let mut count = |text: &str, weight: u32| {
            for_each_term(text, |term| {
                *counts.entry(term.to_owned()).or_default() += weight;
            });
        };
        count(text, 1);
        // The intro's heading is the chapter title: count the title once, as a heading.
        if id.is_none() {
            count(title, HEADING_WEIGHT);
        } else {
            count(heading, HEADING_WEIGHT);
            count(title, TITLE_WEIGHT);
        }
        let length = counts.values().sum();
        for (term, tf) in counts {
            self.postings.entry(term).or_default().push((doc, tf));
        }
        self.docs.push(Doc {
            chapter,
            id: id.unwrap_or(""),
            heading: plain(if id.is_none() { "" } else { heading }),
            text: plain(text),
            length,
        });
    }

    /// Number of documents (sections).
    pub fn docs(&self) -> usize {
        self.docs.len()
    }

    /// The docs holding `term`, as `(output path, heading id)` pairs.
    pub fn lookup(&self, term: &str) -> Vec<(&str, &str)> {
        self.postings
            .get(term)
            .into_iter()
            .flatten()
            .map(|&(doc, _)| {
                let doc = &self.docs[doc as usize];
                (self.chapters[doc.chapter].0, doc.id)
            })
            .collect()
    }

    /// The script `static/search-index.js`.
    pub fn to_js(&self) -> String {
        #[derive(Serialize)]
        struct Json<'b> {
            v: u32,
            stop: String,
            chapters: &'b [(&'b str, &'b str)],
            docs: Vec<(usize, &'b str, &'b str, &'b str, u32)>,
            terms: String,
            postings: String,
        }
        let mut terms = String::new();
        let mut postings = String::new();
        for (term, list) in &self.postings {
            if !terms.is_empty() {
                terms.push(' ');
                postings.push(' ');
            }
            terms.push_str(term);
            let mut previous = 0;
            for &(doc, tf) in list {
                let gap = u64::from(doc - previous);
                previous = doc;
                push_varint(&mut postings, 2 * gap + u64::from(tf > 1));
                if tf > 1 {
                    push_varint(&mut postings, u64::from(tf - 2));
                }
            }
        }
        let json = Json {
            v: 1,
            stop: STOP_WORDS.join(" "),
            chapters: &self.chapters,
            docs: self
                .docs
                .iter()
                .map(|d| (d.chapter, d.id, &*d.heading, &*d.text, d.length))
                .collect(),
            terms,
            postings,
        };
        // Serializing strings and numbers cannot fail.
        let body = serde_json::to_string(&json).unwrap_or_default();
        format!(
            "/* coursebook search index: generated by the build, loaded by search.js. */\n\
             {GLOBAL} = {body};\n"
        )
    }
}

/// Builds the index of every chapter of `site` and writes it to `static/search-index.js`.
pub fn write_index(site: &Site, sink: &dyn Sink) -> Result<()> {
    let index = SearchIndex::build(site.book.chapters.iter().zip(&site.rendered).map(
        |(chapter, rendered)| ChapterText {
            output: &chapter.output,
            title: &chapter.title,
            sections: &rendered.search_text,
        },
    ));
    sink.write(
        &format!("{STATIC_DIR}/{INDEX_FILE}"),
        index.to_js().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t.to_owned()));
        out
    }

    fn section(id: Option<&str>, heading: &str, text: &str) -> SearchSection {
        SearchSection {
            id: id.map(str::to_owned),
            heading: heading.to_owned(),
            text: text.to_owned(),
        }
    }

    /// Decodes a posting list the way search.js does.
    fn decode(postings: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut values = Vec::new();
        let mut n = 0u64;
        for b in postings.bytes() {
            if let Some(d) = MORE.iter().position(|&m| m == b) {
                n = n * 32 + d as u64;
            } else {
                let d = LAST.iter().position(|&m| m == b).expect("a digit");
                values.push(n * 32 + d as u64);
                n = 0;
            }
        }
        let mut values = values.into_iter();
        let mut doc = 0;
        while let Some(v) = values.next() {
            doc += (v / 2) as u32;
            let tf = if v % 2 == 1 {
                values.next().expect("tf") as u32 + 2
            } else {
                1
            };
            out.push((doc, tf));
        }
        out
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
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
    fn quiz_markdown_marks_are_left_out_of_shown_text() {
        assert_eq!(plain("Run `etcdctl` **now**"), "Run etcdctl now");
        assert!(matches!(plain("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn varints_use_separate_final_digits() {
        let encode = |n| {
            let mut s = String::new();
            push_varint(&mut s, n);
            s
        };
        assert_eq!(encode(0), "0");
        assert_eq!(encode(31), "v");
        assert_eq!(encode(32), "x0");
        assert_eq!(encode(32 * 32 + 5), "xw5");
        assert_eq!(encode(u64::MAX).len(), 13);
        assert_eq!(decode(&encode(2 * 1000)), [(1000, 1)]);
    }

    #[test]
    fn postings_map_terms_to_sections_with_weighted_frequencies() {
        let etcd = [
            section(None, "Day 2: etcd", "Intro about quorum."),
            section(
                Some("backup"),
                "Backup",
                "Take a snapshot, then a snapshot again.",
            ),
        ];
        let empty: [SearchSection; 0] = [];
        let index = SearchIndex::build([
            ChapterText {
                output: "days/etcd.html",
                title: "Day 2: etcd",
                sections: &etcd,
            },
            ChapterText {
                output: "days/empty.html",
                title: "Empty quorum",
                sections: &empty,
            },
        ]);
        assert_eq!(index.docs(), 3);
        assert_eq!(
            index.lookup("snapshot"),
            [("days/etcd.html", "backup")],
            "a section maps to its chapter and heading id"
        );
        assert_eq!(
            index.lookup("quorum"),
            [("days/etcd.html", ""), ("days/empty.html", "")],
            "a chapter without text is found by its title"
        );
        assert_eq!(index.postings["snapshot"], [(1, 2)]);
        // The intro counts the title as its heading; other sections count it once.
        assert_eq!(
            index.postings["etcd"],
            [(0, HEADING_WEIGHT), (1, TITLE_WEIGHT)]
        );
        assert_eq!(index.postings["backup"], [(1, HEADING_WEIGHT)]);
        assert!(!index.postings.contains_key("the") && !index.postings.contains_key("a"));
    }

    #[test]
    fn the_script_defines_the_global_with_decodable_postings() {
        let long: String = (0..40).map(|i| format!("word{i} ")).collect();
        let sections: Vec<SearchSection> = (0..40)
            .map(|i| {
                section(
                    Some(&format!("s{i}")),
                    "Part",
                    &format!("{long} \"quoted\" </script>"),
                )
            })
            .collect();
        let index = SearchIndex::build([ChapterText {
            output: "a.html",
            title: "A \"title\"",
            sections: &sections,
        }]);
        let js = index.to_js();
        assert!(js.contains(&format!("\n{GLOBAL} = {{\"v\":1,")), "{js}");
        let json = js
            .split_once(" = ")
            .and_then(|(_, rest)| rest.strip_suffix(";\n"))
            .expect("one assignment");
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(value["chapters"][0][1], "A \"title\"");
        assert_eq!(value["docs"][39][1], "s39");
        assert_eq!(value["docs"][0][3], format!("{long} \"quoted\" </script>"));
        let terms: Vec<&str> = value["terms"].as_str().expect("terms").split(' ').collect();
        let postings: Vec<&str> = value["postings"]
            .as_str()
            .expect("postings")
            .split(' ')
            .collect();
        assert_eq!(terms.len(), postings.len());
        assert!(terms.windows(2).all(|w| w[0] < w[1]), "sorted terms");
        let part = terms.iter().position(|t| *t == "part").expect("part");
        let all: Vec<(u32, u32)> = (0..40).map(|d| (d, HEADING_WEIGHT)).collect();
        assert_eq!(decode(postings[part]), all);
        // Deterministic: the same input writes the same bytes.
        assert_eq!(
            js,
            SearchIndex::build([ChapterText {
                output: "a.html",
                title: "A \"title\"",
                sections: &sections,
            }])
            .to_js()
        );
    }
}
