//! The heading pass: gives every heading a stable, unique id and a `#` anchor link, and
//! collects the page's table of contents.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::{ChapterIr, Node, Role};
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

/// Sets `id` on every heading (keeping `{#explicit}` ids) and appends the anchor link.
pub fn assign_ids(ir: &mut ChapterIr) -> Vec<TocEntry> {
    let mut ids = UniqueIds::new();
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
                    let id = set_id(&mut out[start], &mut ids, &text);
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
    toc
}

/// Gives the heading start at `node` its final id and returns it.
fn set_id(node: &mut Node, ids: &mut UniqueIds, text: &str) -> String {
    let Event::Start(Tag::Heading { id, .. }) = &mut node.event else {
        return ids.claim(&slugify(text));
    };
    let chosen = match id {
        Some(explicit) => ids.claim(explicit),
        None => ids.claim(&slugify(text)),
    };
    *id = Some(CowStr::from(chosen.clone()));
    chosen
}

fn anchor_node(id: &str, end: &Node) -> Node {
    Node {
        event: Event::InlineHtml(CowStr::from(super::emit::header_anchor_html(id))),
        span: end.span.clone(),
        role: Role::HeaderAnchor(id.to_owned()),
    }
}
