use super::*;

fn script(code: &str, lang: &str) -> Script {
    let prepared = prepare(code, lang);
    match parse_prepared(code, &prepared) {
        Ok(script) => script,
        Err(err) => panic!("{code:?} does not parse: {err:?}"),
    }
}

fn argv(script: &Script) -> Vec<Vec<&str>> {
    script
        .commands
        .iter()
        .map(|c| c.words.iter().map(|w| w.text.as_str()).collect())
        .collect()
}

#[test]
fn words_carry_their_byte_ranges() {
    let code = "X=é kubectl get pods -n 'kube system' | grep x && echo \"ü\"\n";
    let parsed = script(code, "bash");
    assert_eq!(
        argv(&parsed),
        [
            vec!["kubectl", "get", "pods", "-n", "'kube system'"],
            vec!["grep", "x"],
            vec!["echo", "\"ü\""]
        ]
    );
    for word in parsed.words() {
        assert_eq!(&code[word.span.clone()], word.text);
    }
    assert_eq!(parsed.commands[0].pipeline, parsed.commands[1].pipeline);
    assert_ne!(parsed.commands[1].pipeline, parsed.commands[2].pipeline);
}

#[test]
fn substitutions_quoted_scripts_and_compounds_are_walked() {
    let code = "for p in $(kubectl get pods -o name); do\n  echo `date`\ndone\n\
                watch 'kubectl get pods'\nsudo sh -c \"kubectl get ns\"\n\
                if true; then { kubectl version; }; fi\n";
    let parsed = script(code, "bash");
    let names: Vec<&str> = parsed
        .commands
        .iter()
        .map(|c| c.words[0].text.as_str())
        .collect();
    assert_eq!(
        names,
        ["kubectl", "date", "echo", "kubectl", "watch", "kubectl", "sudo", "true", "kubectl"]
    );
    for word in parsed.words() {
        assert_eq!(&code[word.span.clone()], word.text);
    }
}

#[test]
fn heredocs_are_kept_with_their_command() {
    let code = "cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF\n";
    let parsed = script(code, "bash");
    assert_eq!(parsed.commands[0].heredocs, ["kind: Pod\n"]);
    assert_eq!(argv(&parsed)[1], ["kubectl", "apply", "-f", "-"]);
}

#[test]
fn console_prompts_and_output_are_blanked() {
    let code = "$ kubectl get pods\nNAME  READY (x\n$ echo a \\\n> b\n";
    let parsed = script(code, "console");
    assert_eq!(
        argv(&parsed),
        [vec!["kubectl", "get", "pods"], vec!["echo", "a", "b"]]
    );
}

#[test]
fn placeholders_are_masked_and_marked() {
    let code = "kubectl logs -n kube-system kube-apiserver-<name> | head\n";
    let parsed = script(code, "bash");
    let word = &parsed.commands[0].words[4];
    assert_eq!(word.text, "kube-apiserver-<name>");
    assert!(word.placeholder);
    assert!(prepare("cat <<EOF>x\n", "bash").placeholders.is_empty());
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let err = |code: &str| parse_prepared(code, &prepare(code, "bash")).err();
    let quote = err("echo ok\necho 'oops\n").map(|e| e.offset);
    assert_eq!(quote, Some(13));
    let paren = err("echo a )\n");
    assert!(paren.is_some_and(|e| e.offset == 7 && e.message.contains("`)`")));
    assert!(err("if true; then\n").is_some());
    assert!(err("cat <<EOF\nno end\n").is_some_and(|e| e.message.contains("EOF")));
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_any_text(code in r"(.|\n)*", lang in "bash|console") {
            let prepared = super::prepare(&code, &lang);
            if let Ok(script) = super::parse_prepared(&code, &prepared) {
                for word in script.words() {
                    prop_assert_eq!(&code[word.span.clone()], word.text.as_str());
                }
            }
        }

        #[test]
        fn parsing_shell_like_text(code in r#"([a-z<>|&;(){}'"`$\\#\n =-]|<<EOF\n|EOF\n|\$\(|<x>|é)*"#) {
            let prepared = super::prepare(&code, "bash");
            if let Ok(script) = super::parse_prepared(&code, &prepared) {
                for word in script.words() {
                    prop_assert_eq!(&code[word.span.clone()], word.text.as_str());
                }
            }
        }
    }
}

