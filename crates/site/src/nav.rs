//! Navigation: where each chapter sits in the book's tree, the bounded navigation each page
//! carries for readers without JavaScript (the sections above it and a window of its
//! neighbours), and the whole tree, written once per build into `nav.js` (which renders the
//! sidebar of every page) and onto the contents page.
//!
//! A page's own bytes never grow with the book: it holds at most [`WINDOW`] entries on each
//! side of its own, the sections above it, and the first entries of its own section.

use serde::Serialize;

use crate::book::{Book, NavItem};

/// The shared navigation script, at the site root: the tree as data, then the theme's
/// `nav.js` that renders it.
pub const NAV_SCRIPT: &str = "nav.js";

/// The page listing every chapter, at the site root: what the bounded navigation links to.
pub const CONTENTS_PAGE: &str = "contents.html";

/// Entries shown on each side of the current one in a page's own navigation.
pub const WINDOW: usize = 4;

/// A link of the bounded navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavLink {
    /// What the link says.
    pub title: String,
    /// Its target from the site root; `None` for a section without a page of its own.
    pub path: Option<String>,
}

/// One entry of a page's own navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavEntry {
    /// Title and target.
    #[serde(flatten)]
    pub link: NavLink,
    /// A folder of chapters.
    pub is_section: bool,
    /// The page being rendered.
    pub current: bool,
    /// For the current section's page: the first of its entries.
    pub children: Vec<NavEntry>,
    /// The current section has entries left out of `children`.
    pub more_children: bool,
}

/// The navigation one page carries: bounded whatever the size of the book.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LocalNav {
    /// The sections above the page's list, outermost first.
    pub trail: Vec<NavLink>,
    /// The list has entries before `entries`, left out. (Whether, not how many: a count
    /// would change every page of a section when a chapter is added to it.)
    pub before: bool,
    /// The page and its neighbours in its list (the top-level list's first entries on pages
    /// that are not chapters).
    pub entries: Vec<NavEntry>,
    /// The list has entries after `entries`, left out.
    pub after: bool,
}

/// Where every chapter sits in [`Book::nav`]: indices into the nested lists, from the top.
#[derive(Debug, Clone, Default)]
pub struct NavMap {
    places: Vec<Vec<usize>>,
}

impl NavMap {
    /// Finds every chapter of `book` in its tree.
    pub fn new(book: &Book) -> NavMap {
        fn walk(items: &[NavItem], path: &mut Vec<usize>, places: &mut [Vec<usize>]) {
            for (i, item) in items.iter().enumerate() {
                path.push(i);
                match item {
                    NavItem::Chapter(c) => places[*c].clone_from(path),
                    NavItem::Section { page, children, .. } => {
                        if let Some(c) = page {
                            places[*c].clone_from(path);
                        }
                        walk(children, path, places);
                    }
                }
                path.pop();
            }
        }
        let mut places = vec![Vec::new(); book.chapters.len()];
        walk(&book.nav, &mut Vec::new(), &mut places);
        NavMap { places }
    }

    /// The navigation of chapter `index`'s page.
    pub fn local(&self, book: &Book, index: usize) -> LocalNav {
        let Some((&own, parents)) = self.places.get(index).and_then(|p| p.split_last()) else {
            return top_level(book);
        };
        let mut items = book.nav.as_slice();
        let mut trail = Vec::with_capacity(parents.len());
        for &i in parents {
            let Some(NavItem::Section {
                title,
                page,
                children,
            }) = items.get(i)
            else {
                return top_level(book);
            };
            trail.push(NavLink {
                title: title.clone(),
                path: page.map(|p| book.chapters[p].output.clone()),
            });
            items = children;
        }
        let mut local = window(book, items, own, WINDOW);
        local.trail = trail;
        local
    }
}

/// The navigation of a page that is not a chapter: the top-level list's first entries.
pub fn top_level(book: &Book) -> LocalNav {
    let mut local = window(book, &book.nav, 0, 2 * WINDOW);
    for entry in &mut local.entries {
        entry.current = false;
        entry.children.clear();
        entry.more_children = false;
    }
    local
}

/// The entries of `items` within `radius` of `current`, which is marked (and, for a section,
/// shows its first entries).
fn window(book: &Book, items: &[NavItem], current: usize, radius: usize) -> LocalNav {
    let start = current.saturating_sub(radius);
    let end = items.len().min(current + radius + 1);
    let entries = (start..end)
        .map(|i| {
            let mut entry = entry(book, &items[i]);
            if i == current {
                entry.current = true;
                if let NavItem::Section { children, .. } = &items[i] {
                    let shown = children.len().min(2 * WINDOW + 1);
                    entry.children = children[..shown]
                        .iter()
                        .map(|c| self::entry(book, c))
                        .collect();
                    entry.more_children = children.len() > shown;
                }
            }
            entry
        })
        .collect();
    LocalNav {
        trail: Vec::new(),
        before: start > 0,
        entries,
        after: end < items.len(),
    }
}

fn entry(book: &Book, item: &NavItem) -> NavEntry {
    let (link, is_section) = match item {
        NavItem::Chapter(c) => (chapter_link(book, *c), false),
        NavItem::Section { title, page, .. } => (
            NavLink {
                title: title.clone(),
                path: page.map(|p| book.chapters[p].output.clone()),
            },
            true,
        ),
    };
    NavEntry {
        link,
        is_section,
        current: false,
        children: Vec::new(),
        more_children: false,
    }
}

fn chapter_link(book: &Book, index: usize) -> NavLink {
    let chapter = &book.chapters[index];
    NavLink {
        title: chapter.title.clone(),
        path: Some(chapter.output.clone()),
    }
}

