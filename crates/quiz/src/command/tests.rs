//! The command grader through its public API, with the key tables the build would write.

use super::*;

fn answers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Grades `given` against `list` the way the page does: with the key's table subset.
fn verdict(list: &[&str], given: &str) -> Result<(), Vec<String>> {
    let list = answers(list);
    grade(&list, &key_table(&list), given)
}

fn same(model: &str, given: &str) -> bool {
    verdict(&[model], given).is_ok()
}

fn diff(model: &str, given: &str) -> Vec<String> {
    verdict(&[model], given).err().unwrap_or_default()
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
        "/usr/bin/kubectl get pods -n kube-system -o wide;",
        "kubectl get pods -n kube-system -n kube-system -o wide",
        "KUBECONFIG=/etc/kubernetes/admin.conf kubectl get pods -n kube-system -o wide",
        "kubectl --context kind get pods -n kube-system -o wide --kubeconfig ~/.kube/config",
    ] {
        assert!(
            same(model, equivalent),
            "{equivalent}: {:?}",
            diff(model, equivalent)
        );
    }
}

#[test]
fn resource_aliases_groups_and_type_slash_name() {
    assert!(same(
        "kubectl describe pod nginx",
        "kubectl describe po/nginx"
    ));
    assert!(same("kubectl get svc,pods", "kubectl get pods,services"));
    assert!(same(
        "kubectl get deploy web -o yaml",
        "kubectl get deployments.apps web -o yaml"
    ));
    assert!(same(
        "kubectl get deploy web -o yaml",
        "kubectl get deployments.v1.apps web -o yaml"
    ));
    assert!(same("kubectl get nodes", "kubectl get no"));
    for other_group in [
        "kubectl get pods.metrics.k8s.io",
        "kubectl get pods.example.com",
    ] {
        assert_eq!(
            diff("kubectl get pods", other_group),
            [format!(
                "argument 1: expected `pods`, got `{}`",
                &other_group[12..]
            )]
        );
    }
    assert!(!same(
        "kubectl get networkpolicies -n x",
        "kubectl get networkpolicies.crd.projectcalico.org -n x"
    ));
    assert!(same(
        "kubectl exec pod1 -- ls",
        "kubectl exec pod/pod1 -- ls"
    ));
    assert!(!same("kubectl logs web", "kubectl logs deploy/web"));
}

#[test]
fn booleans_and_defaults_written_out() {
    assert!(same(
        "kubectl logs -f nginx",
        "kubectl logs --follow=true nginx"
    ));
    assert!(same("kubectl logs -f nginx", "kubectl logs -f=true nginx"));
    assert!(same(
        "kubectl get pods -A",
        "kubectl get pods --all-namespaces=true"
    ));
    assert!(same(
        "kubectl drain node1 --ignore-daemonsets",
        "kubectl drain node1 --ignore-daemonsets --force=false"
    ));
    assert!(same(
        "kubectl expose deployment np-test --type=NodePort --port=80",
        "kubectl expose deployment np-test --type=NodePort --port=80 --protocol=TCP"
    ));
    assert_eq!(
        diff("kubectl get pods", "kubectl get pods -A=false --watch=1"),
        ["unexpected flag `--watch`"]
    );
    assert!(same(
        "kubectl create deployment web --image=nginx --dry-run=client -o yaml",
        "kubectl create deploy web --image nginx -o=yaml --dry-run=client"
    ));
}

#[test]
fn selectors_compare_as_requirements() {
    let model = "kubectl get pods -n kube-system -l k8s-app=kube-dns";
    for equivalent in [
        "kubectl get pods -n kube-system -l k8s-app==kube-dns",
        "kubectl get pods -n kube-system -l 'k8s-app in (kube-dns)'",
        "kubectl get pods -n kube-system --selector='k8s-app = kube-dns'",
    ] {
        assert!(
            same(model, equivalent),
            "{equivalent}: {:?}",
            diff(model, equivalent)
        );
    }
    assert!(!same(
        model,
        "kubectl get pods -n kube-system -l k8s-app!=kube-dns"
    ));
    assert!(same(
        "kubectl get pods -l 'app=web,tier=fe'",
        "kubectl get pods --selector=tier==fe,app=web"
    ));
    assert!(same(
        "kubectl get events -A --sort-by=.lastTimestamp",
        "kubectl get events -A --sort-by={.lastTimestamp}"
    ));
}

