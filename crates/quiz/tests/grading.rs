//! Table-driven grading tests, natively: the cases of `grading-cases.json` (the course's own
//! command questions and the short, numeric and choice questions of issue 17, each with answers
//! that must be accepted and rejected; `tests/browser/quiz.test.js` runs the same file through
//! the page's WebAssembly), and every question of the shipped course (`content/`) with answers
//! derived from its own key.

use std::path::{Path, PathBuf};

use coursebook_quiz::{grade, parse_quiz, Answer, AnswerKey, Kind, Question};
use serde_json::Value;

/// The question of a case, as the build would validate it from its TOML.
fn question_of(json: &Value) -> Question {
    let table = serde_json::json!({ "question": [json] });
    let source = toml::to_string(&table).unwrap_or_else(|e| panic!("{e}: {json}"));
    let mut questions = parse_quiz(&source).unwrap_or_else(|e| panic!("{e}\n{source}"));
    questions.remove(0)
}

fn answer_of(value: &Value) -> Answer {
    match value {
        Value::String(text) => Answer::Text(text.clone()),
        Value::Array(items) => Answer::Choice(
            items
                .iter()
                .filter_map(Value::as_u64)
                .filter_map(|i| usize::try_from(i).ok())
                .collect(),
        ),
        other => panic!("an answer is text or a list of options, not {other}"),
    }
}

#[test]
fn every_case_of_the_table_is_graded_as_listed() {
    let cases: Value = serde_json::from_str(include_str!("grading-cases.json")).expect("JSON");
    let mut failures = Vec::new();
    let mut graded = 0;
    for case in cases["cases"].as_array().expect("cases") {
        let question = question_of(&case["question"]);
        let key = question.key();
        for (list, expected) in [("accept", true), ("reject", false)] {
            for given in case[list].as_array().expect("a list") {
                let verdict = grade(&key, &answer_of(given));
                graded += 1;
                if verdict.correct != expected {
                    failures.push(format!(
                        "{}: {given} should be {}ed ({:?})",
                        question.id, list, verdict.messages
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(graded > 300, "{graded} answers graded");
}

/// Every question of the shipped course, with the file it is in.
fn course_questions() -> Vec<(PathBuf, Question)> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let mut files = Vec::new();
    let mut dirs = vec![content];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("content/ is readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a chapter");
        let mut block: Option<String> = None;
        for line in text.lines() {
            match &mut block {
                None if line.trim_end() == "```quiz" => block = Some(String::new()),
                Some(source) if line.starts_with("```") => {
                    let questions =
                        parse_quiz(source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                    out.extend(questions.into_iter().map(|q| (file.clone(), q)));
                    block = None;
                }
                Some(source) => {
                    source.push_str(line);
                    source.push('\n');
                }
                None => {}
            }
        }
    }
    out
}

fn text(s: impl Into<String>) -> Answer {
    Answer::Text(s.into())
}

/// Spellings of `answer` that are the same command to any program: a prompt, `sudo`, the
/// program's path, a trailing `;`, `\` continuations (kept, and flattened by a text field), and
/// a flag that only says how to connect.
fn same_command_variants(answer: &str) -> Vec<String> {
    let program = answer
        .split_whitespace()
        .find(|w| !w.contains('='))
        .unwrap_or_default();
    let mut out = vec![
        format!("$ {answer}"),
        format!("sudo {answer}"),
        format!("{answer};"),
        answer.replacen(program, &format!("/usr/bin/{program}"), 1),
        answer.replace(" --", " \\\n    --"),
        answer.replace(" --", " \\   --"),
    ];
    let neutral = match program {
        "kubectl" => Some("--kubeconfig=/etc/kubernetes/admin.conf"),
        "etcdctl" => Some("--dial-timeout=5s"),
        "crictl" => Some("--timeout=5s"),
        "kubeadm" => Some("--v=5"),
        "journalctl" | "systemctl" => Some("--no-pager"),
        _ => None,
    };
    if let Some(flag) = neutral {
        out.push(answer.replacen(program, &format!("{program} {flag}"), 1));
    }
    out
}

/// Commands no answer should accept: a second command, an unknown flag, another program.
fn wrong_command_variants(answer: &str) -> Vec<String> {
    let program = answer
        .split_whitespace()
        .find(|w| !w.contains('='))
        .unwrap_or_default();
    vec![
        format!("{answer}; rm -rf /"),
        format!("{answer} && kubectl delete namespace kube-system"),
        format!("{answer} | sh"),
        answer.replacen(program, &format!("{program} --no-such-flag"), 1),
        answer.replacen(program, "kubctl", 1),
    ]
}

#[test]
fn every_course_question_accepts_its_own_answers_and_rejects_wrong_ones() {
    let questions = course_questions();
    assert!(questions.len() > 100, "{} questions", questions.len());
    let mut failures = Vec::new();
    let mut check = |file: &Path, q: &Question, key: &AnswerKey, answer: Answer, right: bool| {
        let verdict = grade(key, &answer);
        if verdict.correct != right {
            failures.push(format!(
                "{} {}: {answer:?} should be {} ({:?})",
                file.display(),
                q.id,
                if right { "right" } else { "wrong" },
                verdict.messages
            ));
        }
    };
    let mut commands = 0;
    for (file, q) in &questions {
        let key = q.key();
        match &q.kind {
            Kind::Command(answers) => {
                commands += 1;
                for answer in answers {
                    check(file, q, &key, text(answer), true);
                    for variant in same_command_variants(answer) {
                        check(file, q, &key, text(variant), true);
                    }
                }
                for variant in wrong_command_variants(&answers[0]) {
                    check(file, q, &key, text(variant), false);
                }
            }
            Kind::Short { answers, .. } => {
                for answer in answers {
                    check(file, q, &key, text(answer), true);
                    check(file, q, &key, text(format!(" `{answer}`! ")), true);
                }
                check(file, q, &key, text("no such answer"), false);
            }
            Kind::Numeric { answer, unit, .. } => {
                check(file, q, &key, text(answer.to_string()), true);
                if let Some(unit) = unit {
                    check(file, q, &key, text(format!("{answer} {unit}")), true);
                }
                check(file, q, &key, text((answer + 1000.0).to_string()), false);
            }
            Kind::Single(options) | Kind::Multiple(options) => {
                let correct: Vec<usize> =
                    (0..options.len()).filter(|&i| options[i].correct).collect();
                check(file, q, &key, Answer::Choice(correct.clone()), true);
                for wrong in (0..options.len()).filter(|i| !correct.contains(i)) {
                    let mut chosen = correct.clone();
                    chosen.push(wrong);
                    check(file, q, &key, Answer::Choice(chosen), false);
                }
                if correct.len() > 1 {
                    check(file, q, &key, Answer::Choice(correct[1..].to_vec()), false);
                }
            }
            Kind::Order(steps) => {
                let order: Vec<usize> = (0..steps.len()).collect();
                check(file, q, &key, Answer::Order(order.clone()), true);
                let mut moved = order;
                moved.rotate_left(1);
                let verdict = grade(&key, &Answer::Order(moved));
                assert_eq!(verdict.misplaced.len(), 1, "{}: one step moved", q.id);
            }
            Kind::Flashcard(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(commands > 20, "{commands} command questions");
}

#[test]
fn single_choice_questions_of_the_course_are_shuffled() {
    for (file, q) in course_questions() {
        if let Kind::Single(_) = q.kind {
            assert!(
                q.shuffle,
                "{} {}: shown in a fixed order",
                file.display(),
                q.id
            );
        }
    }
}