/// The whole tree as the contents page and `nav.js` see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeEntry {
    /// Title and target.
    #[serde(flatten)]
    pub link: NavLink,
    /// Course day, shown as a badge on the contents page.
    pub day: Option<u32>,
    /// A folder of chapters.
    pub is_section: bool,
    /// What the folder holds.
    pub children: Vec<TreeEntry>,
}

/// Every entry of `book`'s tree.
pub fn tree(book: &Book) -> Vec<TreeEntry> {
    fn walk(book: &Book, items: &[NavItem]) -> Vec<TreeEntry> {
        items
            .iter()
            .map(|item| match item {
                NavItem::Chapter(c) => TreeEntry {
                    link: chapter_link(book, *c),
                    day: book.chapters[*c].front.day,
                    is_section: false,
                    children: Vec::new(),
                },
                NavItem::Section {
                    title,
                    page,
                    children,
                } => TreeEntry {
                    link: NavLink {
                        title: title.clone(),
                        path: page.map(|p| book.chapters[p].output.clone()),
                    },
                    day: None,
                    is_section: true,
                    children: walk(book, children),
                },
            })
            .collect()
    }
    walk(book, &book.nav)
}

/// The first line of `nav.js`: the tree as compact JSON arrays, `[title, path]` for a chapter
/// and `[title, path or null, [entries]]` for a section, and whether the book has quizzes.
pub fn script_data(book: &Book, has_quizzes: bool) -> String {
    fn push(out: &mut String, entries: &[TreeEntry]) {
        out.push('[');
        for (i, entry) in entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            out.push_str(&json(&entry.link.title));
            out.push(',');
            match &entry.link.path {
                Some(path) => out.push_str(&json(path)),
                None => out.push_str("null"),
            }
            if entry.is_section {
                out.push(',');
                push(out, &entry.children);
            }
            out.push(']');
        }
        out.push(']');
    }
    let mut out = String::from("var coursebookNavData = {\"quizzes\":");
    out.push_str(if has_quizzes { "true" } else { "false" });
    out.push_str(",\"items\":");
    push(&mut out, &tree(book));
    out.push_str("};\n");
    out
}

fn json(text: &str) -> String {
    // Serialising a string cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Chapter;

    fn chapter(output: &str) -> Chapter {
        Chapter {
            file: output.into(),
            source: output.replace(".html", ".md"),
            output: output.to_owned(),
            title: format!("T {output}"),
            front: Default::default(),
            duration: None,
            body: String::new(),
            body_line: 1,
        }
    }

    /// Home, then a section `s` with its page and `n` chapters, then a last chapter.
    fn book(n: usize) -> Book {
        let mut chapters = vec![chapter("index.html"), chapter("s/index.html")];
        chapters.extend((0..n).map(|i| chapter(&format!("s/c{i}.html"))));
        chapters.push(chapter("end.html"));
        let last = chapters.len() - 1;
        Book {
            nav: vec![
                NavItem::Chapter(0),
                NavItem::Section {
                    title: "Section".into(),
                    page: Some(1),
                    children: (2..2 + n).map(NavItem::Chapter).collect(),
                },
                NavItem::Chapter(last),
            ],
            chapters,
            assets: Vec::new(),
        }
    }

    fn titles(local: &LocalNav) -> Vec<&str> {
        local
            .entries
            .iter()
            .map(|e| e.link.title.as_str())
            .collect()
    }

    #[test]
    fn a_chapter_sees_its_trail_and_neighbours_within_the_window() {
        let book = book(100);
        let map = NavMap::new(&book);
        let local = map.local(&book, 2 + 50);
        assert_eq!(local.trail.len(), 1);
        assert_eq!(local.trail[0].path.as_deref(), Some("s/index.html"));
        assert_eq!(local.entries.len(), 2 * WINDOW + 1);
        assert_eq!((local.before, local.after), (true, true));
        let current: Vec<_> = local.entries.iter().filter(|e| e.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].link.path.as_deref(), Some("s/c50.html"));
    }

    #[test]
    fn the_window_is_clipped_at_the_ends_of_the_list() {
        let book = book(100);
        let map = NavMap::new(&book);
        let first = map.local(&book, 2);
        assert_eq!((first.before, first.entries.len()), (false, WINDOW + 1));
        let home = map.local(&book, 0);
        assert!(home.trail.is_empty());
        assert_eq!(titles(&home), ["T index.html", "Section", "T end.html"]);
    }

    #[test]
    fn a_section_page_shows_its_first_entries() {
        let book = book(100);
        let map = NavMap::new(&book);
        let local = map.local(&book, 1);
        let section = local.entries.iter().find(|e| e.current).expect("current");
        assert!(section.is_section);
        assert_eq!(section.children.len(), 2 * WINDOW + 1);
        assert!(section.more_children);
    }

    #[test]
    fn the_bounded_navigation_does_not_grow_with_the_book() {
        let size = |n: usize| {
            let book = book(n);
            let map = NavMap::new(&book);
            (0..book.chapters.len())
                .map(|i| serde_json::to_string(&map.local(&book, i)).map_or(0, |s| s.len()))
                .max()
                .unwrap_or(0)
        };
        let (small, large) = (size(50), size(5000));
        assert!(large <= small + 16, "{small} -> {large} bytes");
    }

    #[test]
    fn script_data_nests_sections_and_escapes_titles() {
        let mut book = book(2);
        book.chapters[2].title = "a \"quoted\" </script> title".into();
        let data = script_data(&book, true);
        assert!(data.starts_with("var coursebookNavData = {\"quizzes\":true,\"items\":["));
        assert!(
            data.contains(
                r#"["Section","s/index.html",[["a \"quoted\" </script> title","s/c0.html"]"#
            ),
            "{data}"
        );
        assert!(data.ends_with("};\n"));
    }
}
