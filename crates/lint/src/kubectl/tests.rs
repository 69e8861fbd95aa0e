use crate::testing::{check_markdown, rules_in};

fn bash(code: &str) -> String {
    format!("# T\n\n```bash\n{code}```\n")
}

fn only(code: &str, rule: &str) -> Vec<crate::Diagnostic> {
    check_markdown(&bash(code))
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect()
}

#[test]
fn unknown_commands_are_reported_with_a_suggestion() {
    let found = only(
        "kubectl gte pods\nkubectl create deploymnt web --image=nginx\nkubectl foo bar\n",
        "kubectl-unknown-command",
    );
    let got: Vec<_> = found.iter().map(|d| (d.line, d.column, d.width)).collect();
    assert_eq!(got, [(4, 9, 3), (5, 16, 9), (6, 9, 3)]);
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("kubectl get")));
    assert!(found[1]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("kubectl create deployment")));
    assert!(found[2]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("plugin")));
}

#[test]
fn known_commands_aliases_and_groups_are_quiet() {
    let code =
        "kubectl get pods\nkubectl create deploy web --image=nginx\nkubectl create -f x.yaml\n\
                kubectl cluster-info dump | grep cidr\nkubectl auth can-i get pods --as=system:x\n\
                kubectl top po\nkubectl config use-context kind\nkubectl $VERB pods\n\
                kubectl rollout status deployment/web\nkubectl help get\n";
    assert!(
        rules_in(&bash(code)).is_empty(),
        "{:?}",
        check_markdown(&bash(code))
    );
}

#[test]
fn unknown_flags_are_reported_in_every_spelling() {
    let code = "kubectl get pods --bogus\nkubectl get pods --watsh=true\nkubectl get pods -x\n\
                kubectl exec -itz pod -- sh\nkubectl create deployment x --image=n -f y\n";
    let found = only(code, "kubectl-unknown-flag");
    let got: Vec<_> = found.iter().map(|d| (d.line, d.column, d.width)).collect();
    assert_eq!(
        got,
        [(4, 18, 7), (5, 18, 7), (6, 18, 2), (7, 14, 4), (8, 39, 2)]
    );
    assert!(found[1]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("--watch")));
    assert!(found[4].message.contains("kubectl create deployment"));
}

#[test]
fn flags_in_every_spelling_and_place_are_known() {
    let code = "kubectl -n kube-system get pods -o wide --show-labels\n\
                kubectl get pods -nkube-system -owide -w\nkubectl get pods -n=x --chunk-size 5\n\
                kubectl exec -it pod1 -- ping -c 3 --bogus\n\
                sudo -E kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes\n\
                watch -n 1 kubectl get pods -A\nwatch 'kubectl get pods --watch-only'\n\
                echo $(kubectl get pods -o name) && kubectl version --client\n\
                kubectl get events --sort-by='.lastTimestamp' | tail -20\n\
                kubectl create deployment x --image=n --dry-run -o yaml\n\
                kubectl run t --image=busybox --restart=Never -it --rm -- sh\n\
                kubectl logs --tail -1 web\nkubectl get pods -h\n";
    let found = check_markdown(&bash(code));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn kubectl_is_found_behind_wrappers_and_inside_substitutions() {
    let code = "sudo kubectl gett x\nwatch -n1 kubectl gett x\nX=$(kubectl gett x)\n\
                a | kubectl gett x\ntrue && timeout 5s kubectl gett\nwatch \"kubectl gett\"\n";
    assert_eq!(only(code, "kubectl-unknown-command").len(), 6);
}

#[test]
fn a_pod_run_with_rm_is_gone_in_later_blocks() {
    let md = "# T\n\n```bash\nkubectl run test --image=busybox --restart=Never -it --rm -- nslookup x\n```\n\n\
              Then:\n\n```bash\nkubectl exec test -- cat /etc/resolv.conf\n```\n";
    let found = check_markdown(md);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "kubectl-use-after-delete");
    assert_eq!(
        (found[0].line, found[0].column, found[0].width),
        (10, 14, 4)
    );
    assert!(found[0].message.contains("line 4"));
}

#[test]
fn deletes_then_uses_are_reported_and_recreations_are_not() {
    let code = "kubectl delete pod x\nkubectl logs x\nkubectl delete deploy/web\n\
                kubectl scale deployment web --replicas=2\nkubectl delete ns team\n\
                kubectl exec -n team app -- ls\n";
    let found = only(code, "kubectl-use-after-delete");
    let lines: Vec<_> = found.iter().map(|d| d.line).collect();
    assert_eq!(lines, [5, 7, 9], "{found:?}");
    assert!(found[2].message.contains("namespace `team`"));
    let recreated = "kubectl delete pod x\nkubectl run x --image=nginx\nkubectl logs x\n\
                     kubectl delete deployment web\nkubectl create deployment web --image=n\n\
                     kubectl scale deploy web --replicas=1\nkubectl delete pod y\n\
                     cat <<EOF | kubectl apply -f -\nkind: Pod\nmetadata:\n  name: y\nEOF\n\
                     kubectl exec y -- ls\nkubectl delete pod z\nkubectl get pod z\n\
                     kubectl delete pod w -n a\nkubectl logs w\n\
                     cat <<EOF | kubectl apply -f -\nkind: StatefulSet\nmetadata:\n  name: web\nEOF\n\
                     kubectl delete pod web-0\nkubectl exec web-0 -- ls\n\
                     kubectl delete pod -n kube-system kube-apiserver-cp\n\
                     kubectl logs -n kube-system kube-apiserver-cp\n";
    assert!(only(recreated, "kubectl-use-after-delete").is_empty());
}

#[test]
fn rm_without_restart_never_is_a_warning() {
    let found = only(
        "kubectl run t --image=busybox -it --rm -- sh\n",
        "kubectl-rm-without-restart-never",
    );
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].column, found[0].width), (35, 4));
    assert_eq!(found[0].severity, crate::Severity::Warning);
    let fine = "kubectl run t --image=busybox -it --rm --restart Never -- sh\n\
                kubectl run u --image=busybox --restart=Never -- sleep 1\n";
    assert!(only(fine, "kubectl-rm-without-restart-never").is_empty());
}

#[test]
fn lint_allow_silences_a_plugin() {
    assert!(rules_in(
        "# T\n\n```bash lint-allow=kubectl-unknown-command\nkubectl krew list\n```\n"
    )
    .is_empty());
}

#[test]
fn suggestions_are_close_words_only() {
    assert_eq!(
        super::suggest("gte", ["get", "set", "edit"].into_iter()),
        Some("get")
    );
    assert_eq!(super::suggest("zzzzz", ["get"].into_iter()), None);
    assert_eq!(super::edit_distance("kitten", "sitting"), 3);
    assert_eq!(super::edit_distance("gte", "get"), 1);
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn on_kubectl_like_lines(code in r"((sudo |watch )?kubectl( [a-z-]{1,12}| -[a-zA-Z]{1,3}| --[a-z-]{1,10}(=[a-z]*)?| <[a-z]+>| --| \$\(kubectl [a-z]+\)| [a-z]+/[a-z]+| \|)*\n){1,6}") {
            let md = format!("# T\n\n```bash\n{code}```\n");
            let _ = crate::testing::check_markdown(&md);
        }
    }
}
