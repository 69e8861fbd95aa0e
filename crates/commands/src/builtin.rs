//! The committed tables (`data/*.txt`), embedded and parsed on first use: kubectl (generated
//! from its help, with its resource types), journalctl and systemctl (generated from their
//! help), and etcdctl, etcdutl, crictl and kubeadm (written by hand from their help; each file's
//! header says how it was made).

use std::sync::LazyLock;

use crate::table::Table;

const KUBECTL: &str = include_str!("../data/kubectl-commands.txt");
const KUBECTL_RESOURCES: &str = include_str!("../data/kubectl-resources.txt");
const OTHERS: &[&str] = &[
    include_str!("../data/etcdctl-commands.txt"),
    include_str!("../data/etcdutl-commands.txt"),
    include_str!("../data/crictl-commands.txt"),
    include_str!("../data/kubeadm-commands.txt"),
    include_str!("../data/journalctl-commands.txt"),
    include_str!("../data/systemctl-commands.txt"),
];

static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| {
    let mut kubectl = Table::parse(KUBECTL);
    kubectl.extend(KUBECTL_RESOURCES);
    std::iter::once(kubectl)
        .chain(OTHERS.iter().map(|text| Table::parse(text)))
        .collect()
});

/// Every committed table, kubectl's first.
pub fn tables() -> &'static [Table] {
    &TABLES
}

/// kubectl's table.
pub fn kubectl() -> &'static Table {
    &TABLES[0]
}

/// The table of the program run as `name` (`kubectl`, `k`, `etcdctl`...).
pub fn find(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.runs_as(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Arity, FlagDefault};

    #[test]
    fn every_committed_table_parses_with_its_commands() {
        let names: Vec<&str> = tables().iter().map(|t| t.program.as_str()).collect();
        assert_eq!(
            names,
            [
                "kubectl",
                "etcdctl",
                "etcdutl",
                "crictl",
                "kubeadm",
                "journalctl",
                "systemctl"
            ]
        );
        for (program, path) in [
            ("kubectl", "create deployment"),
            ("kubectl", "certificate approve"),
            ("etcdctl", "snapshot save"),
            ("etcdctl", "endpoint health"),
            ("etcdutl", "snapshot restore"),
            ("crictl", "ps"),
            ("kubeadm", "upgrade apply"),
            ("kubeadm", "certs renew all"),
            ("systemctl", "restart"),
        ] {
            let table = find(program).unwrap_or_else(|| panic!("no {program}"));
            assert!(table.command(path).is_some(), "{program} {path}");
            assert!(!table.version.is_empty(), "{program}");
        }
        assert!(find("k").is_some_and(|t| t.program == "kubectl"));
        assert!(find("ping").is_none());
    }

    #[test]
    fn the_kubectl_table_has_flags_defaults_hints_and_resources() {
        let table = kubectl();
        assert!(table.version.starts_with("v1."), "{}", table.version);
        let Some(get) = table.command("get") else {
            panic!("no get");
        };
        assert_eq!(
            table.long_flag(get, "watch").map(|f| f.arity),
            Some(Arity::Boolean)
        );
        assert_eq!(
            table.short_flag(get, 'o').map(|f| f.name.as_str()),
            Some("output")
        );
        assert_eq!(
            table.short_flag(get, 'n').map(|f| f.name.as_str()),
            Some("namespace")
        );
        let Some(expose) = table.command("expose") else {
            panic!("no expose");
        };
        assert_eq!(
            table
                .long_flag(expose, "protocol")
                .map(|f| f.default.clone()),
            Some(FlagDefault::Known("TCP".into()))
        );
        let Some(logs) = table.command("logs") else {
            panic!("no logs");
        };
        assert_eq!(
            table.long_flag(logs, "tail").map(|f| f.default.clone()),
            Some(FlagDefault::Unknown),
            "its default depends on --selector"
        );
        assert!(table.is_neutral(get, "kubeconfig") && !table.is_neutral(get, "as"));
        assert_eq!(table.value_kind("selector"), Some("selector"));
        assert_eq!(table.args_kind("exec"), Some("pods"));
        assert_eq!(
            table.resource("netpol").map(|r| r.group.as_str()),
            Some("networking.k8s.io")
        );
        assert_eq!(table.resource("po").map(|r| r.group.as_str()), Some(""));
    }

    #[test]
    fn etcdctl_reads_its_environment_and_crictl_splits_its_flags() {
        let Some(etcdctl) = find("etcdctl") else {
            panic!("no etcdctl");
        };
        assert_eq!(
            etcdctl.env_flag("ETCDCTL_CACERT").as_deref(),
            Some("cacert")
        );
        assert_eq!(etcdctl.env_flag("ETCDCTL_API").as_deref(), Some(""));
        let Some(crictl) = find("crictl") else {
            panic!("no crictl");
        };
        assert_eq!(crictl.style, crate::table::Style::Split);
        let Some(kubeadm) = find("kubeadm") else {
            panic!("no kubeadm");
        };
        let Some(apply) = kubeadm.command("upgrade apply") else {
            panic!("no upgrade apply");
        };
        assert_eq!(
            kubeadm.short_flag(apply, 'f').map(|f| f.name.as_str()),
            Some("force")
        );
        assert_eq!(kubeadm.args_kind("upgrade apply"), Some("version"));
    }
}
