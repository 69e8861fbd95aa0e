use super::*;

fn err(source: &str) -> QuizError {
    parse_quiz(source).expect_err("invalid")
}

const SINGLE: &str = r#"
[[question]]
id = "q1"
kind = "single"
prompt = "Pick one"
explanation = "Because."

[[question.option]]
text = "Right"
correct = true

[[question.option]]
text = "Wrong"
feedback = "No."
"#;

#[test]
fn parses_every_kind() {
    let source = format!(
        "{SINGLE}{}",
        r#"
[[question]]
kind = "multiple"
prompt = "Pick some"
explanation = "E"
shuffle = true
option = [{ text = "a", correct = true }, { text = "b" }]

[[question]]
kind = "short"
prompt = "Name it"
answers = ["etcd"]
explanation = "E"

[[question]]
kind = "numeric"
prompt = "How many?"
answer = 3
unit = "members"
explanation = "E"

[[question]]
kind = "order"
prompt = "Order"
steps = ["a", "b"]
explanation = "E"

[[question]]
kind = "command"
prompt = "Type"
answer = "kubectl get pods"
alternatives = ["kubectl get po"]
explanation = "E"

[[question]]
kind = "flashcard"
prompt = "Why?"
answer = "Because."
"#
    );
    let questions = parse_quiz(&source).expect("valid");
    let kinds: Vec<&str> = questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "single",
            "multiple",
            "short",
            "numeric",
            "order",
            "command",
            "flashcard"
        ]
    );
    assert_eq!(questions[0].id, "q1");
    assert_eq!(questions[0].line, 2);
    assert!(questions[1].shuffle);
    assert!(questions[0].shuffle, "options are shuffled by default");
    assert!(questions[1].id.starts_with("q-"));
    assert_eq!(
        questions[3].key(),
        crate::AnswerKey::Numeric {
            answer: 3.0,
            tolerance: 0.0,
            unit: Some("members".into()),
            words: vec!["how".into(), "many".into()],
        }
    );
    let crate::AnswerKey::Command { answers, table } = questions[5].key() else {
        panic!("a command key");
    };
    assert_eq!(answers, ["kubectl get pods", "kubectl get po"]);
    assert!(table.starts_with("program\tkubectl\t"), "{table}");
    assert!(table.contains("\ncommand\tget\t"), "{table}");
}

#[test]
fn shuffle_false_keeps_the_order_and_case_follows_the_answer() {
    let fixed =
        parse_quiz(&SINGLE.replace("kind = \"single\"", "kind = \"single\"\nshuffle = false"))
            .expect("valid");
    assert!(!fixed[0].shuffle);
    let short = |extra: &str| {
        let source = format!(
            "[[question]]\nkind = \"short\"\nprompt = \"p\"\nanswers = [\"/etc/x\"]\nexplanation = \"e\"\n{extra}"
        );
        parse_quiz(&source).expect("valid").remove(0).kind
    };
    assert_eq!(
        short(""),
        crate::Kind::Short {
            answers: vec!["/etc/x".into()],
            case_sensitive: None
        }
    );
    assert_eq!(
        short("case_sensitive = false"),
        crate::Kind::Short {
            answers: vec!["/etc/x".into()],
            case_sensitive: Some(false)
        }
    );
}

#[test]
fn command_answers_must_be_commands_the_tables_know() {
    let command = |answer: &str| {
        format!("[[question]]\nkind = \"command\"\nprompt = \"p\"\nanswer = \"{answer}\"\nexplanation = \"e\"")
    };
    assert_eq!(
        err(&command("kubectl get pods --n x")).message,
        "the command `kubectl get pods --n x` cannot be graded: `kubectl get` has no flag `--n` (a one-letter flag takes one dash: `-n`)"
    );
    assert!(err(&command("kubeadm upgrade aply v1.30.0"))
        .message
        .contains("`kubeadm upgrade aply` is not a command the table knows"));
    assert!(parse_quiz(&command("ping -c 3 10.0.0.1")).is_ok());
}

#[test]
fn derived_ids_survive_reordering() {
    let a =
        "[[question]]\nkind = \"short\"\nprompt = \"A?\"\nanswers = [\"a\"]\nexplanation = \"e\"\n";
    let b =
        "[[question]]\nkind = \"short\"\nprompt = \"B?\"\nanswers = [\"b\"]\nexplanation = \"e\"\n";
    let ab = parse_quiz(&format!("{a}{b}")).expect("valid");
    let ba = parse_quiz(&format!("{b}{a}")).expect("valid");
    assert_eq!(ab[0].id, ba[1].id);
    assert_eq!(ab[1].id, ba[0].id);
}

#[test]
fn toml_syntax_errors_have_the_line() {
    let e = err("[[question]]\nkind = \"single\"\nprompt = \"unterminated\n");
    assert_eq!(e.line, 3, "{e}");
}

