//! The apiVersion/kind pairs Kubernetes serves (the schema table's, [`super::api`]), and what
//! to say about a pair it does not serve (a removed beta, a kind in the wrong group, a typo).

use std::sync::LazyLock;

pub(crate) use super::api::Kind;

/// Every kind of the schema table: the built-in kinds of the release the course teaches,
/// alpha and beta included.
static KINDS: LazyLock<&'static [Kind]> = LazyLock::new(|| super::api::API.kinds.as_slice());

/// Groups of configuration files that look like objects but are read by a component, not
/// served by the API: known, but not checked.
const CONFIG_GROUPS: &[&str] = &[
    "kubeadm.k8s.io",
    "kubelet.config.k8s.io",
    "kubeproxy.config.k8s.io",
    "kubescheduler.config.k8s.io",
    "kubecontrollermanager.config.k8s.io",
    "kind.x-k8s.io",
    "kustomize.config.k8s.io",
    "apiserver.config.k8s.io",
    "apiserver.k8s.io",
    "audit.k8s.io",
    "client.authentication.k8s.io",
    "credentialprovider.kubelet.k8s.io",
    "pod-security.admission.config.k8s.io",
    "eventratelimit.admission.k8s.io",
];

/// Core-group kinds that are files rather than API objects: a kubeconfig, a `kubectl get -o
/// yaml` list.
const CORE_FILE_KINDS: &[&str] = &["Config", "List"];

/// Kinds that Kubernetes removed without a successor kind, with what to use instead.
const REMOVED_KINDS: &[(&str, &str)] = &[(
    "PodSecurityPolicy",
    "PodSecurityPolicy was removed in Kubernetes 1.25: use Pod Security Admission (`pod-security.kubernetes.io/enforce` labels on the namespace)",
)];

/// Groups that are gone but whose kinds live on elsewhere.
const LEGACY_GROUPS: &[&str] = &["extensions"];

/// What the table says about an apiVersion/kind pair.
#[derive(Debug, Clone)]
pub(crate) enum Lookup {
    /// A served kind: check it.
    Known(&'static Kind),
    /// A component's configuration file or a list: fine, not checked.
    Unchecked,
    /// A group the table does not cover (a CRD's): not ours to judge.
    Foreign,
    /// A built-in group that does not serve this kind at this version.
    Unknown {
        /// What is wrong.
        message: String,
        /// What to write instead.
        help: String,
        /// Whether the kind is at fault (a typo) rather than the apiVersion.
        blame_kind: bool,
    },
}

/// Looks up `api_version` and `kind`.
pub(crate) fn lookup(api_version: &str, kind: &str) -> Lookup {
    if let Some(known) = KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
    {
        return Lookup::Known(known);
    }
    let group = group_of(api_version);
    if CONFIG_GROUPS.contains(&group)
        || (group.is_empty() && CORE_FILE_KINDS.contains(&kind))
        || is_list_of_known(group, kind)
    {
        return Lookup::Unchecked;
    }
    if !is_builtin_group(group) {
        return Lookup::Foreign;
    }
    let (message, help) = unknown(api_version, group, kind);
    let blame_kind = current_home(group, kind).is_none();
    Lookup::Unknown {
        message,
        help,
        blame_kind,
    }
}

/// The group of an apiVersion (`""` for the core group's `v1`).
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

fn is_builtin_group(group: &str) -> bool {
    LEGACY_GROUPS.contains(&group) || KINDS.iter().any(|k| k.group == group)
}

/// `DeploymentList` and the like, which `kubectl get -o yaml` prints.
fn is_list_of_known(group: &str, kind: &str) -> bool {
    kind.strip_suffix("List")
        .is_some_and(|item| KINDS.iter().any(|k| k.group == group && k.kind == item))
}

/// The message and help for a pair a built-in group does not serve.
fn unknown(api_version: &str, group: &str, kind: &str) -> (String, String) {
    if let Some((_, help)) = REMOVED_KINDS.iter().find(|(removed, _)| *removed == kind) {
        return (
            format!("`{kind}` is no longer served by Kubernetes"),
            (*help).to_owned(),
        );
    }
    if let Some(current) = current_home(group, kind) {
        return (
            format!("`{api_version}` does not serve `{kind}` (a removed or wrong API version)"),
            format!("use `apiVersion: {}`", current.api_version),
        );
    }
    if let Some(similar) = KINDS.iter().find(|k| k.kind.eq_ignore_ascii_case(kind)) {
        return (
            format!("unknown kind `{kind}` in `{api_version}`"),
            format!(
                "kinds are case-sensitive: `kind: {}` with `apiVersion: {}`",
                similar.kind, similar.api_version
            ),
        );
    }
    let served: Vec<&str> = KINDS
        .iter()
        .filter(|k| k.api_version == api_version)
        .map(|k| k.kind)
        .collect();
    let help = if LEGACY_GROUPS.contains(&group) {
        format!("the `{group}` API group was removed: its kinds moved to `apps/v1` and `networking.k8s.io/v1`")
    } else if served.is_empty() {
        format!("`{group}` is served as {}", versions_of(group).join(", "))
    } else {
        format!("`{api_version}` serves {}", served.join(", "))
    };
    (format!("unknown kind `{kind}` in `{api_version}`"), help)
}

/// Where `kind` is served today: its own group first, stable versions before betas.
fn current_home(group: &str, kind: &str) -> Option<&'static Kind> {
    let mut homes: Vec<&'static Kind> = KINDS.iter().filter(|k| k.kind == kind).collect();
    homes.sort_by_key(|k| (k.group != group, is_prerelease(&k.api_version)));
    homes.first().copied()
}

