//! Which resources a kubectl command names, creates or deletes: `TYPE NAME`, `TYPE/NAME`,
//! a pod name alone (`exec`, `logs`), `create deployment web`, and the `kind` and
//! `metadata.name` of manifests piped in from a here-document.

use crate::shell::Word;

use super::invocation::Invocation;

/// A resource: kind (singular, lower case), namespace (`""` for the current one), name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Resource {
    /// `pod`, `deployment`, `namespace`...
    pub kind: String,
    /// `""` for the current namespace; always `""` for a namespace itself.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

impl Resource {
    /// A resource of kind `kind` (any spelling kubectl accepts).
    pub(super) fn new(kind: &str, namespace: &str, name: &str) -> Self {
        let kind = canonical_kind(kind);
        let namespace = if kind == "namespace" || namespace == "default" {
            String::new()
        } else {
            namespace.to_owned()
        };
        Resource {
            kind,
            namespace,
            name: name.to_owned(),
        }
    }

    /// `pod test`, for messages.
    pub(super) fn display(&self) -> String {
        match self.namespace.as_str() {
            "" => format!("{} `{}`", self.kind, self.name),
            ns => format!("{} `{}` (namespace `{ns}`)", self.kind, self.name),
        }
    }
}

/// The singular resource name for a kind as typed: `po`, `pods`, `Pod`, `deployments.apps`,
/// read from the resource types of kubectl's table (`crates/commands`, which the command
/// grader reads too); a type the table does not know stays as typed.
pub(super) fn canonical_kind(kind: &str) -> String {
    let kind = kind.to_ascii_lowercase();
    let kind = kind.split('.').next().unwrap_or_default();
    let Some(resource) = coursebook_commands::builtin::kubectl().resource(kind) else {
        return kind.to_owned();
    };
    let plural = resource.plural.as_str();
    let is_singular = |name: &&String| {
        plural == format!("{name}s")
            || plural == format!("{name}es")
            || name
                .strip_suffix('y')
                .is_some_and(|stem| plural == format!("{stem}ies"))
    };
    resource
        .names
        .iter()
        .find(is_singular)
        .map_or_else(|| plural.to_owned(), String::clone)
}

/// What `kubectl create <sub>` creates.
fn created_kind(subcommand: &str) -> &str {
    match subcommand {
        "secret docker-registry" | "secret generic" | "secret tls" => "secret",
        sub if sub.starts_with("service ") => "service",
        "quota" => "resourcequota",
        sub => sub,
    }
}

/// The resources named by `args` in the `TYPE NAME...` or `TYPE/NAME...` forms.
pub(super) fn named<'w>(invocation: &Invocation<'w>) -> Vec<(Resource, &'w Word)> {
    let ns = invocation.namespace();
    let args = &invocation.args;
    let Some(first) = args.first() else {
        return Vec::new();
    };
    let first_value = first.value();
    if first_value.contains('/') {
        return args.iter().filter_map(|w| slash_form(w, &ns)).collect();
    }
    if first_value.contains(',') || !first.is_literal() {
        return Vec::new();
    }
    args[1..]
        .iter()
        .filter(|w| w.is_literal() && !w.value().contains(['/', ':', '=']))
        .map(|w| (Resource::new(&first_value, &ns, &w.value()), *w))
        .collect()
}

/// The pod named by the first argument of `exec`, `logs`, `attach`, `port-forward`: a name
/// alone is a pod, `TYPE/NAME` names that resource.
pub(super) fn target_pod<'w>(invocation: &Invocation<'w>) -> Option<(Resource, &'w Word)> {
    let ns = invocation.namespace();
    let word = *invocation.args.first()?;
    if !word.is_literal() {
        return None;
    }
    let value = word.value();
    if value.contains('/') {
        return slash_form(word, &ns);
    }
    Some((Resource::new("pod", &ns, &value), word))
}