#[test]
fn unknown_keys_and_kinds_are_errors_with_the_line() {
    let e = err(&SINGLE.replace(
        "explanation = \"Because.\"",
        "explanation = \"B\"\nhint = \"x\"",
    ));
    assert!(e.message.contains("unknown field `hint`"), "{e}");
    assert_eq!(e.line, 7);
    let e = err(&SINGLE.replace("kind = \"single\"", "kind = \"essay\""));
    assert!(e.message.contains("unknown variant `essay`"), "{e}");
    assert_eq!(e.line, 4);
    let e = err(&SINGLE.replace("feedback = \"No.\"", "feedbak = \"No.\""));
    assert!(e.message.contains("unknown field `feedbak`"), "{e}");
}

#[test]
fn no_correct_option_is_an_error() {
    let e = err(&SINGLE.replace("correct = true", ""));
    assert_eq!(e.message, "a single question needs a correct option");
    assert_eq!(e.line, 2);
}

#[test]
fn two_correct_options_in_a_single_question_is_an_error() {
    let e = err(&SINGLE.replace("feedback = \"No.\"", "correct = true"));
    assert!(e.message.contains("exactly one correct option"), "{e}");
}

#[test]
fn duplicate_ids_are_errors() {
    let e = err(&format!("{SINGLE}{SINGLE}"));
    assert_eq!(e.message, "duplicate question id `q1`");
    assert_eq!(e.line, 16);
}

#[test]
fn keys_of_another_kind_are_errors() {
    let e = err(&SINGLE.replace("kind = \"single\"", "kind = \"single\"\nsteps = [\"a\"]"));
    assert!(
        e.message.contains("a single question takes no `steps`"),
        "{e}"
    );
}

#[test]
fn missing_and_empty_fields_are_errors() {
    assert!(err(&SINGLE.replace("explanation = \"Because.\"", ""))
        .message
        .contains("needs an `explanation`"));
    assert!(
        err(&SINGLE.replace("prompt = \"Pick one\"", "prompt = \" \""))
            .message
            .contains("`prompt` is empty")
    );
    assert!(err(
        "[[question]]\nkind = \"short\"\nprompt = \"p\"\nanswers = []\nexplanation = \"e\""
    )
    .message
    .contains("`answers` is empty"));
    assert!(err(
        "[[question]]\nkind = \"numeric\"\nprompt = \"p\"\nanswer = \"two\"\nexplanation = \"e\""
    )
    .message
    .contains("must be a number"));
    assert!(err(
        "[[question]]\nkind = \"order\"\nprompt = \"p\"\nsteps = [\"a\"]\nexplanation = \"e\""
    )
    .message
    .contains("at least two"));
    assert!(err("[[question]]\nkind = \"command\"\nprompt = \"p\"\nanswer = \"kubectl get 'x\"\nexplanation = \"e\"")
        .message
        .contains("cannot be graded: unbalanced quotes"));
    assert!(err(
        "[[question]]\nkind = \"flashcard\"\nprompt = \"p\"\nanswer = \"a\"\nexplanation = \"e\""
    )
    .message
    .contains("no `explanation`"));
    assert_eq!(err("").message, "a quiz needs at least one [[question]]");
}

#[test]
fn invalid_ids_are_errors() {
    let e = err(&SINGLE.replace("id = \"q1\"", "id = \"Q 1\""));
    assert!(e.message.contains("may only hold"), "{e}");
}

#[test]
fn one_option_is_not_a_choice() {
    let source = "[[question]]\nkind = \"single\"\nprompt = \"p\"\nexplanation = \"e\"\noption = [{ text = \"a\", correct = true }]";
    assert!(err(source).message.contains("at least two"));
}

/// The fenced blocks after `fence` in `text`.
fn blocks<'a>(text: &'a str, fence: &str) -> Vec<&'a str> {
    text.split(fence)
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .collect()
}

#[test]
fn the_documented_examples_are_valid_quizzes() {
    let readme = include_str!("../../../../README.md");
    let quiz = blocks(readme, "```quiz\n");
    assert_eq!(quiz.len(), 1, "the README has one quiz example");
    let kinds: Vec<&str> = parse_quiz(quiz[0])
        .expect("the README example parses")
        .iter()
        .map(|q| q.kind.name())
        .collect();
    assert_eq!(
        kinds,
        [
            "single",
            "multiple",
            "short",
            "numeric",
            "order",
            "command",
            "flashcard"
        ]
    );
    let format = include_str!("../../README.md");
    let examples = blocks(format, "```toml\n");
    assert!(examples.len() >= 6);
    for example in examples {
        parse_quiz(example).unwrap_or_else(|e| panic!("{e}\n{example}"));
    }
    for example in blocks(format, "```quiz\n") {
        parse_quiz(example).unwrap_or_else(|e| panic!("{e}\n{example}"));
    }
}

