//! The print edition's layout: every chapter in reading order on `print.html`, or, when the book
//! is large, one print page per part (`print-1.html`, `print-2.html`…) with `print.html`
//! listing them, so that no file of the site grows without bound.
//!
//! A part is a top-level section of the book (top-level chapters between sections form parts
//! of their own), cut further where its markdown passes [`PART_SOURCE_BYTES`]. The layout is
//! known before any chapter is rendered, so a link between chapters becomes an anchor inside
//! its print page, or a link into the print page that holds its target.

use std::collections::HashMap;
use std::ops::Range;

use crate::book::{Book, NavItem};

/// The print page of a book that fits on one, or the list of parts of one that does not.
pub const PRINT_PAGE: &str = "print.html";

/// The markdown a print page may hold (a chapter larger than this gets a page of its own):
/// highlighted HTML is a few times larger, which keeps every print page within tens of
/// megabytes, far below GitHub Pages' 100 MB per file.
pub const PART_SOURCE_BYTES: usize = 2 << 20;

/// One print page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPart {
    /// Its site path: `print.html`, or `print-<n>.html` when the book is split.
    pub output: String,
    /// Its title: the part's section (or first chapter), with "(2 of 3)" when cut further.
    pub title: String,
    /// The chapters it holds, by index into [`Book::chapters`].
    pub chapters: Range<usize>,
}

/// The print pages of a book.
#[derive(Debug, Clone, Default)]
pub struct PrintLayout {
    parts: Vec<PrintPart>,
    /// Chapter output path -> index into `parts`.
    part_of: HashMap<String, usize>,
}

impl PrintLayout {
    /// Lays `book` out: one page when its markdown fits [`PART_SOURCE_BYTES`], else parts.
    pub fn new(book: &Book) -> PrintLayout {
        Self::with_sizes(book, |i| book.chapters[i].body.len())
    }

    /// Lays `book` out as if chapter `i`'s markdown were `size(i)` bytes long (the dev server
    /// asks before it replaces an edited chapter).
    pub fn with_sizes(book: &Book, size: impl Fn(usize) -> usize) -> PrintLayout {
        Self::with_limit(book, PART_SOURCE_BYTES, size)
    }

    fn with_limit(book: &Book, limit: usize, size: impl Fn(usize) -> usize) -> PrintLayout {
        let total: usize = (0..book.chapters.len()).map(&size).sum();
        let parts = if total <= limit {
            vec![PrintPart {
                output: PRINT_PAGE.to_owned(),
                title: String::new(),
                chapters: 0..book.chapters.len(),
            }]
        } else {
            split(book, limit, &size)
        };
        let part_of = parts
            .iter()
            .enumerate()
            .flat_map(|(p, part)| {
                part.chapters
                    .clone()
                    .map(move |c| (book.chapters[c].output.clone(), p))
            })
            .collect();
        PrintLayout { parts, part_of }
    }

    /// Every print page, in reading order.
    pub fn parts(&self) -> &[PrintPart] {
        &self.parts
    }

    /// Whether the book is printed in parts (then `print.html` lists them).
    pub fn is_split(&self) -> bool {
        self.parts.len() > 1 || self.parts.first().is_some_and(|p| p.output != PRINT_PAGE)
    }

    /// The print page holding the chapter written to `output`.
    pub fn page_of(&self, output: &str) -> Option<&str> {
        self.part_of
            .get(output)
            .map(|&p| self.parts[p].output.as_str())
    }
}

