//! `k8s-selector-mismatch`: a workload whose `spec.selector` does not select the pods its own
//! template creates (the API server rejects it, or the controller never sees its pods). A
//! Service's selector is not a workload selector and is left alone.

use super::kinds::Kind;
use super::yaml::{Entry, Node, NodeValue};
use super::Finding;

/// Checks the selector of a workload `document` of `kind`.
pub(crate) fn check(document: &Node, kind: &Kind, out: &mut Vec<Finding>) {
    let Some(spec) = document.entry("spec") else {
        return;
    };
    match (kind.group, kind.kind) {
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet") => {
            workload(spec, kind.kind, true, out);
        }
        ("batch", "Job") => workload(spec, kind.kind, false, out),
        ("batch", "CronJob") => {
            if let Some(job) = spec.value.get("jobTemplate").and_then(|t| t.entry("spec")) {
                workload(job, "Job", false, out);
            }
        }
        ("", "ReplicationController") => replication_controller(spec, out),
        _ => {}
    }
}

/// A `spec` with a `template` and a `LabelSelector`; `required` when the API demands one.
fn workload(spec: &Entry, kind: &str, required: bool, out: &mut Vec<Finding>) {
    let Some(template) = spec.value.get("template") else {
        return;
    };
    let labels = template.get("metadata").and_then(|m| m.get("labels"));
    let Some(selector) = spec.value.entry("selector") else {
        if required {
            out.push(missing_selector(spec, kind, labels));
        }
        return;
    };
    if selector.value.has_stand_in() {
        return;
    }
    let match_labels = selector.value.entry("matchLabels");
    let expressions = selector.value.get("matchExpressions");
    if required && match_labels.is_none_or(|m| m.value.is_empty()) && expressions.is_none() {
        out.push(Finding::selector(
            selector.offset..selector.offset + selector.key.len(),
            format!("the {kind}'s `spec.selector` is empty; the API server rejects it"),
            Some(suggestion(labels)),
        ));
        return;
    }
    if let Some(NodeValue::Map(entries)) = match_labels.map(|m| &m.value.value) {
        for entry in entries {
            match_label(entry, labels, kind, out);
        }
    }
    if let Some(NodeValue::Seq(items)) = expressions.map(|e| &e.value) {
        for item in items {
            expression(item, labels, kind, out);
        }
    }
}

/// A ReplicationController's `spec.selector` is a plain label map (and defaults to the
/// template's labels when absent).
fn replication_controller(spec: &Entry, out: &mut Vec<Finding>) {
    let labels = spec
        .value
        .get("template")
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("labels"));
    if let Some(NodeValue::Map(entries)) = spec.value.get("selector").map(|s| &s.value) {
        for entry in entries {
            match_label(entry, labels, "ReplicationController", out);
        }
    }
}

/// The template's value of label `key`.
fn label<'a>(labels: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    labels.and_then(|labels| labels.get(key))
}

fn match_label(entry: &Entry, labels: Option<&Node>, kind: &str, out: &mut Vec<Finding>) {
    let Some(wanted) = entry.value.scalar_text() else {
        return;
    };
    let actual = label(labels, &entry.key);
    if actual.is_some_and(Node::has_stand_in) {
        return;
    }
    let actual = actual.and_then(Node::scalar_text);
    if actual.as_deref() == Some(wanted.as_str()) {
        return;
    }
    let help = match actual {
        Some(actual) => format!(
            "the template has `{}: {actual}`: make the selector and `spec.template.metadata.labels` agree",
            entry.key
        ),
        None => format!(
            "add `{}: {wanted}` to `spec.template.metadata.labels`",
            entry.key
        ),
    };
    out.push(Finding::selector(
        entry.offset..entry.offset + entry.key.len(),
        format!(
            "the {kind}'s selector `{}: {wanted}` does not match its pod template's labels",
            entry.key
        ),
        Some(help),
    ));
}

/// One `matchExpressions` item; items that are not plain (missing parts) are skipped.
fn expression(item: &Node, labels: Option<&Node>, kind: &str, out: &mut Vec<Finding>) {
    let (Some(key), Some(operator)) = (
        item.get("key").and_then(Node::as_str),
        item.get("operator").and_then(Node::as_str),
    ) else {
        return;
    };
    let values: Vec<String> = match item.get("values").map(|v| &v.value) {
        Some(NodeValue::Seq(values)) => values.iter().filter_map(Node::scalar_text).collect(),
        _ => Vec::new(),
    };
    let actual = label(labels, key).and_then(Node::scalar_text);
    let matches = match operator {
        "In" => actual.is_some_and(|a| values.contains(&a)),
        "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
        "Exists" => actual.is_some(),
        "DoesNotExist" => actual.is_none(),
        _ => true,
    };
    if !matches {
        let offset = item.entry("key").map_or(item.offset, |e| e.offset);
        out.push(Finding::selector(
            offset..offset + 3,
            format!(
                "the {kind}'s selector `{key} {operator}` does not match its pod template's labels"
            ),
            Some(
                "make `spec.selector.matchExpressions` select `spec.template.metadata.labels`"
                    .to_owned(),
            ),
        ));
    }
}

fn missing_selector(spec: &Entry, kind: &str, labels: Option<&Node>) -> Finding {
    Finding::selector(
        spec.offset..spec.offset + spec.key.len(),
        format!(
            "the {kind} has no `spec.selector`; apps/v1 requires one that matches the pod template"
        ),
        Some(suggestion(labels)),
    )
}

/// `add selector: {matchLabels: {app: web}}`, built from the template's labels.
fn suggestion(labels: Option<&Node>) -> String {
    let pairs: Vec<String> = match labels.map(|l| &l.value) {
        Some(NodeValue::Map(entries)) => entries
            .iter()
            .filter_map(|e| e.value.scalar_text().map(|v| format!("{}: {v}", e.key)))
            .collect(),
        _ => Vec::new(),
    };
    if pairs.is_empty() {
        "give the pod template labels and select them with `spec.selector.matchLabels`".to_owned()
    } else {
        format!(
            "add `selector: {{matchLabels: {{{}}}}}` under `spec`",
            pairs.join(", ")
        )
    }
}
