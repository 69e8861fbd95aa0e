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
use std::collections::BTreeMap;

use coursebook_search::postings;
/// The digits of the posting lists (see [`postings`]), for tests that decode the index.
pub use coursebook_search::postings::{LAST, MORE};
use coursebook_search::terms::{for_each_code_term, for_each_term};
use coursebook_search::SNIPPET_CHARS;
use serde::Serialize;

use crate::error::Result;
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

/// The section of a chapter without any text.
static NO_TEXT: SearchSection = SearchSection {
    id: None,
    heading: String::new(),
    text: String::new(),
    code: String::new(),
    question: false,
};

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
                index.add(number, chapter.title, section);
            }
            // A chapter without any text still gets one doc, so its title is findable.
            if chapter.sections.is_empty() {
                index.add(number, chapter.title, &NO_TEXT);
            }
        }
        index
    }

    fn add(&mut self, chapter: usize, title: &str, section: &'a SearchSection) {
        let (id, heading, text) = (section.id.as_deref(), &section.heading, &section.text);
        let doc = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for_each_code_term(&section.code, |term| {
            *counts.entry(term.to_owned()).or_default() += 1;
        });
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
        let shown = if text.is_empty() {
            code_excerpt(&section.code)
        } else {
            text
        };
        self.docs.push(Doc {
            chapter,
            id: id.unwrap_or(""),
            heading: plain(if id.is_none() { "" } else { heading }),
            text: plain(shown),
            length,
            question: section.question,
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
            chapters: &'b [(&'b str, &'b str)],
            docs: Vec<(usize, &'b str, &'b str, &'b str, u32)>,
            questions: Vec<usize>,
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
            postings::push_list(&mut postings, list);
        }
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
            terms,
            postings,
        };
        // Serializing strings and numbers cannot fail.
        let body = serde_json::to_string(&json).unwrap_or_default();
        format!(
            "/* coursebook search index: generated by the build, loaded by search-panel.js. */\n\
             {GLOBAL} = {body};\n"
        )
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

    /// Builds the index and writes it to [`INDEX_PATH`].
    pub fn write(&self, sink: &dyn Sink) -> Result<()> {
        sink.write(INDEX_PATH, self.script().as_bytes())
    }

    /// Builds the index: the text of `static/search-index.js`.
    pub fn script(&self) -> String {
        let index =
            SearchIndex::build(
                self.chapters
                    .iter()
                    .map(|(output, title, sections)| ChapterText {
                        output,
                        title,
                        sections,
                    }),
            );
        index.to_js()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lives_with_the_static_files() {
        assert_eq!(
            INDEX_PATH,
            format!("{}/{INDEX_FILE}", crate::book::STATIC_DIR)
        );
    }

    fn section(id: Option<&str>, heading: &str, text: &str) -> SearchSection {
        SearchSection {
            id: id.map(str::to_owned),
            heading: heading.to_owned(),
            text: text.to_owned(),
            ..SearchSection::default()
        }
    }

    fn decode(list: &str) -> Vec<(u32, u32)> {
        postings::decode(list).collect()
    }

    /// The parsed JSON of the index script.
    fn json(js: &str) -> serde_json::Value {
        let json = js
            .split_once(" = ")
            .and_then(|(_, rest)| rest.strip_suffix(";\n"))
            .expect("one assignment");
        serde_json::from_str(json).expect("valid JSON")
    }

    #[test]
    fn quiz_markdown_marks_are_left_out_of_shown_text() {
        assert_eq!(plain("Run `etcdctl` **now**"), "Run etcdctl now");
        assert!(matches!(plain("plain"), Cow::Borrowed("plain")));
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
    fn code_is_indexed_and_shown_when_a_section_has_nothing_else() {
        let long: String = (0..60).map(|i| format!("arg{i} ")).collect();
        let sections = [
            SearchSection {
                code: "etcdctl snapshot save --data-dir=/var/lib/etcd coredns-5d78c9869d-9xkzj"
                    .into(),
                ..section(Some("backup"), "Backup", "")
            },
            SearchSection {
                code: format!("kubectl {long}"),
                ..section(Some("prose"), "Prose", "Some prose.")
            },
            SearchSection {
                code: format!("netshoot {long}"),
                ..section(Some("long"), "Long", "")
            },
            SearchSection {
                question: true,
                ..section(Some("q-a"), "Which snapshot?", "")
            },
        ];
        let index = SearchIndex::build([ChapterText {
            output: "a.html",
            title: "A",
            sections: &sections,
        }]);
        assert_eq!(
            index.lookup("snapshot"),
            [("a.html", "backup"), ("a.html", "q-a")]
        );
        assert_eq!(index.lookup("data-dir"), [("a.html", "backup")]);
        assert_eq!(index.lookup("netshoot"), [("a.html", "long")]);
        assert!(index.lookup("5d78c9869d").is_empty());
        let value = json(&index.to_js());
        assert_eq!(
            value["docs"][0][3],
            "etcdctl snapshot save --data-dir=/var/lib/etcd coredns-5d78c9869d-9xkzj",
            "code alone is shown"
        );
        assert_eq!(
            value["docs"][1][3], "Some prose.",
            "prose is shown before code"
        );
        let excerpt = value["docs"][2][3].as_str().expect("text");
        assert!(excerpt.starts_with("netshoot arg0") && excerpt.len() <= SNIPPET_CHARS);
        assert!(
            excerpt.ends_with(|c: char| c.is_ascii_digit()),
            "cut at a space: {excerpt}"
        );
        assert_eq!(value["questions"], serde_json::json!([3]));
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
        assert!(js.contains(&format!("\n{GLOBAL} = {{\"v\":3,")), "{js}");
        let value = json(&js);
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

    #[test]
    fn the_query_reads_the_written_index() {
        let etcd = [
            section(None, "Day 2: etcd", "Intro about quorum."),
            section(Some("backup"), "Backup", "Take an etcdctl snapshot."),
            section(
                Some("restore"),
                "Restore",
                "Restore the snapshot with etcdutl.",
            ),
        ];
        let index = SearchIndex::build([ChapterText {
            output: "days/etcd.html",
            title: "Day 2: etcd",
            sections: &etcd,
        }]);
        let value = json(&index.to_js());
        let text = |key: &str| value[key].as_str().expect("a string").to_owned();
        let docs = value["docs"].as_array().expect("docs");
        let lengths = docs
            .iter()
            .map(|d| {
                d[4].as_u64()
                    .and_then(|l| u32::try_from(l).ok())
                    .expect("a length")
            })
            .collect();
        let query = coursebook_search::Index::new(text("terms"), text("postings"), lengths)
            .expect("the query accepts the index")
            .with_questions(Vec::new());
        let found = query.search("backup snaps", 20).expect("terms");
        let first = found.hits.first().expect("a hit").doc;
        assert_eq!(docs[first][1], "backup", "{found:?}");
        assert_eq!(found.total, 2, "both snapshot sections match");
        let heading = found.marked(docs[first][2].as_str().expect("heading"));
        assert_eq!(heading.segments(), ["", "Backup", ""]);
        // Joined words are indexed whole, as the query reads them.
        let found = query.search("etcd-ctl etcdctl", 20).expect("terms");
        assert_eq!(found.hits.len(), 3);
    }
}
