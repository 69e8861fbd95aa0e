//! `k8s-schema`: a manifest checked field by field against the API's schema table
//! ([`super::api`]): every unknown field (even one set to `[]` or null), every value of the
//! wrong type, every missing required field and every value a field does not allow is its own
//! finding, at its own line. A value the reader supplies (`$VAR`, `<placeholder>`) has no type
//! to check.

use super::api::{Def, Type, API};
use super::kinds::Kind;
use super::yaml::{Node, NodeValue};
use super::Finding;

/// How deep a manifest is followed; the API's objects nest a dozen levels at most.
const MAX_DEPTH: usize = 64;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Checks `document`, an object of `kind`.
pub(crate) fn check(document: &Node, kind: &Kind, out: &mut Vec<Finding>) {
    let mut walk = Walk {
        kind,
        out,
        path: Vec::new(),
    };
    walk.object(document, kind.def, document.offset..document.offset + 1);
}

/// A walk over one document, with the path to where it is.
struct Walk<'a> {
    kind: &'a Kind,
    out: &'a mut Vec<Finding>,
    path: Vec<PathStep>,
}

impl Walk<'_> {
    /// Checks `node` against the definition `def`; `at` is where to report a missing field
    /// (the key holding the object).
    fn object(&mut self, node: &Node, def: &str, at: std::ops::Range<usize>) {
        let Some(def) = API.def(def) else {
            return;
        };
        if let Some(alias) = &def.alias {
            return self.value(node, alias, &[], at);
        }
        let NodeValue::Map(entries) = &node.value else {
            return self.wrong_type(node, &Type::Object(""), at);
        };
        for entry in entries {
            if self.path.is_empty() && (entry.key == "apiVersion" || entry.key == "kind") {
                continue; // the kind table's own check
            }
            self.path.push(PathStep::Key(entry.key.clone()));
            let key_range = entry.offset..entry.offset + entry.key.len().max(1);
            match def.field(&entry.key) {
                Some(field) => self.value(&entry.value, &field.ty, &field.values, key_range),
                None if !def.open => self.unknown(key_range, &entry.key, def),
                None => {}
            }
            self.path.pop();
        }
        self.missing(node, def, at);
    }

    /// Checks `node` against `ty` and, for a string, the `allowed` values.
    fn value(&mut self, node: &Node, ty: &Type, allowed: &[&str], at: std::ops::Range<usize>) {
        if self.path.len() > MAX_DEPTH || matches!(node.value, NodeValue::Null) {
            return;
        }
        let scalar_stand_in =
            !matches!(node.value, NodeValue::Map(_) | NodeValue::Seq(_)) && node.has_stand_in();
        if scalar_stand_in {
            return;
        }
        if let Type::Object(name) = ty {
            if let Some(alias) = API.def(name).and_then(|def| def.alias.as_ref()) {
                return self.value(node, alias, allowed, at);
            }
        }
        let fits = match (ty, &node.value) {
            (Type::Any, _) => true,
            (Type::String, NodeValue::Str(text)) => {
                if !allowed.is_empty() && !allowed.contains(&text.as_str()) {
                    self.not_allowed(node, text, allowed);
                }
                true
            }
            (Type::Integer, NodeValue::Int(_))
            | (Type::Number, NodeValue::Int(_) | NodeValue::Float(_))
            | (Type::Boolean, NodeValue::Bool(_))
            | (Type::IntOrString, NodeValue::Int(_) | NodeValue::Str(_))
            | (Type::Quantity, NodeValue::Str(_) | NodeValue::Int(_) | NodeValue::Float(_)) => true,
            (Type::Object(def), NodeValue::Map(_)) => {
                self.object(node, def, at.clone());
                true
            }
            (Type::List(item), NodeValue::Seq(items)) => {
                for (index, element) in items.iter().enumerate() {
                    self.path.push(PathStep::Index(index));
                    let range = element.offset..element.offset + 1;
                    self.value(element, item, &[], range);
                    self.path.pop();
                }
                true
            }
            (Type::Map(value), NodeValue::Map(entries)) => {
                for entry in entries {
                    self.path.push(PathStep::Key(entry.key.clone()));
                    let range = entry.offset..entry.offset + entry.key.len().max(1);
                    self.value(&entry.value, value, &[], range);
                    self.path.pop();
                }
                true
            }
            _ => false,
        };
        if !fits {
            self.wrong_type(node, ty, at);
        }
    }

    fn here(&self) -> String {
        display_path(&self.path)
    }

    fn of_kind(&self) -> String {
        format!("{} ({})", self.kind.kind, self.kind.api_version)
    }

    fn unknown(&mut self, range: std::ops::Range<usize>, key: &str, def: &Def) {
        let explain = std::iter::once(self.kind.kind.to_ascii_lowercase())
            .chain(
                self.path[..self.path.len() - 1]
                    .iter()
                    .filter_map(|step| match step {
                        PathStep::Key(key) => Some(key.clone()),
                        PathStep::Index(_) => None,
                    }),
            )
            .collect::<Vec<_>>()
            .join(".");
        let similar = def
            .fields
            .iter()
            .map(|f| f.name)
            .filter(|name| edit_distance(name, key) <= 2 || name.eq_ignore_ascii_case(key))
            .min_by_key(|name| edit_distance(name, key));
        let help = match similar {
            Some(name) => {
                format!("did you mean `{name}`? (`kubectl explain {explain}` lists the fields)")
            }
            None => format!(
                "check the spelling and nesting: `kubectl explain {explain}` lists its fields"
            ),
        };
        let message = format!("unknown field `{}` in {}", self.here(), self.of_kind());
        self.out.push(Finding::schema(range, message, Some(help)));
    }

    fn missing(&mut self, node: &Node, def: &Def, at: std::ops::Range<usize>) {
        let NodeValue::Map(entries) = &node.value else {
            return;
        };
        for field in def.fields.iter().filter(|f| f.required) {
            if entries.iter().any(|e| e.key == field.name) {
                continue;
            }
            let mut path = self.path.clone();
            path.push(PathStep::Key(field.name.to_owned()));
            let message = format!(
                "missing required field `{}` in {}",
                display_path(&path),
                self.of_kind()
            );
            let help = format!("the API refuses the object without `{}`", field.name);
            self.out
                .push(Finding::schema(at.clone(), message, Some(help)));
        }
    }

    fn not_allowed(&mut self, node: &Node, text: &str, allowed: &[&str]) {
        let range = node.offset..node.offset + text.len().max(1);
        let message = format!("`{text}` is not a value of `{}`", self.here());
        let similar = allowed.iter().find(|v| v.eq_ignore_ascii_case(text));
        let help = match similar {
            Some(value) => format!("values are case-sensitive: write `{value}`"),
            None => format!("it takes one of {}", allowed.join(", ")),
        };
        self.out.push(Finding::schema(range, message, Some(help)));
    }

    fn wrong_type(&mut self, node: &Node, ty: &Type, at: std::ops::Range<usize>) {
        let found = match &node.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "true or false",
            NodeValue::Int(_) => "a whole number",
            NodeValue::Float(_) => "a number",
            NodeValue::Str(_) => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "an object",
        };
        let range = match &node.value {
            NodeValue::Map(_) | NodeValue::Seq(_) => at,
            _ => node.offset..node.offset + node.scalar_text().map_or(1, |t| t.len().max(1)),
        };
        let message = format!(
            "wrong type at `{}`: expected {}, found {found}",
            self.here(),
            ty.describe()
        );
        self.out
            .push(Finding::schema(range, message, type_help(ty, node)));
    }
}

/// A hint for the usual slips: a quoted number, an unquoted number where text belongs.
fn type_help(ty: &Type, node: &Node) -> Option<String> {
    match (ty, &node.value) {
        (Type::String, NodeValue::Int(_) | NodeValue::Float(_) | NodeValue::Bool(_)) => Some(
            "this field is a string: quote the value (`\"...\"`); YAML reads `8080`, `true` and `yes` as other types".to_owned(),
        ),
        (Type::Integer | Type::Number | Type::Boolean, NodeValue::Str(text))
            if text.parse::<f64>().is_ok() || text == "true" || text == "false" =>
        {
            Some("this field is not a string: write the value without quotes".to_owned())
        }
        (Type::List(_), NodeValue::Map(_) | NodeValue::Str(_)) => {
            Some("a list's items start with `- `".to_owned())
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

/// The Levenshtein distance of two short names (field names: tens of bytes).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("containers", "containerz"), 1);
        assert_eq!(edit_distance("replicas", "replica"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
