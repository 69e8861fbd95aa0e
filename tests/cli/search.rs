//! The search index `static/search-index.js`: small enough for a 1,000-chapter book, and
//! mapping the shipped course's words to their chapter and heading.

use std::fmt::Write as _;
use std::path::Path;

use coursebook_site::search::{LAST, MORE};
use serde_json::Value;

use crate::support::{repo_root, run_in};

/// mdBook's index for a 1,000-chapter book is about 25 MB; ours must stay under a fifth.
const BUDGET: u64 = 5_000_000;

/// SplitMix64: a fixed generator, so the book is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A rank in `0..n` with probability about proportional to `1 / (rank + 1)` (Zipf-like).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

/// Words common in a Kubernetes course, then made-up ones: a vocabulary of [`VOCABULARY`]
/// distinct words, like a real book's.
const COMMON: &[&str] = &[
    "the",
    "a",
    "of",
    "to",
    "and",
    "is",
    "in",
    "that",
    "it",
    "for",
    "pod",
    "node",
    "cluster",
    "when",
    "with",
    "each",
    "this",
    "etcd",
    "scheduler",
    "kubelet",
    "kube-proxy",
    "controller",
    "service",
    "volume",
    "claim",
    "lease",
    "leader",
    "quorum",
    "snapshot",
    "etcdctl",
    "kubectl",
    "namespace",
    "label",
    "selector",
    "iptables",
    "endpoint",
    "certificate",
    "webhook",
];
const SYLLABLES: &[&str] = &[
    "ka", "to", "ri", "ne", "mo", "sa", "lu", "pe", "di", "go", "ba", "shi", "ter", "con", "ver",
    "pro", "ex", "ment", "tion", "al", "ly", "ing", "er", "ous",
];
const VOCABULARY: usize = 20_000;