/// The pod of a `kubectl cp` argument `[namespace/]pod:path`.
pub(super) fn copy_pods<'w>(invocation: &Invocation<'w>) -> Vec<(Resource, &'w Word)> {
    let ns = invocation.namespace();
    invocation
        .args
        .iter()
        .filter(|w| w.is_literal())
        .filter_map(|w| {
            let value = w.value();
            let (pod, _) = value.split_once(':')?;
            let (pod_ns, pod) = pod.rsplit_once('/').unwrap_or((&ns, pod));
            Some((Resource::new("pod", pod_ns, pod), *w))
        })
        .collect()
}

fn slash_form<'w>(word: &'w Word, ns: &str) -> Option<(Resource, &'w Word)> {
    if !word.is_literal() {
        return None;
    }
    let value = word.value();
    let (kind, name) = value.split_once('/')?;
    (!kind.is_empty() && !name.is_empty()).then(|| (Resource::new(kind, ns, name), word))
}

/// What `kubectl run`/`create <sub>`/`expose` creates by name (not `-f`).
pub(super) fn created(invocation: &Invocation<'_>) -> Vec<Resource> {
    let ns = invocation.namespace();
    let name_arg = || {
        invocation
            .args
            .first()
            .filter(|w| w.is_literal())
            .map(|w| w.value())
    };
    match invocation.verb() {
        "run" => name_arg()
            .map(|n| Resource::new("pod", &ns, &n))
            .into_iter()
            .collect(),
        "create" if invocation.spec.path != "create" => {
            let sub = invocation.spec.path.trim_start_matches("create ");
            let kind = created_kind(sub);
            name_arg()
                .map(|n| Resource::new(kind, &ns, &n))
                .into_iter()
                .collect()
        }
        "expose" => {
            let exposed = named(invocation).into_iter().next().map(|(r, _)| r.name);
            let name = invocation
                .flag("name")
                .and_then(|f| f.value.clone())
                .or(exposed);
            name.map(|n| Resource::new("service", &ns, &n))
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The resources of YAML manifests (`kind:` and `metadata.name:`, per `---` document).
pub(super) fn in_manifests(yaml: &str, namespace: &str) -> Vec<Resource> {
    yaml.split("\n---")
        .filter_map(|doc| {
            let kind = top_level(doc, "kind")?;
            let name = metadata(doc, "name")?;
            let ns = metadata(doc, "namespace").unwrap_or(namespace);
            Some(Resource::new(kind, ns, name))
        })
        .collect()
}

fn top_level<'a>(doc: &'a str, key: &str) -> Option<&'a str> {
    doc.lines().find_map(|line| value_of(line, key))
}

/// A key directly under `metadata:` (indented, before the next top-level key).
fn metadata<'a>(doc: &'a str, key: &str) -> Option<&'a str> {
    let block: Vec<&str> = doc
        .lines()
        .skip_while(|line| line.trim_end() != "metadata:")
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .take_while(|line| line.starts_with([' ', '\t']))
        .collect();
    let child_indent = indent(block.first()?);
    block
        .iter()
        .filter(|line| indent(line) == child_indent)
        .find_map(|line| value_of(line.trim_start(), key))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
    let value = value.trim_matches(['"', '\'']);
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_canonical() {
        assert_eq!(canonical_kind("po"), "pod");
        assert_eq!(canonical_kind("Deployments.apps"), "deployment");
        assert_eq!(canonical_kind("ns"), "namespace");
        assert_eq!(canonical_kind("ep"), "endpoints");
        assert_eq!(canonical_kind("netpol"), "networkpolicy");
        assert_eq!(canonical_kind("storageclasses"), "storageclass");
        assert_eq!(canonical_kind("widgets.example.com"), "widgets");
        assert_eq!(Resource::new("ns", "x", "a").namespace, "");
        assert_eq!(Resource::new("pod", "default", "a").namespace, "");
    }

    #[test]
    fn manifests_name_their_resources() {
        let yaml =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    name: x\n  name: web\nspec: {}\n\
                    ---\nkind: Namespace\nmetadata:\n  name: \"team\"\n---\nkind: List\n";
        assert_eq!(
            in_manifests(yaml, "ns1"),
            [
                Resource::new("pod", "ns1", "web"),
                Resource::new("namespace", "", "team")
            ]
        );
    }
}
