//! Queries against small indexes built the way `coursebook-site` builds them.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::terms::for_each_term;
use crate::{postings, Correction, Found, Index, QueryTerm, MAX_RESULTS, SNIPPET_CHARS};

/// An index of `docs`, one term frequency per occurrence (the site also weighs headings).
fn build(docs: &[&str]) -> Index {
    let mut lists: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut lengths = Vec::new();
    for (doc, text) in docs.iter().enumerate() {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for_each_term(text, |t| *counts.entry(t.to_owned()).or_default() += 1);
        lengths.push(counts.values().sum());
        for (term, tf) in counts {
            lists.entry(term).or_default().push((doc as u32, tf));
        }
    }
    let terms: Vec<&str> = lists.keys().map(String::as_str).collect();
    let encoded: Vec<String> = lists
        .values()
        .map(|list| {
            let mut s = String::new();
            postings::push_list(&mut s, list);
            s
        })
        .collect();
    Index::new(terms.join(" "), encoded.join(" "), lengths).expect("a valid index")
}

fn docs_found(index: &Index, query: &str) -> Vec<usize> {
    index
        .search(query, MAX_RESULTS)
        .map(|found| found.hits.iter().map(|h| h.doc).collect())
        .unwrap_or_default()
}

fn term(text: &str, prefix: bool) -> QueryTerm {
    QueryTerm {
        text: text.to_owned(),
        prefix,
    }
}

fn found(terms: &[QueryTerm]) -> Found {
    Found {
        terms: terms.to_vec(),
        corrections: Vec::new(),
        total: 0,
        hits: Vec::new(),
    }
}

const COURSE: &[&str] = &[
    "Explain the PV lifecycle: volumes and claims.",
    "etcd etcd etcd quorum and members",
    "Take an etcd backup with etcdctl snapshot save.",
    "Networking basics: kube-proxy rewrites packets.",
    "The proxy in front of the API server.",
    "Größe und Übersicht: Speicher für etcd.",
];

#[test]
fn more_occurrences_rank_higher_and_every_word_beats_some_words() {
    let index = build(COURSE);
    assert_eq!(docs_found(&index, "etcd "), [1, 2, 5]);
    // Doc 2 holds both words; doc 1 holds "etcd" more often but not "backup".
    assert_eq!(docs_found(&index, "etcd backup "), [2, 1, 5]);
    let found = index.search("etcd backup ", 2).expect("terms");
    assert_eq!((found.total, found.hits.len()), (3, 2));
    assert!(found.hits[0].score > found.hits[1].score);
}

#[test]
fn ties_keep_index_order() {
    let index = build(&["same words here", "other", "same words here"]);
    assert_eq!(docs_found(&index, "words "), [0, 2]);
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    let index = build(COURSE);
    assert_eq!(docs_found(&index, "lifecyc"), [0]);
    assert_eq!(docs_found(&index, "lifecyc "), Vec::<usize>::new());
    assert_eq!(docs_found(&index, "snap"), [2]);
    // "etcd" typed matches "etcd" itself and, weighed less, "etcdctl".
    let found = index.search("etcd", MAX_RESULTS).expect("terms");
    assert_eq!(found.terms, [term("etcd", true)]);
    assert_eq!(found.total, 3);
    // Only the last word is a prefix.
    assert_eq!(
        index.parse_query("explain lifecyc"),
        [term("explain", false), term("lifecyc", true)]
    );
    assert_eq!(
        index.parse_query("lifecyc explain"),
        [term("lifecyc", false), term("explain", true)]
    );
}

#[test]
fn an_exact_term_outranks_the_longer_terms_its_prefix_finds() {
    let index = build(&["etcdctl tool", "etcd store"]);
    assert_eq!(docs_found(&index, "etcd"), [1, 0]);
}

#[test]
fn joined_words_are_whole_when_indexed_else_their_parts() {
    let index = build(COURSE);
    assert_eq!(
        index.parse_query("kube-proxy "),
        [term("kube-proxy", false)]
    );
    assert_eq!(index.parse_query("kube-prox"), [term("kube-prox", true)]);
    assert_eq!(
        index.parse_query("api-server "),
        [term("api", false), term("server", false)]
    );
    assert_eq!(
        index.parse_query("api-serv"),
        [term("api", false), term("serv", true)]
    );
    assert_eq!(docs_found(&index, "kube-proxy"), [3]);
    assert_eq!(docs_found(&index, "proxy "), [4, 3]);
}