#[test]
fn flags_kubectl_would_refuse_are_wrong_with_the_reason() {
    let model = "kubectl get pods -n kube-system -o wide";
    assert_eq!(
        diff(model, "kubectl get pods --n kube-system -o wide"),
        ["`kubectl get` has no flag `--n` (a one-letter flag takes one dash: `-n`)"]
    );
    assert_eq!(
        diff(model, "kubectl get pods ---namespace=kube-system -o wide"),
        ["`kubectl get` has no flag `---namespace` (one dash too many)"]
    );
    for refused in [
        "kubectl get pods -n kube-system --o wide",
        "kubectl get pods --A -o wide",
        "kubectl get pods -n kube-system -o wide --bogus",
    ] {
        assert!(!same(model, refused), "{refused}");
    }
    assert_eq!(
        diff("crictl ps -a", "crictl -a ps"),
        ["`crictl` reads `-a` only after the command `ps`"]
    );
    assert_eq!(
        diff(
            "journalctl -u kubelet -n 50",
            "journalctl --u kubelet --n 50"
        ),
        [
            "`journalctl` has no flag `--u` (a one-letter flag takes one dash: `-u`)",
            "`journalctl` has no flag `--n` (a one-letter flag takes one dash: `-n`)"
        ]
    );
    assert_eq!(
        diff(
            "kubeadm upgrade apply v1.28.0",
            "kubeadm upgrade apply v1.28.0 -f"
        ),
        ["unexpected flag `--force`"]
    );
}

#[test]
fn other_programs_read_with_their_tables() {
    assert!(same(
        "journalctl -u kubelet -n 50",
        "journalctl --unit=kubelet.service --lines=50 --no-pager"
    ));
    assert!(same(
        "journalctl -u kubelet -n 50",
        "journalctl -n50 -ukubelet"
    ));
    assert!(same(
        "kubeadm upgrade apply v1.28.0",
        "kubeadm upgrade apply 1.28.0"
    ));
    assert!(same(
        "crictl ps -a",
        "crictl --runtime-endpoint unix:///run/containerd/containerd.sock ps --all"
    ));
    assert!(same(
        "crictl ps -a",
        "CONTAINER_RUNTIME_ENDPOINT=unix:///run/containerd/containerd.sock crictl ps -a"
    ));
    assert!(same(
        "etcdctl endpoint status -w table",
        "ETCDCTL_API=3 etcdctl endpoint status --write-out=table"
    ));
    assert!(same(
        "etcdctl get /registry/pods --prefix --keys-only",
        "ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt etcdctl get /registry/pods --keys-only --prefix"
    ));
    assert!(same(
        "etcdctl endpoint health --cacert=/ca.crt",
        "ETCDCTL_CACERT=/ca.crt etcdctl endpoint health"
    ));
    assert_eq!(
        diff(
            "etcdctl endpoint health --cacert=/ca.crt",
            "ETCDCTL_CACERT=/other.crt etcdctl endpoint health"
        ),
        ["`--cacert`: expected `/ca.crt`, got `/other.crt`"]
    );
    assert!(same(
        "systemctl restart kubelet",
        "sudo systemctl restart kubelet.service"
    ));
}

#[test]
fn multi_line_commands_read_as_one() {
    let model = "etcdctl snapshot save /tmp/etcd-backup.db";
    let pasted = "sudo etcdctl --endpoints=https://127.0.0.1:2379 \\\n  --cacert=/etc/kubernetes/pki/etcd/ca.crt \\\n  --cert=/etc/kubernetes/pki/etcd/server.crt \\\n  --key=/etc/kubernetes/pki/etcd/server.key snapshot save /tmp/etcd-backup.db";
    assert!(same(model, pasted), "{:?}", diff(model, pasted));
    assert!(
        same(model, &pasted.replace('\n', " ")),
        "a text field's flattening"
    );
    assert!(!same(
        model,
        "etcdctl snapshot save /tmp/etcd-backup.db\nrm -rf /"
    ));
}

#[test]
fn chained_and_piped_commands_are_counted() {
    let model = "kubectl get pods";
    assert_eq!(
        diff(model, "kubectl get pods; rm -rf /"),
        ["expected one command, got 2 (joined by `;`)"]
    );
    assert_eq!(
        diff(model, "kubectl get pods && kubectl delete pods --all"),
        ["expected one command, got 2 (joined by `&&`)"]
    );
    assert_eq!(
        diff(
            "journalctl -u kubelet | grep error",
            "journalctl -u kubelet"
        ),
        ["expected a pipeline of 2 commands, got 1"]
    );
    assert!(same(
        "journalctl -u kubelet | grep error",
        "journalctl --unit=kubelet | grep error"
    ));
    assert!(!same(model, "kubectl get pods > /etc/passwd"));
    assert_eq!(
        diff(model, "kubectl get pods &"),
        ["the command runs in the background (`&`)"]
    );
}

