//! The heading pass: gives every heading a stable, unique id and a `#` anchor link, and
//! collects the page's table of contents.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::{ChapterIr, Node, Role};
use crate::error::{Location, Position};
use crate::slug::{slugify, UniqueIds};

/// One heading of a chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id, unique in the page.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// The file line of the heading.
    pub line: usize,
}

/// Ids the page layout gives its own elements (the default theme's templates and scripts):
/// a heading called "Search" becomes `search-1`, so every id stays unique in the page.
pub const LAYOUT_IDS: &[&str] = &[
    "content",
    "objectives-title",
    "progress",
    "review",
    "review-due-title",
    "review-new-title",
    "review-upcoming-title",
    "search",
    "search-input",
    "search-panel",
    "search-results",
    "search-status",
    "shortcuts-toggle",
    "sidebar",
    "sidebar-toggle",
    "theme-toggle",
];

/// Sets `id` on every heading (keeping `{#explicit}` ids) and appends the anchor link; an
/// explicit id that is taken, or that the layout uses, is an error at the heading's line.
pub fn assign_ids(ir: &mut ChapterIr, file: &Path) -> crate::Result<Vec<TocEntry>> {
    let mut ids = UniqueIds::new();
    for id in LAYOUT_IDS {
        ids.claim(id);
    }
    let mut explicit_lines: HashMap<String, usize> = HashMap::new();
    let mut toc = Vec::new();
    let mut out: Vec<Node> = Vec::with_capacity(ir.nodes.len() + 8);
    let mut open: Option<(usize, String)> = None; // index in `out` of the Start, text so far
    for node in std::mem::take(&mut ir.nodes) {
        match &node.event {
            Event::Start(Tag::Heading { .. }) => {
                open = Some((out.len(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = open.take() {
                    let line = ir.line(out[start].span.start);
                    let id = match set_id(&mut out[start], &mut ids, &text) {
                        Ok(id) => id,
                        Err(explicit) => {
                            return Err(taken(file, line, &explicit, explicit_lines.get(&explicit)))
                        }
                    };
                    if explicit_id(&out[start]).is_some() {
                        explicit_lines.insert(id.clone(), line);
                    }
                    out[start].role = Role::Heading;
                    out.push(anchor_node(&id, &node));
                    toc.push(TocEntry {
                        level: *level as u8,
                        id,
                        title: text.trim().to_owned(),
                        line,
                    });
                }
            }
            _ => {}
        }
        out.push(node);
    }
    ir.nodes = out;
    Ok(toc)
}

fn taken(file: &Path, line: usize, id: &str, first: Option<&usize>) -> crate::Error {
    let message = match first {
        Some(first) => format!("`{{#{id}}}` is already the id of the heading on line {first}; ids must be unique in a page"),
        None if LAYOUT_IDS.contains(&id) => format!("`{{#{id}}}` is an id the page layout uses; pick another"),
        None => format!("`{{#{id}}}` is already the id of an earlier heading (made from its text); pick another"),
    };
    crate::Error::Heading {
        location: Location::at(file, Position { line, column: 1 }),
        message,
    }
}

fn explicit_id(node: &Node) -> Option<&str> {
    match &node.event {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id),
        _ => None,
    }
}

/// Gives the heading start at `node` its final id and returns it; `Err(id)` when its
/// explicit id is taken. Attributes other than `data-*` are dropped: `{#x onclick=…}` must
/// not put a script on the page.
fn set_id(node: &mut Node, ids: &mut UniqueIds, text: &str) -> Result<String, String> {
    let Event::Start(Tag::Heading { id, attrs, .. }) = &mut node.event else {
        return Ok(ids.claim(&slugify(text)));
    };
    attrs.retain(|(name, _)| name.starts_with("data-") && name.len() > 5);
    let chosen = match id {
        Some(explicit) => {
            let explicit = explicit.to_string();
            if ids.is_taken(&explicit) {
                return Err(explicit);
            }
            ids.claim(&explicit)
        }
        None => ids.claim(&slugify(text)),
    };
    *id = Some(CowStr::from(chosen.clone()));
    Ok(chosen)
}

fn anchor_node(id: &str, end: &Node) -> Node {
    Node {
        event: Event::InlineHtml(CowStr::from(super::emit::header_anchor_html(id))),
        span: end.span.clone(),
        role: Role::HeaderAnchor(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Emit;

    fn ids(body: &str) -> crate::Result<(Vec<String>, String)> {
        let mut ir = ChapterIr::parse(body, 1);
        let toc = assign_ids(&mut ir, Path::new("c.md"))?;
        let html = ir.to_html(Emit::Page { root: "" });
        Ok((toc.into_iter().map(|t| t.id).collect(), html))
    }

    #[test]
    fn headings_named_like_layout_parts_get_ids_of_their_own() {
        let (ids, _) =
            ids("## Search\n\n## Content\n\n## Sidebar\n\n## Theme toggle\n").expect("ok");
        assert_eq!(
            ids,
            ["search-1", "content-1", "sidebar-1", "theme-toggle-1"]
        );
    }

    #[test]
    fn a_duplicate_or_reserved_explicit_id_names_both_lines() {
        let err = ids("## One {#x}\n\ntext\n\n## Two {#x}\n")
            .expect_err("dup")
            .to_string();
        assert!(
            err.starts_with("c.md:5:1") && err.contains("line 1"),
            "{err}"
        );
        let err = ids("## Find {#search}\n")
            .expect_err("reserved")
            .to_string();
        assert!(err.contains("page layout"), "{err}");
        let err = ids("## Setup\n\n## Other {#setup}\n")
            .expect_err("auto")
            .to_string();
        assert!(err.contains("c.md:3:1"), "{err}");
    }

    #[test]
    fn heading_attributes_cannot_carry_scripts() {
        let (ids, html) =
            ids("## Title {#x onmouseover=alert(1) .note data-level=2}\n").expect("ok");
        assert_eq!(ids, ["x"]);
        assert!(!html.contains("onmouseover"), "{html}");
        assert!(html.contains("data-level"), "{html}");
    }
}

#[cfg(test)]
mod layout_ids {
    #[test]
    fn every_id_the_default_theme_writes_is_reserved() {
        for (name, bytes) in crate::theme::DEFAULT_FILES {
            let text = String::from_utf8_lossy(bytes);
            // ` id="…"`: the attribute itself, not the end of `aria-invalid="…"`.
            for (at, _) in text.match_indices(" id=\"").map(|(at, m)| (at + 1, m)) {
                let id: String = text[at + 4..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                let closed = text[at + 4 + id.len()..].starts_with('"');
                if closed && !id.is_empty() {
                    assert!(super::LAYOUT_IDS.contains(&id.as_str()), "{name}: {id}");
                }
            }
        }
    }
}
