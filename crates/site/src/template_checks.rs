//! What keeps tera's recursive parser and renderer on the stack: the templates a template
//! pulls in (`include`, `extends`, `import`) and the cycles among them (tera would follow an
//! include that leads back to itself until the stack overflows), a limit on how deeply tags
//! and brackets nest, and a depth guard at the start of every macro, the one way templates
//! recurse at render time.

use std::collections::BTreeMap;

use crate::error::{Error, Location, Position, Result};

/// One reference from a template to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    /// The template named.
    pub target: String,
    /// Where the tag is.
    pub position: Position,
}

/// The templates `source` names in its `include`, `extends` and `import` tags.
pub fn references(source: &str) -> Vec<TemplateRef> {
    let mut refs = Vec::new();
    for (start, tag) in tags(source) {
        let keyword = keyword(tag);
        if matches!(keyword, "include" | "extends" | "import") {
            let position = Position::of_offset(source, start);
            let arguments = &tag[tag.find(keyword).unwrap_or(0) + keyword.len()..];
            refs.extend(quoted(arguments).map(|target| TemplateRef { target, position }));
        }
    }
    refs
}

/// The string literals of a tag's arguments (tera quotes with `"`, `'` or a backtick); only
/// those before `as` (an import's namespace) or `ignore missing` are template names.
fn quoted(arguments: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = arguments.char_indices();
    std::iter::from_fn(move || loop {
        let (start, quote) = chars.next()?;
        if matches!(quote, '"' | '\'' | '`') {
            let text = &arguments[start + 1..];
            let end = text.find(quote)?;
            for _ in 0..text[..end].chars().count() + 1 {
                chars.next();
            }
            return Some(text[..end].to_owned());
        }
        if arguments[start..].starts_with(" as ") {
            return None;
        }
    })
}

/// How deeply blocks (`if`, `for`, `block`, `macro`, `filter`) and brackets may nest: far
/// beyond any real theme, far below what overflows tera's parser.
pub const MAX_NESTING: usize = 48;

/// The name of the function [`guard_macros`] calls at the start of every macro.
pub const DEPTH_GUARD: &str = "__coursebook_depth_guard";

/// The first place where `source` nests blocks or brackets deeper than [`MAX_NESTING`].
pub fn too_deep(source: &str) -> Option<Position> {
    let mut blocks = 0usize;
    for (start, tag) in tags(source) {
        let keyword = keyword(tag);
        if matches!(keyword, "if" | "for" | "block" | "macro" | "filter") {
            blocks += 1;
        } else if keyword.starts_with("end") {
            blocks = blocks.saturating_sub(1);
        }
        if blocks > MAX_NESTING || bracket_depth(tag) > MAX_NESTING {
            return Some(Position::of_offset(source, start));
        }
    }
    delimited(source, "{{", "}}")
        .find(|(_, expression)| bracket_depth(expression) > MAX_NESTING)
        .map(|(start, _)| Position::of_offset(source, start))
}

/// How deeply brackets nest in `tag`, outside string literals.
fn bracket_depth(tag: &str) -> usize {
    let mut brackets = 0usize;
    let mut quote = None;
    let mut deepest = 0;
    for c in tag.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                brackets += 1;
                deepest = deepest.max(brackets);
            }
            (None, ')' | ']' | '}') => brackets = brackets.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// `source` with a call of [`DEPTH_GUARD`] right after each `{% macro … %}` tag, on the same
/// line (line numbers in errors stay right) and trimming what the tag trimmed.
pub fn guard_macros(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (start, tag) in tags(source) {
        if keyword(tag) != "macro" {
            continue;
        }
        // `tags` yields the text between `{%` and `%}`: the tag ends 2 bytes after it.
        let end = start + 2 + tag.len() + 2;
        out.push_str(&source[copied..end]);
        let trim = if tag.ends_with('-') { "-" } else { "" };
        out.push_str(&format!("{{{{ {DEPTH_GUARD}() {trim}}}}}"));
        copied = end;
    }
    out.push_str(&source[copied..]);
    out
}

/// Each `{% … %}` tag of `source`: its byte offset and the text between the delimiters.
fn tags(source: &str) -> impl Iterator<Item = (usize, &str)> {
    delimited(source, "{%", "%}")
}

