use super::*;

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

#[test]
fn single_choice() {
    let key = AnswerKey::Single {
        correct: 1,
        options: 3,
    };
    assert!(grade(&key, &Answer::Choice(vec![1])).correct);
    let wrong = grade(&key, &Answer::Choice(vec![2]));
    assert!(!wrong.correct);
    assert_eq!(wrong.wrong_options, vec![1, 2]);
    assert_eq!(wrong.correct_options, vec![1]);
    assert!(!grade(&key, &Answer::Choice(vec![])).correct);
    assert!(!grade(&key, &Answer::Choice(vec![1, 7])).correct);
}

#[test]
fn multiple_choice_needs_exactly_the_correct_set() {
    let key = AnswerKey::Multiple {
        correct: vec![0, 2],
        options: 4,
    };
    assert!(grade(&key, &Answer::Choice(vec![2, 0])).correct);
    let missed = grade(&key, &Answer::Choice(vec![0]));
    assert!(!missed.correct);
    assert_eq!(missed.wrong_options, vec![2]);
    let extra = grade(&key, &Answer::Choice(vec![0, 1, 2]));
    assert_eq!(extra.wrong_options, vec![1]);
}

#[test]
fn short_answers_are_normalised_with_alternatives() {
    let key = AnswerKey::Short {
        answers: vec!["kube-scheduler".into(), "the scheduler".into()],
        case_sensitive: false,
    };
    for ok in [
        "kube-scheduler",
        " Kube-Scheduler. ",
        "`kube-scheduler`",
        "The  scheduler",
    ] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    assert!(!grade(&key, &text("kube-controller-manager")).correct);
    assert!(!grade(&key, &text("  ")).correct);
    let exact = AnswerKey::Short {
        answers: vec!["NodePort".into()],
        case_sensitive: true,
    };
    assert!(grade(&exact, &text("NodePort")).correct);
    assert!(!grade(&exact, &text("nodeport")).correct);
}

#[test]
fn numeric_with_tolerance_and_unit() {
    let key = AnswerKey::Numeric {
        answer: 2.0,
        tolerance: 0.0,
        unit: Some("members".into()),
    };
    for ok in ["2", " 2 ", "2 members", "2 member", "2.0", "2 Members"] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    assert!(!grade(&key, &text("3")).correct);
    let unit = grade(&key, &text("2 nodes"));
    assert!(!unit.correct);
    assert_eq!(unit.messages, vec!["the unit is members, not `nodes`"]);
    assert!(!grade(&key, &text("two")).correct);
    let loose = AnswerKey::Numeric {
        answer: 33.33,
        tolerance: 0.01,
        unit: None,
    };
    assert!(grade(&loose, &text("33.335")).correct);
    assert!(!grade(&loose, &text("33.35")).correct);
    assert!(grade(&loose, &text("33.33")).correct);
    let big = AnswerKey::Numeric {
        answer: 1_048_576.0,
        tolerance: 0.0,
        unit: None,
    };
    assert!(grade(&big, &text("1,048,576")).correct);
}

#[test]
fn ordering_marks_misplaced_positions() {
    let key = AnswerKey::Order { steps: 4 };
    assert!(grade(&key, &Answer::Order(vec![0, 1, 2, 3])).correct);
    let swapped = grade(&key, &Answer::Order(vec![0, 2, 1, 3]));
    assert!(!swapped.correct);
    assert_eq!(swapped.misplaced, vec![1, 2]);
    assert!(!grade(&key, &Answer::Order(vec![0, 1, 2])).correct);
    assert!(!grade(&key, &Answer::Order(vec![0, 0, 1, 2])).correct);
}

#[test]
fn commands_grade_by_parsing_with_alternatives() {
    let key = AnswerKey::Command {
        answers: vec![
            "kubectl get pods -n kube-system".into(),
            "kubectl get pods --all-namespaces".into(),
        ],
    };
    assert!(grade(&key, &text("kubectl get po --namespace=kube-system")).correct);
    assert!(grade(&key, &text("kubectl get pods -A")).correct);
    let wrong = grade(&key, &text("kubectl get pods -n default"));
    assert!(!wrong.correct);
    assert_eq!(
        wrong.messages,
        vec!["`--namespace`: expected `kube-system`, got `default`"]
    );
    assert!(!grade(&key, &text("kubectl get pods -l 'a")).correct);
    assert!(!grade(&key, &text("")).correct);
}

#[test]
fn flashcards_count_good_and_easy_as_right() {
    assert!(!grade(&AnswerKey::Flashcard, &Answer::SelfGrade(1)).correct);
    assert!(!grade(&AnswerKey::Flashcard, &Answer::SelfGrade(2)).correct);
    assert!(grade(&AnswerKey::Flashcard, &Answer::SelfGrade(3)).correct);
    assert!(grade(&AnswerKey::Flashcard, &Answer::SelfGrade(4)).correct);
    assert!(!grade(&AnswerKey::Flashcard, &Answer::SelfGrade(9)).correct);
}

#[test]
fn an_answer_of_the_wrong_shape_is_wrong_not_a_panic() {
    let key = AnswerKey::Order { steps: 2 };
    assert!(!grade(&key, &text("0 1")).correct);
}

#[test]
fn answers_and_keys_round_trip_through_json() {
    let answer = Answer::Choice(vec![1, 2]);
    let json = serde_json::to_string(&answer).expect("serialises");
    assert_eq!(json, r#"{"type":"choice","value":[1,2]}"#);
    let key: AnswerKey =
        serde_json::from_str(r#"{"kind":"single","correct":1,"options":3}"#).expect("parses");
    assert_eq!(
        key,
        AnswerKey::Single {
            correct: 1,
            options: 3
        }
    );
}