/// Whether `output` is a print page's site path (`print.html`, `print-<n>.html`): a name no
/// content file may take.
pub fn is_print_output(output: &str) -> bool {
    output == PRINT_PAGE
        || output
            .strip_prefix("print-")
            .and_then(|rest| rest.strip_suffix(".html"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The parts of a book too large for one print page.
fn split(book: &Book, limit: usize, size: &impl Fn(usize) -> usize) -> Vec<PrintPart> {
    let mut parts = Vec::new();
    for (title, range) in groups(book) {
        let chunks = chunks(range, limit, size);
        let count = chunks.len();
        for (k, chapters) in chunks.into_iter().enumerate() {
            let title = if count > 1 {
                format!("{title} ({} of {count})", k + 1)
            } else {
                title.clone()
            };
            parts.push(PrintPart {
                output: format!("print-{}.html", parts.len() + 1),
                title,
                chapters,
            });
        }
    }
    parts
}

/// The book's chapters grouped by top-level entry: each top-level section alone, runs of
/// top-level chapters together. Reading order visits each entry's chapters in one run.
fn groups(book: &Book) -> Vec<(String, Range<usize>)> {
    let mut groups: Vec<(String, Range<usize>)> = Vec::new();
    let mut next = 0;
    let mut previous_was_chapter = false;
    for item in &book.nav {
        let count = count_chapters(item);
        if count == 0 {
            continue;
        }
        let range = next..next + count;
        next += count;
        match item {
            NavItem::Chapter(_) if previous_was_chapter => {
                if let Some(last) = groups.last_mut() {
                    last.1.end = range.end;
                }
            }
            NavItem::Chapter(c) => groups.push((book.chapters[*c].title.clone(), range)),
            NavItem::Section { title, .. } => groups.push((title.clone(), range)),
        }
        previous_was_chapter = matches!(item, NavItem::Chapter(_));
    }
    // Chapters the tree does not reach (none, for a loaded book) go last, not lost.
    if next < book.chapters.len() {
        groups.push(("More".to_owned(), next..book.chapters.len()));
    }
    groups
}

fn count_chapters(item: &NavItem) -> usize {
    match item {
        NavItem::Chapter(_) => 1,
        NavItem::Section { page, children, .. } => {
            usize::from(page.is_some()) + children.iter().map(count_chapters).sum::<usize>()
        }
    }
}

/// `range` cut into runs whose markdown stays within `limit`, but that a run holding less than
/// half of it takes the next chapter whatever its size (so a section's short page stays with
/// its first chapter, and every run holds one chapter at least).
fn chunks(range: Range<usize>, limit: usize, size: &impl Fn(usize) -> usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = range.start;
    let mut bytes = 0;
    for i in range.clone() {
        let size = size(i);
        if i > start && bytes + size > limit && bytes >= limit / 2 {
            chunks.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < range.end {
        chunks.push(start..range.end);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Chapter;

    fn chapter(output: &str, bytes: usize) -> Chapter {
        Chapter {
            file: output.into(),
            source: output.replace(".html", ".md"),
            output: output.to_owned(),
            title: format!("T {output}"),
            front: Default::default(),
            duration: None,
            body: "x".repeat(bytes),
            body_line: 1,
        }
    }

    /// Home, an intro chapter, then `sections` sections of `per` chapters of `bytes` each.
    fn book(sections: usize, per: usize, bytes: usize) -> Book {
        let mut chapters = vec![chapter("index.html", 10), chapter("intro.html", 10)];
        let mut nav = vec![NavItem::Chapter(0), NavItem::Chapter(1)];
        for s in 0..sections {
            let page = chapters.len();
            chapters.push(chapter(&format!("s{s}/index.html"), 10));
            let children = (0..per)
                .map(|c| {
                    chapters.push(chapter(&format!("s{s}/c{c}.html"), bytes));
                    NavItem::Chapter(chapters.len() - 1)
                })
                .collect();
            nav.push(NavItem::Section {
                title: format!("Part {s}"),
                page: Some(page),
                children,
            });
        }
        Book {
            chapters,
            nav,
            assets: Vec::new(),
        }
    }

    #[test]
    fn a_small_book_prints_on_one_page() {
        let book = book(2, 3, 100);
        let layout = PrintLayout::new(&book);
        assert!(!layout.is_split());
        assert_eq!(layout.parts().len(), 1);
        assert_eq!(layout.parts()[0].chapters, 0..book.chapters.len());
        assert_eq!(layout.page_of("s1/c2.html"), Some("print.html"));
    }

    #[test]
    fn a_large_book_prints_by_part_and_cuts_large_parts() {
        let book = book(3, 10, 100);
        let layout = PrintLayout::with_limit(&book, 500, |i| book.chapters[i].body.len());
        assert!(layout.is_split());
        let titles: Vec<&str> = layout.parts().iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "T index.html",
                "Part 0 (1 of 3)",
                "Part 0 (2 of 3)",
                "Part 0 (3 of 3)",
                "Part 1 (1 of 3)",
                "Part 1 (2 of 3)",
                "Part 1 (3 of 3)",
                "Part 2 (1 of 3)",
                "Part 2 (2 of 3)",
                "Part 2 (3 of 3)",
            ]
        );
        assert_eq!(
            layout.parts()[0].chapters,
            0..2,
            "top-level chapters together"
        );
        let covered: usize = layout.parts().iter().map(|p| p.chapters.len()).sum();
        assert_eq!(covered, book.chapters.len(), "every chapter printed once");
        for pair in layout.parts().windows(2) {
            assert_eq!(
                pair[0].chapters.end, pair[1].chapters.start,
                "reading order"
            );
        }
        assert_eq!(layout.page_of("intro.html"), Some("print-1.html"));
        assert_eq!(layout.page_of("s0/index.html"), Some("print-2.html"));
    }

    #[test]
    fn a_chapter_larger_than_the_limit_gets_a_page_alone() {
        let book = book(1, 3, 1000);
        let layout = PrintLayout::with_limit(&book, 500, |i| book.chapters[i].body.len());
        let sizes: Vec<usize> = layout.parts().iter().map(|p| p.chapters.len()).collect();
        assert_eq!(sizes, [2, 2, 1, 1], "{:?}", layout.parts());
    }

    #[test]
    fn print_names_are_recognised() {
        for name in ["print.html", "print-1.html", "print-20.html"] {
            assert!(is_print_output(name), "{name}");
        }
        for name in [
            "print-.html",
            "print-a.html",
            "days/print-1.html",
            "printer.html",
        ] {
            assert!(!is_print_output(name), "{name}");
        }
    }
}
