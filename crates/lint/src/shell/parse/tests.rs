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
