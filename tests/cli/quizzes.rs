//! Quizzes and calculators through the real binary: the pages they produce, and every way a
//! quiz or calc block can be wrong stopping the build with file and line.

use crate::support::{tree, BookTest};

const CHAPTER: &str = "content/01-etcd.md";

fn chapter(t: &BookTest) -> String {
    std::fs::read_to_string(t.path(CHAPTER)).expect("fixture chapter")
}

#[test]
fn quizzes_calculators_review_and_progress_pages_are_built() {
    let t = BookTest::new("quizzes");
    t.build();
    let page = t.read_site("etcd.html");
    assert_eq!(page.matches("<li class=\"question\"").count(), 4);
    for needle in [
        "data-key=\"etcd.html#tolerated\" data-kind=\"numeric\"",
        "<label for=\"q-etcd-html-tolerated-input\">Your answer (members)</label>",
        r#"<script type="application/json" class="answer-key">{"kind":"numeric","answer":2.0,"tolerance":0.0,"unit":"members","words":["5-member","can","cluster","how","lose","many","member"]}</script>"#,
        r#"{"kind":"command","answers":["kubectl get pods -n kube-system"],"table":"program\tkubectl\tk\n"#,
        "<div class=\"calc\" data-calc=\"quorum\">",
        "aria-current=\"true\"><td>5</td><td>3</td><td>2</td>",
        "<a class=\"study-link\" href=\"review.html\">Review</a>",
        "<script src=\"static/quiz.js\"></script>",
        "data-book=\"quiz-fixture\"",
    ] {
        assert!(page.contains(needle), "etcd.html lacks {needle}");
    }
    let review = t.read_site("review.html");
    assert_eq!(review.matches("<li class=\"question\"").count(), 4);
    assert!(review.contains("data-chapter-url=\"etcd.html\""));
    let progress = t.read_site("progress.html");
    assert!(progress.contains(
        "<tr data-keys=\"[&quot;etcd.html#tolerated&quot;,&quot;etcd.html#pick&quot;,&quot;etcd.html#list&quot;]\">"
    ));
    assert!(progress.contains("(1 flashcard)"));
    assert!(t.site().join("static/coursebook-wasm.js").is_file());
    // The page script's source and the bundle come with the site.
    assert!(t.read_site("static/quiz.js").contains("coursebookWasm"));
}

#[test]
fn command_keys_carry_only_the_table_records_their_answers_use() {
    let t = BookTest::new("quizzes");
    t.build();
    let page = t.read_site("etcd.html");
    let start = page
        .find(r#"{"kind":"command""#)
        .expect("the command question's key");
    let key = &page[start..start + page[start..].find("</script>").expect("its end")];
    assert!(key.contains(r#"\ncommand\tget\t"#), "{key}");
    assert!(
        key.contains(r#"\nglobal\t"#) && key.contains(r#"\nneutral\t"#),
        "{key}"
    );
    assert!(key.contains(r#"\nresource\tpods\t"#), "{key}");
    assert!(!key.contains(r#"\ncommand\tapply\t"#), "{key}");
    assert!(key.len() < 3000, "{} bytes", key.len());
}

#[test]
fn check_warns_about_misleading_quizzes() {
    let t = BookTest::new("quizzes");
    let text = chapter(&t)
        .replace(
            "kind = \"single\"\n",
            "kind = \"single\"\nshuffle = false\n",
        )
        .replace(
            "[[question]]\nid = \"why\"",
            "[[question]]\nid = \"pki\"\nkind = \"short\"\nprompt = \"Where are the certificates?\"\n\
             answers = [\"/etc/kubernetes/pki\"]\ncase_sensitive = false\nexplanation = \"E\"\n\n\
             [[question]]\nid = \"why\"",
        );
    t.write(CHAPTER, text);
    let json = t.run(&["check", "--format", "json"]).success().stdout();
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let found: Vec<(&str, &str, u64)> = value["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("quiz-")))
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("quiz-answer-first", "warning", 23),
            ("quiz-case-insensitive-key", "warning", 45)
        ],
        "{json}"
    );
    let human = t
        .run(&["check", "--deny", "warnings"])
        .failure(&[])
        .stdout();
    assert!(
        human.contains("warning[quiz-answer-first]") && human.contains("content/01-etcd.md:23:1"),
        "{human}"
    );
}

#[test]
fn a_book_without_quizzes_has_no_review_or_progress_page() {
    let t = BookTest::new("basic");
    t.build();
    assert!(!t.site().join("review.html").exists());
    assert!(!t.site().join("progress.html").exists());
    assert!(
        t.read_site("nav.js").contains("{\"quizzes\":false,"),
        "the Review and Progress links stay hidden"
    );
}

fn assert_bad_block(edit: impl Fn(&str) -> String, needles: &[&str]) {
    let t = BookTest::new("quizzes");
    t.build();
    let before = tree(&t.site());
    t.write(CHAPTER, edit(&chapter(&t)));
    t.run(&["build"]).failure(needles);
    assert!(tree(&t.site()) == before, "the previous site changed");
}

#[test]
fn broken_quiz_toml_names_the_line() {
    assert_bad_block(
        |text| text.replace("answer = 2\n", "answer = [2\n"),
        &["content/01-etcd.md:20:1: invalid quiz:"],
    );
}

#[test]
fn a_question_without_a_correct_option_names_its_line() {
    assert_bad_block(
        |text| text.replace("correct = true\n", ""),
        &["content/01-etcd.md:23:1: invalid quiz: a single question needs a correct option"],
    );
}

#[test]
fn unknown_quiz_keys_and_kinds_are_errors() {
    assert_bad_block(
        |text| text.replace("unit = \"members\"", "units = \"members\""),
        &["content/01-etcd.md:", "unknown field `units`"],
    );
    assert_bad_block(
        |text| text.replace("kind = \"flashcard\"", "kind = \"essay\""),
        &["content/01-etcd.md:", "unknown variant `essay`"],
    );
}

#[test]
fn duplicate_question_ids_are_errors() {
    assert_bad_block(
        |text| text.replace("id = \"list\"", "id = \"pick\""),
        &["content/01-etcd.md:37:1: invalid quiz: duplicate question id `pick`"],
    );
}

#[test]
fn bad_calc_blocks_name_the_fence_line() {
    assert_bad_block(
        |text| text.replace("calc quorum members=5", "calc quorum members=five"),
        &["content/01-etcd.md:9:1: invalid calc block: members: enter a whole number from 1 to 99 (“five” is not one)"],
    );
    assert_bad_block(
        |text| text.replace("calc quorum members=5", "calc raft"),
        &["content/01-etcd.md:9:1: invalid calc block: unknown calculator `raft`"],
    );
}

#[test]
fn a_chapter_named_like_the_review_page_is_refused() {
    let t = BookTest::new("quizzes");
    t.write("content/review.md", "+++\ntitle = \"Mine\"\n+++\n");
    t.run(&["build"])
        .failure(&["review.md", "`review.html`, which coursebook writes itself"]);
}
