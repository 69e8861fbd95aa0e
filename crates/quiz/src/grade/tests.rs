//! Grading of every kind of question against its answer key.

use super::*;

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

fn short_key(answers: &[&str], case_sensitive: Option<bool>, prompt: &str) -> AnswerKey {
    AnswerKey::Short {
        answers: answers.iter().map(|a| (*a).to_owned()).collect(),
        case_sensitive,
        words: crate::text::prompt_words(prompt),
    }
}

fn numeric_key(answer: f64, tolerance: f64, unit: Option<&str>, prompt: &str) -> AnswerKey {
    AnswerKey::Numeric {
        answer,
        tolerance,
        unit: unit.map(str::to_owned),
        words: crate::text::prompt_words(prompt),
    }
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
    assert!(wrong.messages.is_empty(), "the marked options say it all");
    assert!(!grade(&key, &Answer::Choice(vec![])).correct);
    assert!(!grade(&key, &Answer::Choice(vec![1, 7])).correct);
}

#[test]
fn multiple_choice_needs_exactly_the_correct_set_and_says_what_was_missed() {
    let key = AnswerKey::Multiple {
        correct: vec![0, 2, 3],
        options: 5,
    };
    assert!(grade(&key, &Answer::Choice(vec![3, 2, 0])).correct);
    let missed = grade(&key, &Answer::Choice(vec![0]));
    assert!(!missed.correct, "no partial credit");
    assert_eq!(missed.wrong_options, vec![2, 3]);
    assert_eq!(missed.correct_options, vec![0, 2, 3]);
    assert_eq!(
        missed.messages,
        ["you missed 2 of the 3 options that apply"]
    );
    let extra = grade(&key, &Answer::Choice(vec![0, 1, 2, 3]));
    assert_eq!(extra.wrong_options, vec![1]);
    assert_eq!(extra.messages, ["one option you chose does not apply"]);
    let both = grade(&key, &Answer::Choice(vec![1, 4, 0]));
    assert_eq!(
        both.messages,
        [
            "you missed 2 of the 3 options that apply",
            "2 options you chose do not apply"
        ]
    );
}

#[test]
fn short_answers_are_normalised_with_alternatives() {
    let key = short_key(
        &["kube-scheduler", "the scheduler"],
        None,
        "Which component?",
    );
    for ok in [
        "kube-scheduler",
        " Kube-Scheduler. ",
        "`kube-scheduler`",
        "The  scheduler",
        "scheduler!",
        "a kube-scheduler?",
        "kube-scheduler,",
    ] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    assert!(!grade(&key, &text("kube-controller-manager")).correct);
    assert!(!grade(&key, &text("  ")).correct);
    let exact = short_key(&["NodePort"], Some(true), "Which type?");
    assert!(grade(&exact, &text("NodePort")).correct);
    assert!(!grade(&exact, &text("nodeport")).correct);
    let loose = short_key(&["/etc/X"], Some(false), "Where?");
    assert!(
        grade(&loose, &text("/ETC/x")).correct,
        "case_sensitive = false"
    );
}

#[test]
fn paths_keys_and_field_names_keep_their_case() {
    for (answer, wrong, right) in [
        (
            "/registry/configmaps/default/test",
            "/Registry/ConfigMaps/Default/Test",
            "`/registry/configmaps/default/test`",
        ),
        (
            "/etc/kubernetes/pki",
            "/ETC/KUBERNETES/PKI",
            "/etc/kubernetes/pki.",
        ),
        ("spec.nodeName", "SPEC.NODENAME", "spec.nodeName"),
        (
            "system:serviceaccount:default:pod-reader",
            "System:ServiceAccount:Default:Pod-Reader",
            "system:serviceaccount:default:pod-reader",
        ),
    ] {
        let key = short_key(&[answer], None, "Which?");
        assert!(!grade(&key, &text(wrong)).correct, "{wrong}");
        assert!(grade(&key, &text(right)).correct, "{right}");
    }
    let words = short_key(&["CoreDNS"], None, "Which?");
    assert!(
        grade(&words, &text("coredns")).correct,
        "a name, not a path"
    );
}

#[test]
fn the_prompts_words_may_stand_around_a_short_answer() {
    let key = short_key(
        &["admin"],
        None,
        "Which built-in ClusterRole, granted with a RoleBinding, gives read-write access?",
    );
    for ok in [
        "the admin ClusterRole",
        "admin clusterrole",
        "ClusterRole admin",
    ] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    for wrong in [
        "admin or edit",
        "edit",
        "cluster-admin",
        "the admin role binding thing",
    ] {
        assert!(!grade(&key, &text(wrong)).correct, "{wrong}");
    }
    let kubelet = short_key(
        &["kubelet", "the kubelet"],
        None,
        "Which node agent starts them?",
    );
    assert!(grade(&kubelet, &text("a kubelet")).correct);
    assert!(grade(&kubelet, &text("The kubelet agent")).correct);
}

#[test]
fn cron_answers_compare_by_schedule() {
    let key = short_key(
        &["0 2 * * *", "00 02 * * *"],
        None,
        "Give the five cron time fields that run a job every day at 02:00.",
    );
    for ok in ["0 2 */1 * *", "0 2 * * 0-6", "0 02 * * *", "`0 2 * * *`"] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    for wrong in ["2 0 * * *", "0 14 * * *", "0 2 * * 1-5", "daily"] {
        assert!(!grade(&key, &text(wrong)).correct, "{wrong}");
    }
}

