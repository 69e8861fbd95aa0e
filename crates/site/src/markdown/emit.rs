//! Emission: turns IR nodes back into events for one target, a page at some depth or a print
//! page, where ids are prefixed per chapter and links between chapters stay inside the print
//! edition (an anchor of the same print page, or of the print page holding the target).

use pulldown_cmark::{CowStr, Event, Tag};

use super::{escape_attr, Node, Role};
use crate::print::PrintLayout;

/// Where the HTML is going.
#[derive(Debug, Clone, Copy)]
pub enum Emit<'a> {
    /// A chapter's own page; `root` is its path to the site root (`""`, `"../"`…).
    Page {
        /// The page's path to the site root.
        root: &'a str,
    },
    /// A print page (at the site root); `prefix` is this chapter's [`print_id`].
    Print {
        /// The chapter's id on the print page.
        prefix: &'a str,
        /// The print page this chapter is on.
        page: &'a str,
        /// Where every chapter is printed.
        layout: &'a PrintLayout,
    },
}

/// The id of a chapter's `<article>` on the print page: `days/etcd.html` -> `chapter-days-etcd`.
pub fn print_id(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    format!("chapter-{}", stem.replace('/', "-"))
}

/// The print page's id for heading `id` of the chapter whose print id is `prefix`.
fn print_anchor(prefix: &str, id: &str) -> String {
    format!("{prefix}--{id}")
}

/// The `#` link placed after a heading.
pub(super) fn header_anchor_html(id: &str) -> String {
    let mut html = String::from("<a class=\"header-anchor\" href=\"#");
    escape_attr(&mut html, id);
    html.push_str("\" aria-label=\"Link to this section\">#</a>");
    html
}

/// The event `node` becomes for `target`.
pub(super) fn event(node: &Node, target: Emit<'_>) -> Event<'static> {
    match (&node.role, target) {
        (Role::Plain, _) => node.event.clone(),
        (
            Role::SiteLink {
                output, fragment, ..
            },
            Emit::Page { root },
        ) => with_url(&node.event, |_| match fragment {
            Some(f) => format!("{root}{output}#{f}"),
            None => format!("{root}{output}"),
        }),
        (
            Role::SiteLink {
                output,
                fragment,
                chapter: true,
            },
            Emit::Print { page, layout, .. },
        ) => {
            let article = print_id(output);
            let anchor = match fragment {
                Some(f) => print_anchor(&article, f),
                None => article,
            };
            let target = layout.page_of(output).filter(|&p| p != page);
            with_url(&node.event, |_| {
                format!("{}#{anchor}", target.unwrap_or(""))
            })
        }
        (Role::SiteLink { .. }, Emit::Print { .. }) => event(node, Emit::Page { root: "" }),
        (Role::SamePage(fragment), Emit::Print { prefix, .. }) => with_url(&node.event, |_| {
            format!("#{}", print_anchor(prefix, fragment))
        }),
        (Role::Heading, Emit::Print { prefix, .. }) => match &node.event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: *level,
                id: id.as_ref().map(|id| CowStr::from(print_anchor(prefix, id))),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            other => other.clone(),
        },
        (Role::HeaderAnchor(id), Emit::Print { prefix, .. }) => {
            Event::InlineHtml(CowStr::from(header_anchor_html(&print_anchor(prefix, id))))
        }
        (Role::SamePage(_) | Role::Heading | Role::HeaderAnchor(_), Emit::Page { .. }) => {
            node.event.clone()
        }
    }
}

/// `event` (a link or image start) with its URL replaced by `f(url)`.
fn with_url(event: &Event<'static>, f: impl FnOnce(&str) -> String) -> Event<'static> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: CowStr::from(f(dest_url)),
            title: title.clone(),
            id: id.clone(),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type: *link_type,
            dest_url: CowStr::from(f(dest_url)),
            title: title.clone(),
            id: id.clone(),
        }),
        other => other.clone(),
    }
}