#[test]
fn stop_words_repeats_and_punctuation_are_left_out() {
    let index = build(COURSE);
    assert_eq!(
        index.parse_query("the etcd and etcd "),
        [term("etcd", false)]
    );
    assert_eq!(
        index.parse_query("ETCD, Etcd! etcd"),
        [term("etcd", false), term("etcd", true)]
    );
    // A stop word being typed is a prefix ("the" may become "then"); finished, it is nothing.
    assert_eq!(index.parse_query("the"), [term("the", true)]);
    for empty in ["", " ", "the ", "a b c ", "!?", "--", "\u{0}\t\n", "- . _"] {
        assert!(index.search(empty, MAX_RESULTS).is_none(), "{empty:?}");
    }
}

#[test]
fn non_ascii_words_are_found_and_marked() {
    let index = build(COURSE);
    assert_eq!(docs_found(&index, "GRÖ"), [5]);
    assert_eq!(docs_found(&index, "übersicht"), [5]);
    let found = index.search("übersicht grö", MAX_RESULTS).expect("terms");
    let marked = found.marked("Größe und Übersicht");
    assert_eq!(marked.segments(), ["", "Größe", " und ", "Übersicht", ""]);
}

#[test]
fn marks_cover_whole_joined_words_or_their_matching_parts() {
    let both = found(&[term("explain", false), term("lifecyc", true)]);
    let marked = both.marked("Explain the PV lifecycle: explained.");
    assert_eq!(
        marked.segments(),
        ["", "Explain", " the PV ", "lifecycle", ": explained."]
    );
    let proxy = found(&[term("proxy", false)]);
    assert_eq!(
        proxy.marked("kube-proxy, proxy.conf").segments(),
        ["kube-", "proxy", ", ", "proxy", ".conf"]
    );
    let whole = found(&[term("kube-proxy", false)]);
    assert_eq!(
        whole.marked("the kube-proxy").segments(),
        ["the ", "kube-proxy", ""]
    );
    assert_eq!(proxy.marked("").segments(), [""]);
}

#[test]
fn a_snippet_starts_a_little_before_the_first_match() {
    let words: Vec<String> = (0..100).map(|i| format!("word{i}")).collect();
    let text = format!("{} claims {}", words[..50].join(" "), words[50..].join(" "));
    let claims = found(&[term("claims", false)]);
    let snippet = claims.snippet(&text);
    assert!(snippet.text.starts_with("… word"), "{}", snippet.text);
    assert!(snippet.text.ends_with(" …"), "{}", snippet.text);
    assert!(snippet.text.chars().count() <= SNIPPET_CHARS + 4);
    let segments = snippet.segments();
    assert_eq!(segments.len(), 3);
    assert_eq!(segments[1], "claims");
    let before = segments[0].chars().count();
    assert!(
        (40..=65).contains(&before),
        "{before} characters before the match"
    );
    // Short texts are whole; a long text without a match starts at its start.
    assert_eq!(claims.snippet("few claims").text, "few claims");
    let none = found(&[term("absent", false)]).snippet(&text);
    assert!(none.text.starts_with("word0 word1") && none.text.ends_with(" …"));
}

#[test]
fn snippets_of_unspaced_non_ascii_text_cut_between_characters() {
    let text = format!("{}ü{}", "ä".repeat(300), "ö".repeat(300));
    let snippet = found(&[term("ä", true)]).snippet(&text);
    assert_eq!(snippet.text, format!("{} …", "ä".repeat(SNIPPET_CHARS)));
    let text = format!("{} Größe {}", "x".repeat(300), "y".repeat(300));
    let snippet = found(&[term("größe", false)]).snippet(&text);
    // Cut at the last space: the run of y is left out rather than cut.
    assert_eq!(snippet.text, "… Größe …");
    assert_eq!(snippet.segments(), ["… ", "Größe", " …"]);
}

#[test]
fn every_indexed_term_of_a_doc_finds_it() {
    let index = build(COURSE);
    for (doc, text) in COURSE.iter().enumerate() {
        for_each_term(text, |t| {
            let query = format!("{t} ");
            assert!(
                docs_found(&index, &query).contains(&doc),
                "{t} in doc {doc}"
            );
        });
    }
}

#[test]
fn misspelt_words_find_the_terms_within_their_mistakes() {
    let index = build(&[
        "Kubernetes runs pods.",
        "etcd keeps quorum.",
        "The quorum of etcd.",
    ]);
    assert_eq!(docs_found(&index, "kuberntes "), [0], "a letter missing");
    assert_eq!(docs_found(&index, "kuberntes"), [0], "while typing");
    assert_eq!(docs_found(&index, "qourum "), [2, 1], "two letters swapped");
    assert_eq!(
        docs_found(&index, "kbernets "),
        [0],
        "two mistakes in eight letters"
    );
    let found = index.search("qourum etcd", MAX_RESULTS).expect("terms");
    assert_eq!(
        found.corrections,
        [Correction {
            typed: "qourum".into(),
            read: "quorum".into()
        }]
    );
    // The word read instead is marked in the results.
    assert_eq!(
        found.marked("etcd keeps quorum.").segments(),
        ["", "etcd", " keeps ", "quorum", "."]
    );
    // Short words and words the index has are read as typed.
    assert_eq!(docs_found(&index, "pdo "), Vec::<usize>::new());
    assert_eq!(
        docs_found(&index, "pdos "),
        [0],
        "four letters allow one mistake"
    );
    assert!(index
        .search("quorum ", MAX_RESULTS)
        .is_some_and(|f| f.corrections.is_empty()));
}

