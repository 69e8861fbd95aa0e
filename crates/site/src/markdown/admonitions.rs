//! The admonition pass: GitHub-style `> [!NOTE]` blockquotes become titled callout boxes.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::ChapterIr;

/// Rewrites `> [!KIND]` blockquotes into `div.admonition.kind` with a title paragraph.
pub fn render(ir: &mut ChapterIr) {
    for node in &mut ir.nodes {
        let html = match &node.event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = names(*kind);
                format!(
                    "<div class=\"admonition {class}\" role=\"note\">\n\
                     <p class=\"admonition-title\">{title}</p>\n"
                )
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => "</div>\n".to_owned(),
            _ => continue,
        };
        node.event = Event::Html(CowStr::from(html));
    }
}

fn names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