fn word(rank: usize) -> String {
    if let Some(w) = COMMON.get(rank) {
        return (*w).to_owned();
    }
    let mut n = rank + SYLLABLES.len();
    let mut w = String::new();
    while n > 0 {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    w
}

fn sentence(rng: &mut Rng) -> String {
    let len = 6 + rng.below(14);
    let words: Vec<String> = (0..len)
        .map(|i| {
            let w = word(rng.zipf(VOCABULARY));
            match (i, rng.below(20)) {
                (0, _) => w[..1].to_uppercase() + &w[1..],
                (_, 0) => format!("`{w}`"),
                (_, 1) => format!("*{w}*"),
                _ => w,
            }
        })
        .collect();
    words.join(" ") + "."
}

/// Chapter `i`: about 3 KB of prose under four headings, and a one-question quiz.
fn chapter(i: usize) -> String {
    let mut rng = Rng(0x5eed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut out = format!(
        "+++\ntitle = \"Chapter {}: {}\"\n+++\n\n",
        i + 1,
        sentence(&mut rng).trim_end_matches('.')
    );
    for heading in ["Overview", "How it works", "Exercise", "Troubleshooting"] {
        let _ = write!(out, "## {heading} {}\n\n", word(rng.zipf(VOCABULARY)));
        let start = out.len();
        while out.len() - start < 750 {
            let _ = write!(out, "{} ", sentence(&mut rng));
            if rng.below(4) == 0 {
                out.push_str("\n\n");
            }
        }
        out.push_str("\n\n```bash\nkubectl get pods -A\n```\n\n");
    }
    let _ = write!(
        out,
        "```quiz\n[[question]]\nkind = \"single\"\nprompt = \"{}\"\nexplanation = \"{}\"\n\
         option = [{{ text = \"yes\", correct = true }}, {{ text = \"no\" }}]\n```\n",
        sentence(&mut rng),
        sentence(&mut rng)
    );
    out
}

fn write_book(root: &Path, chapters: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"A thousand chapters\"\n",
    )
    .expect("book.toml");
    std::fs::write(content.join("_index.md"), "Generated.\n").expect("_index.md");
    for part in 0..chapters.div_ceil(100) {
        std::fs::create_dir_all(content.join(format!("{part:02}-part-{part}"))).expect("mkdir");
    }
    for i in 0..chapters {
        let path = content.join(format!("{0:02}-part-{0}/{i:04}-chapter-{i}.md", i / 100));
        std::fs::write(path, chapter(i)).expect("chapter");
    }
}

/// The index's JSON value.
fn read_index(site: &Path) -> Value {
    let js = std::fs::read_to_string(site.join("static/search-index.js")).expect("index");
    let json = js
        .split_once("window.coursebookSearchIndex = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("the script assigns window.coursebookSearchIndex");
    serde_json::from_str(json).expect("the index is JSON")
}

/// The docs of one posting list (see `crates/site/src/search.rs`).
fn posting_docs(postings: &str) -> Vec<usize> {
    let mut values = Vec::new();
    let mut n = 0;
    for b in postings.bytes() {
        match MORE.iter().position(|&d| d == b) {
            Some(d) => n = n * 32 + d,
            None => {
                let d = LAST.iter().position(|&d| d == b).expect("a digit");
                values.push(n * 32 + d);
                n = 0;
            }
        }
    }
    let (mut docs, mut doc, mut values) = (Vec::new(), 0, values.into_iter());
    while let Some(v) = values.next() {
        doc += v / 2;
        if v % 2 == 1 {
            values.next().expect("tf");
        }
        docs.push(doc);
    }
    docs
}

/// `(chapter output path, heading id)` of every doc holding `term`.
fn lookup(index: &Value, term: &str) -> Vec<(String, String)> {
    let terms: Vec<&str> = index["terms"].as_str().expect("terms").split(' ').collect();
    let postings: Vec<&str> = index["postings"]
        .as_str()
        .expect("postings")
        .split(' ')
        .collect();
    assert_eq!(terms.len(), postings.len());
    let Some(i) = terms.iter().position(|t| *t == term) else {
        return Vec::new();
    };
    posting_docs(postings[i])
        .into_iter()
        .map(|d| {
            let doc = &index["docs"][d];
            let chapter = doc[0].as_u64().expect("chapter") as usize;
            (
                index["chapters"][chapter][0]
                    .as_str()
                    .expect("path")
                    .to_owned(),
                doc[1].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_index_of_a_thousand_chapter_book_stays_under_a_fifth_of_mdbooks() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    write_book(tmp.path(), 1000);
    let prose: usize = (0..1000).map(|i| chapter(i).len()).sum();
    assert!(prose > 3_000_000, "the generated book is {prose} bytes");
    run_in(tmp.path(), &["build"]).success();
    let site = tmp.path().join("book");
    let bytes = std::fs::metadata(site.join("static/search-index.js"))
        .expect("static/search-index.js")
        .len();
    eprintln!("search index of 1,000 chapters ({prose} bytes of markdown): {bytes} bytes");
    assert!(
        bytes <= BUDGET,
        "search index is {bytes} bytes, over {BUDGET}"
    );
    // Every chapter is in it, and a chapter's own words lead back to it.
    let index = read_index(&site);
    assert_eq!(index["chapters"].as_array().map(Vec::len), Some(1001));
    assert!(lookup(&index, "kube-proxy").len() > 100);
}

#[test]
fn the_course_index_maps_a_day_7_word_to_its_heading() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dest = tmp.path().join("site");
    let dest_arg = dest.to_str().expect("utf-8 path");
    run_in(&repo_root(), &["build", "--dest-dir", dest_arg]).success();
    let index = read_index(&dest);
    // "lifecycle" appears only in Day 7: in its last exercise's summary and in its quiz.
    let hits = lookup(&index, "lifecycle");
    assert!(
        hits.contains(&(
            "days/storage-csi.html".to_owned(),
            "exercise-72-storage-classes-and-dynamic-provisioning".to_owned()
        )),
        "{hits:?}"
    );
    assert!(
        hits.iter().all(|(path, _)| path == "days/storage-csi.html"),
        "{hits:?}"
    );
    // Quiz explanations are searchable too, linked to their question.
    assert!(lookup(&index, "readwriteoncepod")
        .iter()
        .any(|(path, id)| path == "days/storage-csi.html" && id.starts_with("q-")));
    let bytes = std::fs::metadata(dest.join("static/search-index.js"))
        .expect("index")
        .len();
    eprintln!("search index of the course: {bytes} bytes");
}

/// The results of `query` over the course's index, as `(path, heading id)`, best first, through
/// the query the page runs in wasm.
fn ranked(index: &Value, query: &str) -> Vec<(String, String)> {
    let text = |key: &str| index[key].as_str().expect(key).to_owned();
    let docs = index["docs"].as_array().expect("docs");
    let lengths = docs
        .iter()
        .map(|d| {
            d[4].as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .expect("length")
        })
        .collect();
    let questions = index["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()).expect("doc"))
        .collect();
    let query_index = coursebook_search::Index::new(text("terms"), text("postings"), lengths)
        .expect("the query reads the index")
        .with_questions(questions);
    let found = query_index.search(query, 20).expect("words to search for");
    found
        .hits
        .iter()
        .map(|hit| {
            let doc = &docs[hit.doc];
            let chapter = doc[0].as_u64().expect("chapter") as usize;
            (
                index["chapters"][chapter][0]
                    .as_str()
                    .expect("path")
                    .to_owned(),
                doc[1].as_str().expect("id").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_course_is_found_by_its_commands_misspelt_words_and_teaching_sections_first() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dest = tmp.path().join("site");
    let dest_arg = dest.to_str().expect("utf-8 path");
    run_in(&repo_root(), &["build", "--dest-dir", dest_arg]).success();
    let index = read_index(&dest);
    // Words that appear only in the lessons' code.
    for word in ["netshoot", "traceroute", "jsonpath"] {
        assert!(!ranked(&index, word).is_empty(), "{word}");
    }
    // The section that runs `etcdctl snapshot save` comes before the quiz questions about it.
    let hits = ranked(&index, "etcd snapshot");
    let backup = hits
        .iter()
        .position(|(path, id)| path == "days/etcd.html" && id == "exercise-23-backup");
    assert!(backup.is_some_and(|at| at < 3), "{hits:?}");
    // Misspellings find the words meant.
    for (typed, meant) in [("kuberntes", "kubernetes"), ("qourum", "quorum")] {
        assert_eq!(
            ranked(&index, typed).first(),
            ranked(&index, meant).first(),
            "{typed}"
        );
    }
}
