//! Tests of the search index: postings, shown text, the script's format and the query reading it.

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

#[test]
fn a_book_of_many_runs_and_batches_is_indexed_as_one_pass_would() {
    // 1,100 chapters: 35 runs in three batches, some chapters without any text.
    let count = 1100;
    let sections: Vec<Vec<SearchSection>> = (0..count)
        .map(|i| match i % 97 {
            0 => Vec::new(),
            _ => vec![
                section(None, "", &format!("intro word{} common", i % 7)),
                SearchSection {
                    code: format!("kubectl get pods -n ns{}", i % 3),
                    ..section(Some("h"), &format!("Heading {}", i % 5), "common text")
                },
            ],
        })
        .collect();
    let titles: Vec<String> = (0..count).map(|i| format!("Chapter {i}")).collect();
    let outputs: Vec<String> = (0..count).map(|i| format!("c{i}.html")).collect();
    let chapters: Vec<ChapterText<'_>> = (0..count)
        .map(|i| ChapterText {
            output: &outputs[i],
            title: &titles[i],
            sections: &sections[i],
        })
        .collect();
    let index = SearchIndex::build(chapters.iter().copied());
    // The reference: every doc in reading order, its terms counted on their own.
    let mut expected: std::collections::BTreeMap<String, Vec<(u32, u32)>> =
        std::collections::BTreeMap::new();
    let mut lengths = Vec::new();
    for chapter in &chapters {
        for section in sections_of(chapter) {
            let doc = u32::try_from(lengths.len()).expect("few docs");
            let mut counts = std::collections::BTreeMap::new();
            for_each_section_term(chapter.title, section, |term, weight| {
                *counts.entry(term.to_owned()).or_insert(0) += weight;
            });
            lengths.push(counts.values().sum::<u32>());
            for (term, tf) in counts {
                expected.entry(term).or_default().push((doc, tf));
            }
        }
    }
    assert_eq!(index.docs(), lengths.len());
    let indexed: Vec<u32> = index.docs.iter().map(|d| d.length).collect();
    assert_eq!(indexed, lengths);
    assert_eq!(index.postings.len(), expected.len());
    for (term, list) in &expected {
        assert_eq!(&index.postings(term), list, "{term}");
    }
    assert_eq!(index.lookup("chapter").len(), lengths.len());
    assert_eq!(index.chapters.len(), count);
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
    assert_eq!(index.postings("snapshot"), [(1, 2)]);
    // The intro counts the title as its heading; other sections count it once.
    assert_eq!(
        index.postings("etcd"),
        [(0, HEADING_WEIGHT), (1, TITLE_WEIGHT)]
    );
    assert_eq!(index.postings("backup"), [(1, HEADING_WEIGHT)]);
    assert!(!index.postings.contains_key("the") && !index.postings.contains_key("a"));
}

#[test]
fn code_is_indexed_and_shown_when_a_section_has_nothing_else() {
    let long: String = (0..60).map(|i| format!("arg{i} ")).collect();
    let sections = [
        SearchSection {
            code: "etcdctl snapshot save --data-dir=/var/lib/etcd coredns-5d78c9869d-9xkzj".into(),
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
