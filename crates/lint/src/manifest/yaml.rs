//! YAML with positions: a source text cut out of a snippet (a fence or a heredoc body) with the
//! snippet byte offset of each of its characters, loaded with saphyr into a small tree whose
//! every node and key knows its offset, as the schema check reads it.

use std::ops::Range;

use coursebook_site::error::floor_char_boundary;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// Deeper trees are not Kubernetes objects; refusing them keeps every walk's recursion bounded.
const MAX_DEPTH: usize = 64;

/// YAML text cut out of a snippet, with where each character came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// The YAML as the parser reads it.
    pub text: String,
    /// Snippet byte offset of each character of `text`, plus one entry for its end.
    offsets: Vec<usize>,
}

impl Source {
    /// The whole of `code` (a YAML fence).
    pub(crate) fn whole(code: &str) -> Self {
        Source::from_lines(code, std::iter::once(0..code.len()))
    }

    /// The lines `ranges` of `code` (a heredoc body), joined with newlines.
    pub(crate) fn from_lines(code: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut text = String::new();
        let mut offsets = Vec::new();
        let mut end = 0;
        for (n, range) in ranges.into_iter().enumerate() {
            if n > 0 {
                // The joining newline stands for the newline that ended the previous line.
                text.push('\n');
                offsets.push(end);
            }
            let line = code.get(range.clone()).unwrap_or_default();
            for (i, ch) in line.char_indices() {
                text.push(ch);
                offsets.push(range.start + i);
            }
            end = range.start + line.len();
        }
        offsets.push(end);
        Source { text, offsets }
    }

    /// The snippet byte offset of byte `byte` of the text.
    pub(crate) fn offset_of_byte(&self, byte: usize) -> usize {
        let byte = floor_char_boundary(&self.text, byte);
        self.offset(self.text[..byte].chars().count())
    }

    /// The snippet byte offset of character `index` of the text.
    pub(crate) fn offset(&self, index: usize) -> usize {
        let last = self.offsets.len().saturating_sub(1);
        self.offsets.get(index.min(last)).copied().unwrap_or(0)
    }
}

/// A YAML value whose every node knows its snippet byte offset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Snippet byte offset of the node's first character.
    pub offset: usize,
    /// What it holds.
    pub value: NodeValue,
}

/// The kinds of YAML value, after tags and merge keys are resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true`, `false`, and YAML 1.1's `yes`/`no`/`on`/`off` as Kubernetes reads them.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<Entry>),
}