#[test]
fn a_term_one_mistake_away_is_kept_however_many_are_two_away() {
    // 400 terms two mistakes from "qwertyui" sort before the one a single mistake away.
    let mut docs: Vec<String> = Vec::new();
    for first in 'a'..='p' {
        for last in ('a'..='z').filter(|&c| c != 'i') {
            docs.push(format!("{first}wertyu{last}"));
        }
    }
    docs.push("qwertyuz".to_owned());
    let texts: Vec<&str> = docs.iter().map(String::as_str).collect();
    let index = build(&texts);
    assert_eq!(docs_found(&index, "qwertyui ").first(), Some(&400));
}

#[test]
fn a_term_found_as_typed_ranks_above_one_read_through_a_mistake() {
    // "quorum" is in the index, so "quorums" (a letter added) matches nothing fuzzy.
    let index = build(&["quorums counted", "quorum kept"]);
    assert_eq!(docs_found(&index, "quorums "), [0]);
    let found = index.search("quorumz ", MAX_RESULTS).expect("terms");
    assert_eq!(found.hits.len(), 2);
    assert_eq!(found.corrections.len(), 1);
}

#[test]
fn quiz_questions_rank_below_the_sections_that_teach_their_words() {
    let docs = [
        "Which command saves an etcd snapshot? etcd snapshot",
        "Backup: etcdctl snapshot save, then check the etcd snapshot file.",
    ];
    let plain = build(&docs);
    assert_eq!(docs_found(&plain, "etcd snapshot "), [0, 1]);
    let ranked = build(&docs).with_questions(vec![0]);
    assert_eq!(docs_found(&ranked, "etcd snapshot "), [1, 0]);
}

#[test]
fn an_empty_index_finds_nothing() {
    let index = Index::new(String::new(), String::new(), Vec::new()).expect("empty");
    let found = index.search("etcd", MAX_RESULTS).expect("a term");
    assert_eq!((found.total, found.hits.len()), (0, 0));
}

proptest! {
    #[test]
    fn any_query_ranks_without_panicking(query in any::<String>(), max in 0usize..30) {
        let index = build(COURSE);
        if let Some(found) = index.search(&query, max) {
            prop_assert!(found.hits.len() <= max.min(found.total));
            prop_assert!(found.hits.windows(2).all(|w| w[0].score >= w[1].score));
            prop_assert!(!found.terms.is_empty());
            for hit in &found.hits {
                let text = COURSE[hit.doc];
                prop_assert_eq!(found.marked(text).segments().concat(), text);
                let snippet = found.snippet(text);
                prop_assert_eq!(snippet.segments().concat(), snippet.text.clone());
            }
        }
    }

    #[test]
    fn marks_are_ordered_char_ranges_of_any_text(
        text in any::<String>(),
        words in proptest::collection::vec("[a-zé0-9]{1,4}", 0..4),
        prefix in any::<bool>(),
    ) {
        let terms: Vec<QueryTerm> = words.iter().map(|w| term(w, prefix)).collect();
        let q = found(&terms);
        let marked = q.marked(&text);
        prop_assert!(marked.marks.windows(2).all(|w| w[0].end <= w[1].start));
        prop_assert_eq!(marked.segments().concat(), text.clone());
        let snippet = q.snippet(&text);
        prop_assert!(snippet.text.chars().count() <= text.chars().count() + 4);
        prop_assert_eq!(snippet.segments().concat(), snippet.text.clone());
    }

    #[test]
    fn any_query_over_any_text_finds_only_docs_with_its_terms(
        texts in proptest::collection::vec("[a-zA-Zä .-]{0,40}", 1..6),
        query in "[a-zA-Zä .-]{0,12}",
    ) {
        let docs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = build(&docs);
        if let Some(found) = index.search(&query, MAX_RESULTS) {
            for hit in &found.hits {
                let mut holds = false;
                for_each_term(docs[hit.doc], |t| holds |= found.terms.iter().any(|q| q.matches(t)));
                prop_assert!(holds, "doc {} for {:?}", hit.doc, query);
            }
        }
    }
}
