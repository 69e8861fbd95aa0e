use super::*;

fn same(a: &str, b: &str) -> bool {
    differences(&parse(a).expect("parses"), &parse(b).expect("parses")).is_empty()
}

fn diff(a: &str, b: &str) -> Vec<String> {
    differences(&parse(a).expect("parses"), &parse(b).expect("parses"))
}

#[test]
fn flag_order_and_spelling_do_not_matter() {
    let model = "kubectl get pods -n kube-system -o wide";
    for equivalent in [
        "kubectl get pods -o wide -n kube-system",
        "kubectl get pods --namespace kube-system --output wide",
        "kubectl get pods --namespace=kube-system --output=wide",
        "kubectl -n kube-system get pods -o wide",
        "kubectl get pods -nkube-system -owide",
        "kubectl get pods -n=kube-system -o=wide",
        "  kubectl   get pods -n kube-system -o wide  ",
        "$ kubectl get pods -n kube-system -o wide",
        "k get po -n kube-system -o wide",
        "sudo kubectl get pod -n kube-system -o wide",
    ] {
        assert!(
            same(model, equivalent),
            "{equivalent}: {:?}",
            diff(model, equivalent)
        );
    }
}

#[test]
fn resource_aliases_and_type_slash_name_are_equivalent() {
    assert!(same(
        "kubectl describe pod nginx",
        "kubectl describe po/nginx"
    ));
    assert!(same("kubectl get svc,pods", "kubectl get pods,services"));
    assert!(same(
        "kubectl get deploy web -o yaml",
        "kubectl get deployments.apps web -o yaml"
    ));
    assert!(same("kubectl get nodes", "kubectl get no"));
}

#[test]
fn short_boolean_clusters_expand() {
    assert!(same(
        "kubectl exec -it nginx -- sh",
        "kubectl exec --stdin --tty nginx -- sh"
    ));
    assert!(same(
        "kubectl run test --rm -it --image=busybox --restart=Never -- sh",
        "kubectl run test --image busybox --restart Never --rm -i -t -- sh"
    ));
}

#[test]
fn logs_f_means_follow() {
    assert!(same("kubectl logs -f nginx", "kubectl logs --follow nginx"));
    assert!(same(
        "kubectl apply -f web.yaml",
        "kubectl apply --filename web.yaml"
    ));
}

#[test]
fn dry_run_takes_its_value_only_attached() {
    let parsed = parse("kubectl create deployment web --image=nginx --dry-run=client -o yaml")
        .expect("parses");
    assert_eq!(parsed[0].flags["dry-run"], vec!["client"]);
    assert_eq!(parsed[0].args, vec!["create", "deployments", "web"]);
}

#[test]
fn openssl_single_dash_options() {
    assert!(same(
        "openssl x509 -in apiserver.crt -noout -text",
        "openssl x509 -noout -text -in apiserver.crt"
    ));
    assert!(!same(
        "openssl x509 -in apiserver.crt -noout -text",
        "openssl x509 -in apiserver.crt -noout -dates"
    ));
}

#[test]
fn env_and_pipelines_compare_stage_by_stage() {
    assert!(same(
        "ETCDCTL_API=3 etcdctl snapshot save /tmp/snap.db",
        "sudo ETCDCTL_API=3 etcdctl snapshot save /tmp/snap.db"
    ));
    assert_eq!(
        diff(
            "ETCDCTL_API=3 etcdctl member list",
            "ETCDCTL_API=2 etcdctl member list"
        ),
        vec!["the environment variables before the command differ"]
    );
    assert!(same(
        "journalctl -u kubelet | grep error",
        "journalctl --unit=kubelet | grep error"
    ));
    assert_eq!(
        diff(
            "journalctl -u kubelet | grep error",
            "journalctl -u kubelet"
        ),
        vec!["expected a pipeline of 2 commands, got 1"]
    );
}

#[test]
fn wrong_program_subcommand_resource_name_flag_or_value_is_rejected() {
    let model = "kubectl get pods -n kube-system -o wide";
    assert_eq!(
        diff(model, "kubctl get pods -n kube-system -o wide"),
        vec!["expected the program `kubectl`, got `kubctl`"]
    );
    assert_eq!(
        diff(model, "kubectl describe pods -n kube-system -o wide"),
        vec!["argument 1: expected `get`, got `describe`"]
    );
    assert_eq!(
        diff(model, "kubectl get nodes -n kube-system -o wide"),
        vec!["argument 2: expected `pods`, got `nodes`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n default -o wide"),
        vec!["`--namespace`: expected `kube-system`, got `default`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n kube-system"),
        vec!["missing flag `--output`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n kube-system -o wide -w"),
        vec!["unexpected flag `--watch`"]
    );
    assert_eq!(
        diff("kubectl delete pod web", "kubectl delete pod api"),
        vec!["argument 3: expected `web`, got `api`"]
    );
    assert_eq!(
        diff("kubectl get pods", "kubectl get pods nginx"),
        vec!["unexpected argument `nginx`"]
    );
}

#[test]
fn unbalanced_quotes_and_empty_lines_are_errors() {
    assert_eq!(
        parse("kubectl get pods -l 'app=web"),
        Err(CommandError::Quotes)
    );
    assert_eq!(parse("   "), Err(CommandError::Empty));
    assert_eq!(parse("FOO=1"), Err(CommandError::Empty));
}

#[test]
fn quoted_values_are_unquoted() {
    assert!(same(
        "kubectl get pods -l 'app=web,tier=fe'",
        "kubectl get pods --selector=app=web,tier=fe"
    ));
}