#[test]
fn numeric_with_tolerance_units_and_words() {
    let key = numeric_key(
        3.0,
        0.0,
        Some("members"),
        "How many members of a 5-member etcd cluster must be up?",
    );
    for ok in [
        "3",
        " 3 ",
        "3 members",
        "3 member",
        "3.0",
        "3 Members",
        "three",
        "Three members",
        "3 nodes",
        "3.",
    ] {
        assert!(grade(&key, &text(ok)).correct, "{ok}");
    }
    assert!(!grade(&key, &text("4")).correct);
    let unit = grade(&key, &text("3 membersss"));
    assert!(!unit.correct);
    assert_eq!(unit.messages, ["the unit is members, not `membersss`"]);
    let loose = numeric_key(33.33, 0.01, None, "?");
    assert!(grade(&loose, &text("33.335")).correct);
    assert!(!grade(&loose, &text("33.35")).correct);
    assert!(grade(&loose, &text("33.33")).correct);
    assert!(grade(&loose, &text("33,33")).correct, "a decimal comma");
    let big = numeric_key(1_048_576.0, 0.0, Some("addresses"), "How many?");
    assert!(grade(&big, &text("1,048,576")).correct);
    assert!(grade(&big, &text("1048576 IPs")).correct);
    let half = numeric_key(0.5, 0.01, None, "What probability?");
    assert!(grade(&half, &text("0,5")).correct);
    assert!(!grade(&half, &text("5")).correct);
}

#[test]
fn numeric_units_convert() {
    for (answer, unit, prompt, typed) in [
        (300.0, "seconds", "How many seconds is that?", "300s"),
        (300.0, "seconds", "How many seconds is that?", "5 minutes"),
        (300.0, "seconds", "How many seconds is that?", "5m"),
        (
            1500.0,
            "m",
            "How many millicores (the `m` suffix) is a CPU request of `1.5`?",
            "1500 millicores",
        ),
        (1500.0, "m", "How many millicores?", "1500m"),
        (1500.0, "m", "How many millicores?", "1.5 cores"),
        (8.0, "Gi", "What size, in Gi?", "8 GiB"),
        (8.0, "Gi", "What size, in Gi?", "8Gi"),
        (365.0, "days", "How many days?", "365d"),
        (365.0, "days", "How many days?", "1 year"),
        (10.0, "years", "How many years?", "10y"),
        (23.5, "hours", "At most how many hours?", "23h30m"),
        (
            23.5,
            "hours",
            "At most how many hours?",
            "23 hours 30 minutes",
        ),
    ] {
        let key = numeric_key(answer, 0.0, Some(unit), prompt);
        let verdict = grade(&key, &text(typed));
        assert!(
            verdict.correct,
            "{typed} for {answer} {unit}: {:?}",
            verdict.messages
        );
    }
    let key = numeric_key(8.0, 0.0, Some("Gi"), "What size, in Gi?");
    assert!(!grade(&key, &text("8 GB")).correct, "GB is not GiB");
    assert!(!grade(&key, &text("8 seconds")).correct);
}

#[test]
fn ordering_counts_moved_steps_not_shifted_ones() {
    let key = AnswerKey::Order { steps: 6 };
    assert!(grade(&key, &Answer::Order(vec![0, 1, 2, 3, 4, 5])).correct);
    let moved = grade(&key, &Answer::Order(vec![5, 0, 1, 2, 3, 4]));
    assert!(!moved.correct);
    assert_eq!(moved.misplaced, vec![0], "one step moved is one mistake");
    assert_eq!(moved.messages, ["one step is out of place"]);
    let swapped = grade(&key, &Answer::Order(vec![0, 2, 1, 3, 4, 5]));
    assert_eq!(swapped.misplaced.len(), 1);
    let reversed = grade(&key, &Answer::Order(vec![5, 4, 3, 2, 1, 0]));
    assert_eq!(reversed.misplaced.len(), 5);
    assert_eq!(reversed.messages, ["5 steps are out of place"]);
    assert!(!grade(&key, &Answer::Order(vec![0, 1, 2])).correct);
    assert!(!grade(&key, &Answer::Order(vec![0, 0, 1, 2, 3, 4])).correct);
}

#[test]
fn commands_grade_by_parsing_with_alternatives() {
    let answers = vec![
        "kubectl get pods -n kube-system".to_owned(),
        "kubectl get pods --all-namespaces".to_owned(),
    ];
    let key = AnswerKey::Command {
        table: crate::command::key_table(&answers),
        answers,
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
    assert_eq!(grade(&key, &text("")).messages, ["type a command first"]);
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
    let short: AnswerKey =
        serde_json::from_str(r#"{"kind":"short","answers":["a"]}"#).expect("old keys parse");
    assert_eq!(short, short_key(&["a"], None, ""));
}

#[test]
fn ordering_many_steps_is_fast_and_counts_moves() {
    let steps = 100_000;
    let key = AnswerKey::Order { steps };
    let mut order: Vec<usize> = (0..steps).collect();
    order.swap(10, 50_000);
    let started = std::time::Instant::now();
    let verdict = grade(&key, &Answer::Order(order));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(verdict.misplaced.len(), 2);
    let reversed: Vec<usize> = (0..steps).rev().collect();
    assert_eq!(
        grade(&key, &Answer::Order(reversed)).misplaced.len(),
        steps - 1
    );
}
