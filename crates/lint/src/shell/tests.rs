use crate::testing::{check_markdown, rules_in};

fn fence(lang: &str, code: &str) -> String {
    format!("# T\n\n```{lang}\n{code}```\n")
}

fn count(rules: &[&str], id: &str) -> usize {
    rules.iter().filter(|r| **r == id).count()
}

#[test]
fn shell_syntax_reports_where_bash_fails() {
    let found = check_markdown(&fence("bash", "echo ok\nif true; then echo a )\n"));
    let syntax: Vec<_> = found.iter().filter(|d| d.rule == "shell-syntax").collect();
    assert_eq!(syntax.len(), 1, "{found:?}");
    assert_eq!((syntax[0].line, syntax[0].column), (5, 22));
}

#[test]
fn shell_syntax_is_quiet_on_valid_bash_and_masked_placeholders() {
    let code =
        "kubectl get pods \\\n  -n kube-system # list\ncat <<'EOF' | tee f\nit's (odd\nEOF\n\
                kubectl describe pod \"<name>\"\nfor i in 1 2; do echo $i; done\n";
    assert_eq!(count(&rules_in(&fence("bash", code)), "shell-syntax"), 0);
    let console = "$ kubectl get pods\nNAME   READY (weird\n$ echo 'a\n> b'\n";
    assert!(rules_in(&fence("console", console)).is_empty());
}

#[test]
fn placeholder_redirect_is_reported_with_the_file_it_writes() {
    let found = check_markdown(&fence(
        "bash",
        "kubectl label nodes <worker1> disktype=ssd\n",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "shell-placeholder-redirect");
    assert_eq!((found[0].line, found[0].column, found[0].width), (4, 21, 9));
    assert!(found[0].message.contains("disktype=ssd"));
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("\"$WORKER1\"")));
}

#[test]
fn placeholder_in_quotes_heredocs_or_comments_is_fine() {
    let code =
        "kubectl describe pod '<name>'\n# kubectl exec <pod>\ncat <<EOF\nimage: <image>\nEOF\n\
                NODE=worker1\nkubectl label nodes \"$NODE\" disktype=ssd\n";
    assert!(rules_in(&fence("bash", code)).is_empty());
}

#[test]
fn output_and_prose_in_a_bash_fence_are_reported_once() {
    let code = "ip route show\nPacket sent to node2 via eth0\nRoutes the packet to the pod\n";
    let found = check_markdown(&fence("bash", code));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "fence-not-commands");
    assert_eq!(found[0].line, 5);
    assert!(found[0].message.contains("prose") && found[0].message.contains("2 such lines"));
    let table = "kubectl get pods\nNAME    READY   STATUS\nweb-1   1/1     Running\n";
    assert_eq!(rules_in(&fence("bash", table)), ["fence-not-commands"]);
    let rules = "-A KUBE-SERVICES -d 10.96.0.100/32 -j KUBE-SVC-XXX\n";
    assert_eq!(rules_in(&fence("sh", rules)), ["fence-not-commands"]);
    assert_eq!(
        rules_in(&fence("console", "NAME READY\nweb 1/1\n")),
        ["fence-not-commands"]
    );
}

#[test]
fn commands_and_console_output_are_not_prose() {
    let code = "kubectl get pods\nKUBECONFIG=x kubectl get nodes\nsudo systemctl restart kubelet\n";
    assert!(rules_in(&fence("bash", code)).is_empty());
    let console = "$ kubectl get pods\nNAME    READY   STATUS\nweb-1   1/1     Running\n";
    assert!(rules_in(&fence("console", console)).is_empty());
    let quoted = "echo 'A line\nThat reads like prose in a string'\n";
    assert!(rules_in(&fence("bash", quoted)).is_empty());
}

#[test]
fn fence_without_language_is_reported_and_indented_code_is_not() {
    let found = check_markdown("# T\n\n```\nsome text\n```\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].rule, found[0].line, found[0].column),
        ("fence-no-language", 3, 1)
    );
    assert!(rules_in("# T\n\n```text\nsome text\n```\n").is_empty());
    assert!(rules_in("# T\n\nSome text:\n\n    indented code\n").is_empty());
}

#[test]
fn lint_allow_silences_a_rule_for_one_block() {
    let md = "# T\n\n```bash lint-allow=shell-syntax\necho )\n```\n";
    assert!(rules_in(md).is_empty());
}

mod never_panics {
    use proptest::prelude::*;

    fn run(lang: &str, code: &str) {
        // A NUL byte makes the chapter itself invalid (the build refuses it before any rule).
        let code = code.replace('\0', "");
        let md = format!("# T\n\n```{lang}\n{code}\n```\n");
        let _ = crate::testing::check_markdown(&md);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn on_any_text(code in ".*") {
            run("bash", &code);
        }

        #[test]
        fn on_shell_like_text(code in r"([a-z<>|&;()'`$\\{}#\n -]|kubectl |run |--rm |-it |<<EOF\n|EOF\n|\$\(|é){0,60}") {
            run("bash", &code);
            run("console", &format!("$ {code}"));
        }
    }
}