#[test]
fn alternatives_combine() {
    let list = [
        "kubectl exec pod1 -- ping -c 3 10.244.2.10",
        "kubectl exec pod1 -- ping -c3 10.244.2.10",
        "kubectl exec -it pod1 -- ping -c 3 10.244.2.10",
        "kubectl get pods -n kube-system",
    ];
    for given in [
        "kubectl exec -it pod/pod1 -- ping -c 3 10.244.2.10",
        "kubectl exec -ti pod1 -- ping -c3 10.244.2.10",
    ] {
        assert!(
            verdict(&list, given).is_ok(),
            "{given}: {:?}",
            verdict(&list, given)
        );
    }
    assert!(verdict(&list, "kubectl exec -it pod1 -- ping -c 4 10.244.2.10").is_err());
    let namespace = [
        "kubectl get pods -n kube-system",
        "kubectl get pods -A --field-selector metadata.namespace=kube-system",
    ];
    assert!(
        verdict(&namespace, "kubectl get pods -A").is_err(),
        "half an alternative"
    );
}

#[test]
fn wrong_program_subcommand_resource_name_flag_or_value_is_rejected() {
    let model = "kubectl get pods -n kube-system -o wide";
    assert_eq!(
        diff(model, "kubctl get pods -n kube-system -o wide"),
        ["expected the program `kubectl`, got `kubctl`"]
    );
    assert_eq!(
        diff(model, "kubectl describe pods -n kube-system -o wide"),
        ["expected `kubectl get`, got `kubectl describe`"]
    );
    assert_eq!(
        diff(model, "kubectl get nodes -n kube-system -o wide"),
        ["argument 1: expected `pods`, got `nodes`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n default -o wide"),
        ["`--namespace`: expected `kube-system`, got `default`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n kube-system"),
        ["missing flag `--output`"]
    );
    assert_eq!(
        diff(model, "kubectl get pods -n kube-system -o wide -w"),
        ["unexpected flag `--watch`"]
    );
    assert_eq!(
        diff("kubectl delete pod web", "kubectl delete pod api"),
        ["argument 2: expected `web`, got `api`"]
    );
    assert_eq!(
        diff("kubectl get pods", "kubectl get pods nginx"),
        ["unexpected argument `nginx`"]
    );
    assert_eq!(
        diff(
            "kubectl auth can-i list pods --as x",
            "kubectl auth can-i list pods"
        ),
        ["missing flag `--as`"]
    );
    assert_eq!(
        diff(
            "ETCDCTL_API=3 etcdctl member list",
            "FOO=2 etcdctl member list"
        ),
        ["unexpected `FOO=2` before the command"]
    );
    assert_eq!(
        diff(
            "kubectl exec pod1 -- ping -c 3 10.0.0.1",
            "kubectl exec pod1 -- ping -c 4 10.0.0.1"
        ),
        ["after `--`: argument 2: expected `3`, got `4`"]
    );
}

#[test]
fn unparsable_and_empty_lines_are_wrong() {
    assert_eq!(
        diff("kubectl get pods", "kubectl get pods -l 'app=web"),
        ["the command does not parse: unbalanced quotes"]
    );
    assert_eq!(
        diff("kubectl get pods", "FOO=1"),
        ["the command does not parse: the command is empty"]
    );
}

#[test]
fn answers_are_validated_against_the_tables() {
    assert_eq!(validate("kubectl get pods -n x"), Ok(()));
    assert_eq!(
        validate("kubectl get pods --bogus"),
        Err("`kubectl get` has no flag `--bogus`".into())
    );
    assert_eq!(
        validate("kubectl gte pods"),
        Err("`kubectl gte` is not a command the table knows".into())
    );
    assert_eq!(
        validate("ping -c 3 10.0.0.1"),
        Ok(()),
        "no table: any words"
    );
    assert!(validate("kubectl get pods -l 'x").is_err());
}

#[test]
fn the_key_table_holds_only_what_the_answers_use() {
    let table = key_table(&answers(&[
        "kubectl get pods -n kube-system",
        "kubectl describe pod/x",
        "kubectl exec x -- etcdctl member list",
    ]));
    assert!(table.starts_with("program\tkubectl\tk\n"), "{table}");
    assert!(table.contains("\ncommand\tget\t"));
    assert!(table.contains("\ncommand\tdescribe\t"));
    assert!(table.contains("\ncommand\texec\t"));
    assert!(!table.contains("\ncommand\tapply\t"));
    assert!(table.contains("\nresource\tpods\t"));
    assert!(!table.contains("\nresource\tservices\t"));
    assert!(table.contains("\nprogram\tetcdctl\t"));
    assert!(table.contains("\ncommand\tmember list\t"));
    assert!(table.len() < 4000, "{} bytes", table.len());
}