#[test]
fn a_short_answer_that_normalises_to_nothing_is_an_error() {
    for answer in ["\"\\\"\\\"\"", "'.'", "\"``\"", "\"“”\"", "\"!?;,\""] {
        let source = format!(
            "[[question]]\nkind = \"short\"\nprompt = \"P\"\nexplanation = \"E\"\n\n\
             answers = [\"ok\", {answer}]\n"
        );
        let err = err(&source);
        assert_eq!(err.line, 1, "{answer}");
        assert!(err.message.contains("empty once normalised"), "{err:?}");
    }
}

#[test]
fn an_order_question_with_two_equal_steps_is_an_error() {
    for steps in [
        r#"["a", "b", "a"]"#,
        r#"["x y", "x  y"]"#,
        r#"["one", " one "]"#,
    ] {
        let source = format!(
            "[[question]]\nkind = \"single\"\nprompt = \"P\"\nexplanation = \"E\"\n\
             option = [{{ text = \"a\", correct = true }}, {{ text = \"b\" }}]\n\n\
             [[question]]\nkind = \"order\"\nprompt = \"Q\"\nexplanation = \"E\"\n\
             steps = {steps}\n"
        );
        let err = err(&source);
        assert_eq!(err.line, 7, "{steps}");
        assert!(err.message.contains("listed twice"), "{err:?}");
    }
}

/// `n` questions of `kind`'s shape, one after another.
fn many(n: usize, question: impl Fn(usize) -> String) -> String {
    (0..n).map(question).collect()
}

#[test]
fn a_large_block_parses_in_linear_time() {
    let flashcards = many(20_000, |i| {
        format!("[[question]]\nkind = \"flashcard\"\nprompt = \"Q{i}?\"\nanswer = \"A{i}\"\n\n")
    });
    let started = std::time::Instant::now();
    let questions = parse_quiz(&flashcards).expect("valid");
    assert_eq!(questions.len(), 20_000);
    assert_eq!(questions[19_999].line, 5 * 19_999 + 1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // An error at the end of a large block is found as fast, at its line.
    let broken = format!("{flashcards}[[question]]\nkind = \"nope\"\n");
    let started = std::time::Instant::now();
    assert_eq!(err(&broken).line, 100_002);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

/// Hostile quiz text: deep nesting, long lines, many repeats, random splices of valid parts.
/// Parsing never panics, and takes time in proportion to the text.
#[test]
fn hostile_quiz_text_never_panics_and_stays_fast() {
    let pieces = [
        "[[question]]\n",
        "kind = \"short\"\n",
        "kind = \"order\"\n",
        "prompt = \"P\"\n",
        "answers = [\"\\\"\\\"\", \"a\"]\n",
        "steps = [\"a\", \"a\"]\n",
        "option = [{ text = \"a\", correct = true }, { text = \"b\" }]\n",
        "explanation = \"E\"\n",
        "answer = 1e309\n",
        "answer = \"kubectl get pods --\"\n",
        "kind = \"command\"\n",
        "id = \"-\"\n",
        "[question.option]\n",
        "x = [[[[[[[[\n",
        "\"\"\"\n",
        "= = =\n",
        "\u{0}\u{feff}\n",
    ];
    let mut texts = vec![
        format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        format!("x = {}\n", "{ a = ".repeat(50_000)),
        format!("prompt = \"{}\"\n", "é".repeat(500_000)),
        "[[question]]\n".repeat(50_000),
        "a.".repeat(100_000) + "b = 1\n",
    ];
    let mut rng = fastrand::Rng::with_seed(13);
    for _ in 0..300 {
        let count = rng.usize(1..40);
        texts.push(
            (0..count)
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect(),
        );
    }
    for text in texts {
        let started = std::time::Instant::now();
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn({
                let text = text.clone();
                move || parse_quiz(&text).map(|q| q.len())
            })
            .expect("spawn")
            .join();
        assert!(
            result.is_ok(),
            "panicked on {:?}",
            &text[..text.len().min(80)]
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            &text[..text.len().min(80)]
        );
    }
}

#[test]
fn hostile_command_answers_are_refused_or_accepted_quickly() {
    let answers = [
        format!("kubectl get pods {}", "-n x ".repeat(50_000)),
        format!("kubectl get pods {}", "$( ".repeat(50_000)),
        format!("kubectl get pods {}", "'\"".repeat(50_000)),
        format!("kubectl {}", "get ".repeat(50_000)),
        format!("kubectl get pods {}", "| grep x ".repeat(20_000)),
        format!("kubectl get pods -o=jsonpath='{}'", "{".repeat(50_000)),
        "\\".repeat(100_000),
    ];
    for answer in answers {
        let source = format!(
            "[[question]]\nkind = \"command\"\nprompt = \"P\"\nexplanation = \"E\"\nanswer = {:?}\n",
            answer
        );
        let started = std::time::Instant::now();
        let _ = parse_quiz(&source);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{}",
            &answer[..40]
        );
    }
}