/// Each stretch of `source` between `open` and `close` (both two bytes long): its byte offset
/// and the text between them.
fn delimited<'a>(
    source: &'a str,
    open: &'static str,
    close: &'static str,
) -> impl Iterator<Item = (usize, &'a str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + source[from..].find(open)?;
        let inner_start = start + 2;
        let end = inner_start + source[inner_start..].find(close)?;
        from = end + 2;
        Some((start, &source[inner_start..end]))
    })
}

/// A tag's first word (`if`, `endfor`…), whitespace-control marks skipped.
fn keyword(tag: &str) -> &str {
    let body = tag.trim_start_matches(['-', '+']).trim_start();
    let len = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(body.len());
    &body[..len]
}

/// Refuses templates that would take tera's parser or renderer off the end of the stack:
/// includes in a cycle, blocks or brackets nested past [`MAX_NESTING`].
pub(crate) fn check_recursion(
    texts: &BTreeMap<String, String>,
    sources: &BTreeMap<String, std::path::PathBuf>,
) -> Result<()> {
    let path = |name: &str| sources.get(name).cloned().unwrap_or_default();
    for (name, text) in texts {
        if let Some(position) = too_deep(text) {
            return Err(Error::Template {
                location: Location::at(path(name), position),
                message: format!("tags or brackets nest more than {} deep", MAX_NESTING),
            });
        }
    }
    let references = (texts.iter())
        .map(|(name, text)| (name.clone(), references(text)))
        .collect();
    match find_cycle(&references) {
        Some(cycle) => Err(Error::Template {
            location: Location::at(path(&cycle.template), cycle.closing.position),
            message: format!(
                "templates include each other without end: {}",
                cycle.path.join(" → ")
            ),
        }),
        None => Ok(()),
    }
}

/// Stack kept free below a macro call: room for one more macro body to render and fail.
const STACK_RESERVE: usize = 512 * 1024;

/// Called at the start of every macro (see [`guard_macros`]): a macro that
/// calls itself without end fails the render instead of overflowing the stack.
pub(crate) fn depth_guard(
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    match stacker::remaining_stack() {
        Some(left) if left < STACK_RESERVE => Err(tera::Error::msg(
            "macros call each other too deeply: does a macro call itself without end?",
        )),
        _ => Ok(tera::Value::String(String::new())),
    }
}

/// The position of the first whole-word `name` inside a `{{ }}` or `{% %}` tag of `text`.
pub(crate) fn first_use(text: &str, name: &str) -> Option<Position> {
    if name.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut from = 0;
    while let Some(found) = text[from..].find(name) {
        let at = from + found;
        let end = at + name.len();
        let whole = !text[..at].ends_with(is_word) && !text[end..].starts_with(is_word);
        let before = &text[..at];
        let opened = before.rfind("{{").max(before.rfind("{%"));
        let in_tag = opened.is_some_and(|open| {
            let inside = &before[open..];
            !inside.contains("}}") && !inside.contains("%}")
        });
        if whole && in_tag {
            return Some(Position::of_offset(text, at));
        }
        from = end;
    }
    None
}

/// A cycle of references: the template where it was found, the reference that closes it,
/// and the names along the way (`page.html → a.html → page.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The template holding the reference that closes the cycle.
    pub template: String,
    /// That reference.
    pub closing: TemplateRef,
    /// Every name along the cycle, first and last the same.
    pub path: Vec<String>,
}