fn is_prerelease(api_version: &str) -> bool {
    api_version.contains("alpha") || api_version.contains("beta")
}

/// The apiVersions of `group`, in table order, without repeats.
fn versions_of(group: &str) -> Vec<String> {
    let mut versions: Vec<String> = Vec::new();
    for k in KINDS.iter().filter(|k| k.group == group) {
        let quoted = format!("`{}`", k.api_version);
        if !versions.contains(&quoted) {
            versions.push(quoted);
        }
    }
    versions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(api_version: &str, kind: &str) -> String {
        match lookup(api_version, kind) {
            Lookup::Unknown { help, .. } => help,
            other => panic!("{api_version} {kind}: {other:?}"),
        }
    }

    #[test]
    fn the_table_covers_the_common_kinds() {
        for (api_version, kind) in [
            ("v1", "Pod"),
            ("apps/v1", "Deployment"),
            ("batch/v1", "CronJob"),
            ("networking.k8s.io/v1", "Ingress"),
            ("policy/v1", "PodDisruptionBudget"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("coordination.k8s.io/v1", "Lease"),
            ("discovery.k8s.io/v1", "EndpointSlice"),
            ("node.k8s.io/v1", "RuntimeClass"),
            ("storage.k8s.io/v1", "CSIDriver"),
            ("scheduling.k8s.io/v1", "PriorityClass"),
        ] {
            assert!(
                matches!(lookup(api_version, kind), Lookup::Known(_)),
                "{kind}"
            );
        }
    }

    #[test]
    fn removed_versions_name_the_current_one() {
        assert_eq!(
            help("apps/v1beta1", "Deployment"),
            "use `apiVersion: apps/v1`"
        );
        assert_eq!(
            help("extensions/v1beta1", "Ingress"),
            "use `apiVersion: networking.k8s.io/v1`"
        );
        assert_eq!(help("v1", "Deployment"), "use `apiVersion: apps/v1`");
        assert_eq!(
            help("batch/v1beta1", "CronJob"),
            "use `apiVersion: batch/v1`"
        );
        assert!(help("policy/v1beta1", "PodSecurityPolicy").contains("Pod Security Admission"));
        assert!(help("apps/v1", "deployment").contains("kind: Deployment"));
        assert!(help("apps/v1", "Deploy").contains("serves"));
    }

    #[test]
    fn config_files_lists_and_crds_are_left_alone() {
        for (api_version, kind) in [
            ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration"),
            ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
            ("kind.x-k8s.io/v1alpha4", "Cluster"),
            ("kustomize.config.k8s.io/v1beta1", "Kustomization"),
            ("apiserver.config.k8s.io/v1", "EncryptionConfiguration"),
            ("audit.k8s.io/v1", "Policy"),
            ("v1", "Config"),
            ("v1", "List"),
        ] {
            assert!(
                matches!(lookup(api_version, kind), Lookup::Unchecked),
                "{kind}"
            );
        }
        assert!(
            matches!(lookup("apps/v1", "DeploymentList"), Lookup::Known(_)),
            "the schema table knows lists, so they are checked too"
        );
        assert!(matches!(
            lookup("cert-manager.io/v1", "Certificate"),
            Lookup::Foreign
        ));
    }
}