/// Every kind of nesting, `depth` levels deep, closed or left open.
fn nested_texts(depth: usize, case_depth: usize) -> Vec<String> {
    vec![
        format!("echo {}x{}\n", "$( echo ".repeat(depth), ")".repeat(depth)),
        "echo $( ".repeat(depth),
        format!("{}echo{}\n", "{ ".repeat(depth), "; }".repeat(depth)),
        "{ ".repeat(depth),
        format!("{}echo{}\n", "( ".repeat(depth), " )".repeat(depth)),
        format!(
            "{}echo{}\n",
            "if true; then ".repeat(depth),
            "; fi".repeat(depth)
        ),
        "if true; then ".repeat(depth),
        "while true; do ".repeat(depth),
        "for i in 1; do ".repeat(depth),
        "case x in x) ".repeat(case_depth),
        format!("echo {}\n", "${a:-".repeat(depth)),
        format!("echo {}x{}\n", "${a:-".repeat(depth), "}".repeat(depth)),
        format!("echo {}\n", "\"$(".repeat(depth)),
        format!("echo {}\n", "$((".repeat(depth)),
        format!("cat {}\n", "<(".repeat(depth)),
        format!("sh -c '{}'\n", "$( ".repeat(depth)),
        format!("[[ {}a ]]\n", "! ".repeat(depth)),
        format!("echo {}\n", "$[ ".repeat(depth)),
        format!("watch \"{}\"\n", "{ ".repeat(depth)),
    ]
}

/// Parses on a thread with rayon's default 2 MiB stack, as `check` does.
fn parse_on_small_stack(text: String) -> Result<Script, SyntaxError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse_prepared(&text, &prepare(&text, "bash")))
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn nesting_up_to_the_limit_is_parsed_within_a_small_stack_and_quickly() {
    use super::super::depth::{MAX_CASE_DEPTH, MAX_DEPTH};
    // Constructs that count twice (`"$(`) pass the scanner at half the depth.
    for depth in [MAX_DEPTH / 2 - 1, MAX_DEPTH - 1] {
        for text in nested_texts(depth, MAX_CASE_DEPTH) {
            let started = std::time::Instant::now();
            let result = parse_on_small_stack(text.clone());
            if let Err(err) = result {
                assert!(!err.too_deep || depth >= MAX_DEPTH / 2, "{text}");
            }
            assert!(started.elapsed().as_secs() < 2, "{text}");
        }
    }
}

#[test]
fn nesting_past_the_limit_is_refused_not_parsed() {
    use super::super::depth::{MAX_CASE_DEPTH, MAX_DEPTH};
    for (depth, case_depth) in [
        (MAX_DEPTH + 1, MAX_CASE_DEPTH + 1),
        (2_000, 30),
        (20_000, 500),
    ] {
        for text in nested_texts(depth, case_depth) {
            let started = std::time::Instant::now();
            let result = parse_on_small_stack(text.clone());
            assert!(started.elapsed().as_secs() < 5, "{}", &text[..40]);
            let is_quoted = text.starts_with("sh -c") || text.starts_with("watch");
            if !is_quoted {
                let err = result.expect_err(&text[..40]);
                assert!(err.too_deep, "{}: {err:?}", &text[..40]);
            }
        }
    }
}

#[test]
fn random_mixtures_of_openers_never_overflow_the_stack() {
    let openers = [
        "$( ",
        "{ ",
        "( ",
        "if x; then ",
        "\"$(",
        "${a:-",
        "$[ ",
        "! ",
        "[[ ",
        "<(",
        "`",
        "while x; do ",
        "case x in x) ",
        "f() ",
        "$(( ",
        "'",
        "\"",
        "\\",
        "a=(",
        "[[ ( ",
        "function g ",
        "coproc ",
        "time ",
        "for i; do ",
        "select i; do ",
        "{ ! ",
        "[[ ! ( ",
        "<<EOF ",
        "\n",
        ") ",
        "} ",
        "fi ",
        "done ",
        "esac ",
        "]] ",
    ];
    let mut state = 0x600du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 16) as usize
    };
    for _ in 0..60 {
        let length = 500 + next() % 3_000;
        let text: String = (0..length)
            .map(|_| openers[next() % openers.len()])
            .collect();
        let started = std::time::Instant::now();
        // A stack overflow would abort the test process: reaching the end is the assertion.
        let _ = parse_on_small_stack(text.clone());
        assert!(
            started.elapsed().as_secs() < 5,
            "{:?}",
            &text[..text.len().min(80)]
        );
    }
    // Mixtures just under the limit reach brush-parser: the deepest it is ever given.
    let single = [
        "$( ",
        "{ ",
        "( ",
        "if x; then ",
        "${a:-",
        "$[ ",
        "! ",
        "<(",
        "while x; do ",
        "$(( ",
        "a=(",
        "for i; do ",
        "[[ ( ",
        "{ ! ",
    ];
    for _ in 0..200 {
        let mut text = String::new();
        let mut levels = 0;
        while levels < super::super::depth::MAX_DEPTH - 2 {
            let opener = single[next() % single.len()];
            levels += if opener.contains('!') { 2 } else { 1 };
            text.push_str(opener);
        }
        let started = std::time::Instant::now();
        let _ = parse_on_small_stack(text.clone());
        assert!(started.elapsed().as_secs() < 5, "{text}");
    }
}