/// The first cycle among `templates` (name → its references), if any. Iterative, so a long
/// chain of templates cannot overflow the stack either.
pub fn find_cycle(templates: &BTreeMap<String, Vec<TemplateRef>>) -> Option<Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for root in templates.keys() {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        // Each frame: a template and how many of its references were followed.
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        marks.insert(root, Mark::Open);
        while let Some((name, next)) = stack.last_mut() {
            let refs = templates.get(*name).map_or(&[][..], Vec::as_slice);
            let Some(reference) = refs.get(*next) else {
                marks.insert(name, Mark::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            let holder = *name;
            let target = reference.target.as_str();
            match marks.get(target) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let mut path: Vec<String> =
                        stack[from..].iter().map(|(n, _)| (*n).to_owned()).collect();
                    path.push(target.to_owned());
                    return Some(Cycle {
                        template: holder.to_owned(),
                        closing: reference.clone(),
                        path,
                    });
                }
                Some(Mark::Done) => {}
                None if templates.contains_key(target) => {
                    let key = templates.get_key_value(target).map(|(k, _)| k.as_str());
                    if let Some(key) = key {
                        marks.insert(key, Mark::Open);
                        stack.push((key, 0));
                    }
                }
                None => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<TemplateRef>> {
        pairs
            .iter()
            .map(|(name, source)| ((*name).to_owned(), references(source)))
            .collect()
    }

    #[test]
    fn finds_the_names_in_include_extends_and_import_tags() {
        let refs = references(
            "{% extends \"base.html\" %}\n{%- include 'a.html' -%}\n{% import `m.html` as m %}\n\
             {% include [\"x.html\", \"y.html\"] ignore missing %}{{ \"include\" }}{% if a %}",
        );
        let names: Vec<_> = refs.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(names, ["base.html", "a.html", "m.html", "x.html", "y.html"]);
        assert_eq!(refs[1].position, Position { line: 2, column: 1 });
    }

    #[test]
    fn a_template_including_itself_is_a_cycle() {
        let cycle =
            find_cycle(&graph(&[("page.html", "x\n{% include \"page.html\" %}")])).expect("cycle");
        assert_eq!(cycle.path, ["page.html", "page.html"]);
        assert_eq!(cycle.closing.position.line, 2);
    }

    #[test]
    fn partials_including_each_other_are_a_cycle() {
        let cycle = find_cycle(&graph(&[
            ("page.html", "{% include \"a.html\" %}"),
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
        ]))
        .expect("cycle");
        assert_eq!(cycle.path, ["a.html", "b.html", "a.html"]);
        assert_eq!(cycle.template, "b.html");
    }

    #[test]
    fn shared_partials_and_long_chains_are_no_cycle() {
        let mut pairs: Vec<(String, String)> = vec![
            (
                "page.html".into(),
                "{% include \"a.html\" %}{% include \"b.html\" %}".into(),
            ),
            ("a.html".into(), "{% include \"c.html\" %}".into()),
            ("b.html".into(), "{% include \"c.html\" %}".into()),
            ("c.html".into(), "{% include \"missing.html\" %}".into()),
        ];
        for i in 0..50_000 {
            pairs.push((format!("t{i}"), format!("{{% include \"t{}\" %}}", i + 1)));
        }
        let graph = pairs
            .iter()
            .map(|(n, s)| (n.clone(), references(s)))
            .collect();
        assert_eq!(find_cycle(&graph), None);
    }

    #[test]
    fn nesting_is_bounded_in_blocks_and_brackets() {
        let ok = "{% if a %}".repeat(MAX_NESTING) + &"{% endif %}".repeat(MAX_NESTING);
        assert_eq!(too_deep(&ok), None);
        let deep = "{% if a %}\n".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&deep).map(|p| p.line), Some(MAX_NESTING + 1));
        let brackets = format!("{{% set x = {}1 %}}", "(".repeat(MAX_NESTING + 1));
        assert!(too_deep(&brackets).is_some());
        assert_eq!(too_deep("{% set x = \"((((((((\" %}"), None);
    }

    #[test]
    fn every_macro_starts_with_the_guard_on_its_own_line() {
        let guarded = guard_macros("{% macro a() %}\nx{% endmacro %}\n{%- macro b() -%}\n y");
        assert_eq!(
            guarded,
            format!(
                "{{% macro a() %}}{{{{ {DEPTH_GUARD}() }}}}\nx{{% endmacro %}}\n\
                 {{%- macro b() -%}}{{{{ {DEPTH_GUARD}() -}}}}\n y"
            )
        );
    }

    #[test]
    fn a_missing_name_is_found_inside_tags_only() {
        let text =
            "no_such here\n<p>{{ page.title }}</p>\n{% if no_such %}{{ no_such_var }}{% endif %}";
        let at = first_use(text, "no_such").expect("found");
        assert_eq!((at.line, at.column), (3, 7));
        assert_eq!(first_use(text, "absent"), None);
        assert_eq!(first_use(text, ""), None);
    }

    #[test]
    fn unclosed_tags_and_odd_quotes_do_not_panic() {
        for source in [
            "{% include",
            "{% include \"a",
            "{%%}",
            "{% include é'\"",
            "{%",
        ] {
            references(source);
        }
    }
}
