//! `k8s-schema`: a manifest read into its k8s-openapi type. A value of the wrong type fails the
//! read (serde_path_to_error says where); a field the type does not know is dropped by it, so
//! writing the typed value back and diffing the keys with the document finds unknown fields.

use serde_json::Value;

use super::kinds::{Kind, PathStep, TypeError};
use super::yaml::{Node, NodeValue};
use super::Finding;

/// How many stand-in values (`$VAR`, `<placeholder>`) one document may set aside before the
/// check gives up on it.
const MAX_STAND_INS: usize = 32;

/// Checks `document`, an object of `kind`.
pub(crate) fn check(document: &Node, kind: &Kind, out: &mut Vec<Finding>) {
    let mut json = document.to_json();
    let mut set_aside: Vec<Vec<PathStep>> = Vec::new();
    while set_aside.len() <= MAX_STAND_INS {
        match (kind.roundtrip)(json.clone()) {
            Ok(written) => {
                let mut diff = Diff {
                    kind,
                    set_aside: &set_aside,
                    out,
                };
                diff.node(document, &written, &mut Vec::new());
                return;
            }
            Err(error) => {
                let Some(target) = find(document, &error.path) else {
                    return;
                };
                // A `$VAR` or `<placeholder>` has whatever type the reader will give it.
                if !target.node.has_stand_in() {
                    out.push(type_finding(&error, &target));
                    return;
                }
                if !remove(&mut json, &error.path) {
                    return;
                }
                set_aside.push(error.path);
            }
        }
    }
}

/// A node found by path, with the mapping entry that holds it (if its last step is a key).
struct Target<'a> {
    node: &'a Node,
    key: Option<(&'a str, usize)>,
}

/// The node at `path`.
fn find<'a>(document: &'a Node, path: &[PathStep]) -> Option<Target<'a>> {
    let mut target = Target {
        node: document,
        key: None,
    };
    for step in path {
        target = match (step, &target.node.value) {
            (PathStep::Key(key), NodeValue::Map(entries)) => {
                let entry = entries.iter().find(|entry| &entry.key == key)?;
                Target {
                    node: &entry.value,
                    key: Some((&entry.key, entry.offset)),
                }
            }
            (PathStep::Index(index), NodeValue::Seq(items)) => Target {
                node: items.get(*index)?,
                key: None,
            },
            _ => return None,
        };
    }
    Some(target)
}

/// Removes the mapping key at `path` from `json`; `false` when the path does not end in a key.
fn remove(json: &mut Value, path: &[PathStep]) -> bool {
    let Some((PathStep::Key(last), parents)) = path.split_last() else {
        return false;
    };
    let mut parent = json;
    for step in parents {
        let next = match step {
            PathStep::Key(key) => parent.get_mut(key.as_str()),
            PathStep::Index(index) => parent.get_mut(*index),
        };
        let Some(next) = next else {
            return false;
        };
        parent = next;
    }
    parent
        .as_object_mut()
        .is_some_and(|object| object.remove(last).is_some())
}

fn type_finding(error: &TypeError, target: &Target<'_>) -> Finding {
    let range = match target.key {
        Some((key, offset)) => offset..offset + key.len(),
        None => target.node.offset..target.node.offset + 1,
    };
    let path = display_path(&error.path);
    let message = if path.is_empty() {
        format!("the manifest does not match its schema: {}", error.message)
    } else {
        format!("wrong type at `{path}`: {}", error.message)
    };
    Finding::schema(range, message, type_help(&error.message, target.node))
}

/// A hint for the usual slips: a quoted number, an unquoted number where text belongs.
fn type_help(message: &str, node: &Node) -> Option<String> {
    let wants_text = message.contains("expected a string") || message.contains("expected String");
    match &node.value {
        NodeValue::Int(_) | NodeValue::Float(_) | NodeValue::Bool(_) if wants_text => Some(
            "this field is a string: quote the value (`\"...\"`); YAML reads `8080`, `true` and `yes` as other types".to_owned(),
        ),
        NodeValue::Str(text) if text.parse::<f64>().is_ok() || text == "true" || text == "false" => {
            Some("this field is not a string: write the value without quotes".to_owned())
        }
        _ => None,
    }
}

/// `spec.template.spec.containers[0].image`.
pub(crate) fn display_path(path: &[PathStep]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            PathStep::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            PathStep::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// Walks the document and its written-back form side by side.
struct Diff<'a> {
    kind: &'a Kind,
    set_aside: &'a [Vec<PathStep>],
    out: &'a mut Vec<Finding>,
}

impl Diff<'_> {
    fn node(&mut self, node: &Node, written: &Value, path: &mut Vec<PathStep>) {
        match (&node.value, written) {
            (NodeValue::Map(entries), Value::Object(object)) => {
                for entry in entries {
                    path.push(PathStep::Key(entry.key.clone()));
                    match object.get(&entry.key) {
                        Some(value) => self.node(&entry.value, value, path),
                        // Kubernetes drops null and empty fields it does not know, too.
                        None if entry.value.is_empty() || self.set_aside.contains(path) => {}
                        None => self.unknown(entry.offset, &entry.key, path),
                    }
                    path.pop();
                }
            }
            (NodeValue::Seq(items), Value::Array(written_items)) => {
                for (index, (item, value)) in items.iter().zip(written_items).enumerate() {
                    path.push(PathStep::Index(index));
                    self.node(item, value, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn unknown(&mut self, offset: usize, key: &str, path: &[PathStep]) {
        let parent: Vec<&str> = path[..path.len().saturating_sub(1)]
            .iter()
            .filter_map(|step| match step {
                PathStep::Key(key) => Some(key.as_str()),
                PathStep::Index(_) => None,
            })
            .collect();
        let explain = std::iter::once(self.kind.kind.to_ascii_lowercase())
            .chain(parent.iter().map(|key| (*key).to_owned()))
            .collect::<Vec<_>>()
            .join(".");
        self.out.push(Finding::schema(
            offset..offset + key.len(),
            format!(
                "unknown field `{}` in {} ({})",
                display_path(path),
                self.kind.kind,
                self.kind.api_version
            ),
            Some(format!(
                "check the spelling and nesting: `kubectl explain {explain}` lists its fields"
            )),
        ));
    }
}
