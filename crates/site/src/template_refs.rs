//! Which templates a template pulls in (`include`, `extends`, `import`), and the cycles among
//! them: tera follows an include that leads back to itself until the stack overflows, so a
//! cycle is refused, with the line of the include that closes it, before anything renders.

use std::collections::BTreeMap;

use crate::error::Position;

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
    let mut rest = source;
    let mut consumed = 0;
    while let Some(open) = rest.find("{%") {
        let tag_start = consumed + open;
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else {
            break;
        };
        let body = after[..close].trim_start_matches(['-', '+']).trim_start();
        let keyword_len = body
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(body.len());
        if matches!(&body[..keyword_len], "include" | "extends" | "import") {
            let position = Position::of_offset(source, tag_start);
            refs.extend(
                quoted(&body[keyword_len..]).map(|target| TemplateRef { target, position }),
            );
        }
        let advance = open + 2 + close + 2;
        consumed += advance;
        rest = &rest[advance..];
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
