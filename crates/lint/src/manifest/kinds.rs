//! The apiVersion/kind pairs Kubernetes serves, each with its k8s-openapi type, and what to say
//! about a pair it does not serve (a removed beta, a kind in the wrong group, a typo).

use k8s_openapi::serde::de::DeserializeOwned;
use k8s_openapi::serde::Serialize;
use k8s_openapi::Resource;
use serde_json::Value;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A value of the wrong type, found while reading a manifest into its typed resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TypeError {
    /// Where, from the document root.
    pub path: Vec<PathStep>,
    /// What serde says (`invalid type: string "3", expected i32`).
    pub message: String,
}

/// Reads a manifest into a typed resource and writes it back: unknown fields are what is gone.
pub(crate) type Roundtrip = fn(Value) -> Result<Value, TypeError>;

/// A kind Kubernetes serves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    /// `apps/v1`.
    pub api_version: &'static str,
    /// `apps` (`""` for the core group).
    pub group: &'static str,
    /// `Deployment`.
    pub kind: &'static str,
    /// Its k8s-openapi round trip.
    pub roundtrip: Roundtrip,
}

const fn kind<T: Resource + DeserializeOwned + Serialize>() -> Kind {
    Kind {
        api_version: T::API_VERSION,
        group: T::GROUP,
        kind: T::KIND,
        roundtrip: roundtrip::<T>,
    }
}

fn roundtrip<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, TypeError> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|error| TypeError {
        path: error.path().iter().map_while(step).collect(),
        message: error.inner().to_string(),
    })?;
    serde_json::to_value(&typed).map_err(|error| TypeError {
        path: Vec::new(),
        message: error.to_string(),
    })
}

fn step(segment: &serde_path_to_error::Segment) -> Option<PathStep> {
    match segment {
        serde_path_to_error::Segment::Map { key } => Some(PathStep::Key(key.clone())),
        serde_path_to_error::Segment::Seq { index } => Some(PathStep::Index(*index)),
        _ => None,
    }
}

macro_rules! kinds {
    ($($ty:ty),* $(,)?) => { &[$(kind::<$ty>()),*] };
}

/// Every built-in kind of Kubernetes 1.37 (k8s-openapi's `latest`), alpha and beta included.
pub(crate) static KINDS: &[Kind] = {
    use k8s_openapi::api::*;
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions;
    use k8s_openapi::kube_aggregator::pkg::apis::apiregistration;
    kinds![
        admissionregistration::v1::MutatingAdmissionPolicy,
        admissionregistration::v1::MutatingAdmissionPolicyBinding,
        admissionregistration::v1::MutatingWebhookConfiguration,
        admissionregistration::v1::ValidatingAdmissionPolicy,
        admissionregistration::v1::ValidatingAdmissionPolicyBinding,
        admissionregistration::v1::ValidatingWebhookConfiguration,
        admissionregistration::v1alpha1::MutatingAdmissionPolicy,
        admissionregistration::v1alpha1::MutatingAdmissionPolicyBinding,
        admissionregistration::v1beta1::MutatingAdmissionPolicy,
        admissionregistration::v1beta1::MutatingAdmissionPolicyBinding,
        apiserverinternal::v1alpha1::StorageVersion,
        apps::v1::ControllerRevision,
        apps::v1::DaemonSet,
        apps::v1::Deployment,
        apps::v1::ReplicaSet,
        apps::v1::StatefulSet,
        authentication::v1::SelfSubjectReview,
        authentication::v1::TokenRequest,
        authentication::v1::TokenReview,
        authorization::v1::LocalSubjectAccessReview,
        authorization::v1::SelfSubjectAccessReview,
        authorization::v1::SelfSubjectRulesReview,
        authorization::v1::SubjectAccessReview,
        autoscaling::v1::HorizontalPodAutoscaler,
        autoscaling::v1::Scale,
        autoscaling::v2::HorizontalPodAutoscaler,
        batch::v1::CronJob,
        batch::v1::Job,
        certificates::v1::CertificateSigningRequest,
        certificates::v1::ClusterTrustBundle,
        certificates::v1::PodCertificateRequest,
        certificates::v1beta1::ClusterTrustBundle,
        certificates::v1beta1::PodCertificateRequest,
        coordination::v1::Lease,
        coordination::v1alpha2::LeaseCandidate,
        coordination::v1beta1::LeaseCandidate,
        core::v1::Binding,
        core::v1::ComponentStatus,
        core::v1::ConfigMap,
        core::v1::Endpoints,
        core::v1::Event,
        core::v1::LimitRange,
        core::v1::Namespace,
        core::v1::Node,
        core::v1::PersistentVolume,
        core::v1::PersistentVolumeClaim,
        core::v1::Pod,
        core::v1::PodTemplate,
        core::v1::ReplicationController,
        core::v1::ResourceQuota,
        core::v1::Secret,
        core::v1::Service,
        core::v1::ServiceAccount,
        discovery::v1::EndpointSlice,
        events::v1::Event,
        flowcontrol::v1::FlowSchema,
        flowcontrol::v1::PriorityLevelConfiguration,
        lifecycle::v1alpha1::Eviction,
        lifecycle::v1alpha1::EvictionRequest,
        networking::v1::Ingress,
        networking::v1::IngressClass,
        networking::v1::IPAddress,
        networking::v1::NetworkPolicy,
        networking::v1::ServiceCIDR,
        node::v1::RuntimeClass,
        policy::v1::Eviction,
        policy::v1::PodDisruptionBudget,
        rbac::v1::ClusterRole,
        rbac::v1::ClusterRoleBinding,
        rbac::v1::Role,
        rbac::v1::RoleBinding,
        resource::v1::DeviceClass,
        resource::v1::DeviceTaintRule,
        resource::v1::ResourceClaim,
        resource::v1::ResourceClaimTemplate,
        resource::v1::ResourceSlice,
        resource::v1alpha3::DeviceTaintRule,
        resource::v1alpha3::ResourcePoolStatusRequest,
        resource::v1beta1::DeviceClass,
        resource::v1beta1::ResourceClaim,
        resource::v1beta1::ResourceClaimTemplate,
        resource::v1beta1::ResourceSlice,
        resource::v1beta2::DeviceClass,
        resource::v1beta2::DeviceTaintRule,
        resource::v1beta2::ResourceClaim,
        resource::v1beta2::ResourceClaimTemplate,
        resource::v1beta2::ResourceSlice,
        scheduling::v1::PriorityClass,
        scheduling::v1alpha3::CompositePodGroup,
        scheduling::v1alpha3::PodGroup,
        scheduling::v1alpha3::Workload,
        scheduling::v1beta1::PodGroup,
        scheduling::v1beta1::Workload,
        storage::v1::CSIDriver,
        storage::v1::CSINode,
        storage::v1::CSIStorageCapacity,
        storage::v1::StorageClass,
        storage::v1::VolumeAttachment,
        storage::v1::VolumeAttributesClass,
        storagemigration::v1::StorageVersionMigration,
        storagemigration::v1beta1::StorageVersionMigration,
        apiextensions::v1::CustomResourceDefinition,
        apiregistration::v1::APIService,
    ]
};

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
    homes.sort_by_key(|k| (k.group != group, is_prerelease(k.api_version)));
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
            ("apps/v1", "DeploymentList"),
        ] {
            assert!(
                matches!(lookup(api_version, kind), Lookup::Unchecked),
                "{kind}"
            );
        }
        assert!(matches!(
            lookup("cert-manager.io/v1", "Certificate"),
            Lookup::Foreign
        ));
    }
}
