use std::path::Path;

use super::*;

fn chapter() -> ChapterRef<'static> {
    ChapterRef {
        file: Path::new("content/days/02-etcd.md"),
        output: "days/etcd.html",
        title: "Day 2 <etcd>",
    }
}

fn run(body: &str) -> Result<(String, Vec<ChapterQuestion>), Error> {
    let mut ir = ChapterIr::parse(body, 10);
    let questions = render(&mut ir, chapter())?;
    Ok((
        ir.to_html(crate::markdown::Emit::Page { root: "../" }),
        questions,
    ))
}

const QUIZ: &str = r#"Intro.

```quiz
[[question]]
id = "pick"
kind = "single"
prompt = "Which **one**?"
shuffle = true
explanation = "Because `etcd`."

[[question.option]]
text = "Right <b>"
correct = true

[[question.option]]
text = "Wrong"
feedback = "Not this."

[[question]]
id = "order"
kind = "order"
prompt = "Order them"
steps = ["first", "second", "third"]
explanation = "E"

[[question]]
id = "cmd"
kind = "command"
prompt = "Type it"
answer = "kubectl get pods -n kube-system"
explanation = "E"
```
"#;

#[test]
fn quiz_blocks_become_questions_with_keys_and_answer_keys() {
    let (html, questions) = run(QUIZ).expect("valid");
    let keys: Vec<&str> = questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "days/etcd.html#pick",
            "days/etcd.html#order",
            "days/etcd.html#cmd"
        ]
    );
    assert_eq!(
        questions[0].line, 13,
        "the file line of the first [[question]]"
    );
    assert!(
        html.contains("<section class=\"quiz\" aria-label=\"Quiz: Day 2 &lt;etcd&gt;\">"),
        "labelled with the chapter, unique on the print page: {html}"
    );
    assert!(html.contains("id=\"q-days-etcd-html-pick\" data-key=\"days/etcd.html#pick\" data-kind=\"single\" data-shuffle=\"true\""));
    assert!(html.contains("data-chapter-title=\"Day 2 &lt;etcd&gt;\""));
    assert!(html.contains("<p>Which <strong>one</strong>?</p>"));
    assert!(
        html.contains("<span class=\"option-text\">Right <b></span>"),
        "inline HTML in markdown passes through like in lessons"
    );
    assert!(html.contains("<div class=\"option-feedback\" hidden><p>Not this.</p>"));
    assert!(html.contains(r#"<script type="application/json" class="answer-key">{"kind":"single","correct":0,"options":2}</script>"#));
    assert!(html.contains("<span class=\"command-prompt\" aria-hidden=\"true\">$</span>"));
    assert!(!html.contains("```"), "the block is replaced");
}

#[test]
fn order_steps_are_never_shown_in_the_right_order() {
    let (html, _) = run(QUIZ).expect("valid");
    let steps: Vec<&str> = html
        .match_indices("data-step=\"")
        .map(|(i, _)| &html[i + 11..i + 12])
        .collect();
    assert_eq!(steps.len(), 3);
    assert_ne!(steps, ["0", "1", "2"]);
    let (again, _) = run(QUIZ).expect("valid");
    assert_eq!(html, again, "the scramble is deterministic");
}

#[test]
fn quiz_errors_point_at_the_file_line() {
    let broken = QUIZ.replace("correct = true\n", "");
    let err = run(&broken).expect_err("no correct option");
    assert_eq!(
        err.to_string(),
        "content/days/02-etcd.md:13:1: invalid quiz: a single question needs a correct option"
    );
    let syntax = QUIZ.replace("id = \"cmd\"", "id = cmd");
    let err = run(&syntax).expect_err("bad TOML");
    assert!(
        err.to_string()
            .starts_with("content/days/02-etcd.md:36:1: invalid quiz:"),
        "{err}"
    );
}

#[test]
fn duplicate_ids_across_blocks_of_a_chapter_are_errors() {
    let twice = format!("{QUIZ}\n{QUIZ}");
    let err = run(&twice).expect_err("duplicate");
    assert!(
        err.to_string().contains("duplicate question id `pick`"),
        "{err}"
    );
}

#[test]
fn calc_blocks_become_widgets_with_a_static_table() {
    let (html, _) = run("```calc quorum members=5\n```\n").expect("valid");
    assert!(html.contains("<div class=\"calc\" data-calc=\"quorum\">"));
    assert!(html.contains("name=\"members\" value=\"5\""));
    assert!(html.contains("<table class=\"calc-table\">"));
    assert!(html.contains("aria-current=\"true\"><td>5</td><td>3</td><td>2</td>"));
    let (html, _) = run("```calc iptables endpoints=2\n```\n").expect("valid");
    assert!(html.contains("--probability 0.5000000000"));
    assert!(html.contains("class=\"calc-simulate\""));
}

#[test]
fn bad_calc_blocks_are_errors_with_the_fence_line() {
    for (block, needle) in [
        ("```calc\n```\n", "names its calculator"),
        ("```calc raft\n```\n", "unknown calculator `raft`"),
        ("```calc quorum nodes=3\n```\n", "takes no argument `nodes`"),
        ("```calc quorum\nmembers=3\n```\n", "empty body"),
        (
            "```calc cidr pod-cidr=banana\n```\n",
            "pod-cidr: enter a CIDR",
        ),
    ] {
        let err = run(&format!("text\n\n{block}")).expect_err(block);
        let message = err.to_string();
        assert!(
            message.starts_with("content/days/02-etcd.md:12:1: "),
            "{message}"
        );
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn other_code_blocks_are_left_to_the_highlighter() {
    let (html, questions) = run("```bash\necho quiz\n```\n").expect("valid");
    assert!(questions.is_empty());
    assert!(!html.contains("class=\"quiz\""));
}

#[test]
fn shuffled_options_are_scrambled_and_command_keys_carry_their_table() {
    let (html, _) = run(QUIZ).expect("valid");
    let first = html.find("<div class=\"option\" data-index=\"1\"");
    let second = html.find("<div class=\"option\" data-index=\"0\"");
    assert!(
        first < second,
        "the author's first option is not shown first"
    );
    assert!(
        html.contains(r#"{"kind":"command","answers":["kubectl get pods -n kube-system"],"table":"program\tkubectl\tk\n"#),
        "the key holds the kubectl records its answer needs"
    );
    assert!(html.contains(r#"\ncommand\tget\t\t"#));
    assert!(!html.contains(r#"\ncommand\tapply\t"#));
    let fixed = QUIZ.replace("shuffle = true", "shuffle = false");
    let (html, _) = run(&fixed).expect("valid");
    assert!(
        html.find("data-index=\"0\"") < html.find("data-index=\"1\""),
        "shuffle = false keeps the author's order"
    );
}