/// One key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key as text (Kubernetes' YAML reader turns every scalar key into a string).
    pub key: String,
    /// Snippet byte offset of the key.
    pub offset: usize,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The value of mapping key `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry of mapping key `key`.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|entry| entry.key == key),
            _ => None,
        }
    }

    /// The string, when the node is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(text) => Some(text),
            _ => None,
        }
    }

    /// A scalar as Kubernetes would print it in a label (`None` for collections and null).
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match &self.value {
            NodeValue::Str(text) => Some(text.clone()),
            NodeValue::Bool(value) => Some(value.to_string()),
            NodeValue::Int(value) => Some(value.to_string()),
            NodeValue::Float(value) => Some(value.to_string()),
            NodeValue::Null | NodeValue::Seq(_) | NodeValue::Map(_) => None,
        }
    }

    /// Whether the node is null or an empty collection (Kubernetes drops such fields).
    pub(crate) fn is_empty(&self) -> bool {
        match &self.value {
            NodeValue::Null => true,
            NodeValue::Seq(items) => items.is_empty(),
            NodeValue::Map(entries) => entries.is_empty(),
            _ => false,
        }
    }

    /// Whether any scalar in the node holds a shell expansion (`$VAR`, `$(cmd)`) or a
    /// `<placeholder>`, whose type only the reader can know.
    pub(crate) fn has_stand_in(&self) -> bool {
        match &self.value {
            NodeValue::Str(text) => is_stand_in(text),
            NodeValue::Seq(items) => items.iter().any(Node::has_stand_in),
            NodeValue::Map(entries) => entries.iter().any(|e| e.value.has_stand_in()),
            _ => false,
        }
    }
}

/// Whether a string stands in for a value the reader supplies: `$VAR`, `${VAR}`, `$(cmd)`,
/// or `<placeholder>`.
fn is_stand_in(text: &str) -> bool {
    text.contains('$') || (text.starts_with('<') && text.ends_with('>') && text.len() > 2)
}

/// YAML that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Snippet byte offset of the problem.
    pub offset: usize,
    /// The parser's message.
    pub message: String,
}

/// The documents of `source`: `Ok(None)` for a document that is empty or too deep to be a
/// Kubernetes object.
pub(crate) fn load(code: &str, source: &Source) -> Result<Vec<Option<Node>>, SyntaxError> {
    if too_deep(&source.text) {
        return Ok(Vec::new());
    }
    let documents = MarkedYaml::load_from_str(&source.text).map_err(|error| SyntaxError {
        offset: source.offset(error.marker().index()),
        message: error.info().to_owned(),
    })?;
    let reader = Reader { code, source };
    Ok(documents
        .iter()
        .map(|document| reader.node(document, 0))
        .collect())
}

/// Whether a line opens more nested block collections than any manifest does: saphyr builds
/// and drops its tree recursively, so this guards the stack against crafted input.
fn too_deep(text: &str) -> bool {
    text.lines().any(|line| {
        let rest = line.trim_start_matches([' ', '\t', '-', '?', ':', '[', '{']);
        line.len() - rest.len() > 400
    })
}

/// Converts saphyr nodes into [`Node`]s.
struct Reader<'a> {
    code: &'a str,
    source: &'a Source,
}

impl Reader<'_> {
    /// `yaml` as a [`Node`], `None` when it is empty, invalid or nested deeper than `MAX_DEPTH`.
    fn node(&self, yaml: &MarkedYaml<'_>, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let offset = self.source.offset(yaml.span.start.index());
        let value = match &yaml.data {
            YamlData::Value(scalar) => self.scalar(scalar, offset),
            YamlData::Representation(text, ..) => {
                self.scalar(&Scalar::parse_from_cow(text.clone()), offset)
            }
            YamlData::Sequence(items) => NodeValue::Seq(
                items
                    .iter()
                    .map(|item| self.node(item, depth + 1))
                    .collect::<Option<Vec<_>>>()?,
            ),
            YamlData::Mapping(mapping) => NodeValue::Map(self.mapping(mapping, depth)?),
            YamlData::Tagged(_, inner) => return self.node(inner, depth + 1),
            YamlData::Alias(_) | YamlData::BadValue => NodeValue::Null,
        };
        Some(Node { offset, value })
    }

    fn scalar(&self, scalar: &Scalar<'_>, offset: usize) -> NodeValue {
        match scalar {
            Scalar::Null => NodeValue::Null,
            Scalar::Boolean(value) => NodeValue::Bool(*value),
            Scalar::Integer(value) => NodeValue::Int(*value),
            Scalar::FloatingPoint(value) => NodeValue::Float(value.0),
            Scalar::String(text) => match yaml11_bool(text) {
                // Kubernetes reads YAML 1.1, where a plain `yes` or `off` is a boolean.
                Some(value) if self.is_plain(offset, text) => NodeValue::Bool(value),
                _ => NodeValue::Str(text.to_string()),
            },
        }
    }

    /// Whether the scalar at `offset` is written unquoted as `text`.
    fn is_plain(&self, offset: usize, text: &str) -> bool {
        self.code
            .get(offset..)
            .is_some_and(|rest| rest.starts_with(text))
    }

    /// A key as text: a string key as written (`y:` is not a boolean there), any other
    /// scalar as Kubernetes prints it, `None` for a collection.
    fn key_text(&self, key: &MarkedYaml<'_>, depth: usize) -> Option<String> {
        match &key.data {
            YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
            _ => self.node(key, depth + 1)?.scalar_text(),
        }
    }

    /// The entries of a mapping, with `<<` merge keys resolved (explicit keys win).
    fn mapping(
        &self,
        mapping: &saphyr::AnnotatedMapping<'_, MarkedYaml<'_>>,
        depth: usize,
    ) -> Option<Vec<Entry>> {
        let mut entries = Vec::new();
        let mut merged = Vec::new();
        for (key, value) in mapping {
            let value = self.node(value, depth + 1)?;
            let offset = self.source.offset(key.span.start.index());
            let Some(key) = self.key_text(key, depth) else {
                continue;
            };
            if key == "<<" {
                merged.push(value);
            } else {
                entries.push(Entry { key, offset, value });
            }
        }
        for node in merged {
            let maps = match node.value {
                NodeValue::Map(map) => vec![map],
                NodeValue::Seq(items) => items
                    .into_iter()
                    .filter_map(|item| match item.value {
                        NodeValue::Map(map) => Some(map),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for entry in maps.into_iter().flatten() {
                if entries.iter().all(|known| known.key != entry.key) {
                    entries.push(entry);
                }
            }
        }
        Some(entries)
    }
}

/// The YAML 1.1 boolean words that YAML 1.2 reads as strings.
fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_whole(code: &str) -> Result<Vec<Option<Node>>, SyntaxError> {
        load(code, &Source::whole(code))
    }

    #[test]
    fn offsets_follow_heredoc_lines() {
        let code = "cat <<-EOF\n\ta: 1\n\tb: [x\nEOF\n";
        let source = Source::from_lines(code, [12..16, 18..23]);
        assert_eq!(source.text, "a: 1\nb: [x");
        assert_eq!(source.offset(5), 18);
        assert_eq!(source.offset(4), 16, "the joining newline");
        assert_eq!(source.offset(99), 23);
        let error = load(code, &source).expect_err("unclosed flow sequence");
        assert!(error.offset >= 18, "{error:?}");
    }

    #[test]
    fn nodes_and_keys_carry_offsets() {
        let code = "a:\n  bb: 'on'\n  c: on\n";
        let docs = load_whole(code).expect("parses");
        let root = docs[0].as_ref().expect("document");
        let entry = root.get("a").and_then(|a| a.entry("bb")).expect("a.bb");
        assert_eq!((entry.offset, entry.value.offset), (5, 9));
        assert_eq!(entry.value.value, NodeValue::Str("on".into()));
        let c = root.get("a").and_then(|a| a.get("c")).expect("a.c");
        assert_eq!(
            c.value,
            NodeValue::Bool(true),
            "YAML 1.1 boolean, as Kubernetes reads it"
        );
    }

    #[test]
    fn merge_keys_and_aliases_resolve() {
        let code = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n";
        let docs = load_whole(code).expect("parses");
        let root = docs[0].as_ref().expect("document");
        let merged = root.get("use").expect("use");
        let value = |key: &str| merged.get(key).map(|n| n.value.clone());
        assert_eq!(value("x"), Some(NodeValue::Int(1)));
        assert_eq!(value("y"), Some(NodeValue::Int(3)), "the key written wins");
    }

    #[test]
    fn duplicate_keys_and_bad_indentation_are_syntax_errors() {
        assert!(load_whole("a: 1\na: 2\n").is_err());
        let error = load_whole("a:\n  b: 1\n c: 2\n").expect_err("bad indent");
        assert!(error.offset > 3, "{error:?}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let line = "- ".repeat(5000) + "x\n";
        assert_eq!(load_whole(&line), Ok(Vec::new()));
        let flow = "[".repeat(300);
        assert!(load_whole(&flow).is_err());
        let nested = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(load_whole(&nested), Ok(vec![None]));
    }
}
