//! Content discovery: walks `content/` into ordered chapters, sections, navigation and assets.
//!
//! Order comes from file-name prefixes (`01-setup.md` before `02-day-1.md`, compared as numbers),
//! and the prefix is dropped from URLs. A folder is a section; its `_index.md`, when present, is
//! the section's own page. The root `_index.md` is the home page.

pub mod front_matter;
pub mod readable;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Location, Position, Result};
pub use front_matter::{display_duration, FrontMatter};

/// The name of a section's own page inside its folder.
pub const SECTION_INDEX: &str = "_index.md";

/// Site paths the build writes itself; no content file may produce them.
pub const RESERVED_OUTPUTS: &[&str] = &[
    "print.html",
    "404.html",
    "review.html",
    "progress.html",
    "sitemap.xml",
    ".nojekyll",
    "sw.js",
];

/// The longest file or folder name most file systems (and zip tools) accept, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// The site folder holding the theme's CSS, JS and other static files, also reserved.
pub const STATIC_DIR: &str = "static";

/// One markdown source file, ready to render.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The file, as a path a user can open (the content directory joined with `source`).
    pub file: PathBuf,
    /// The path inside the content directory, with `/` separators, e.g. `days/02-etcd.md`.
    pub source: String,
    /// The output path inside the site, with `/` separators, e.g. `days/etcd.html`.
    pub output: String,
    /// The title from front matter, else made from the file name.
    pub title: String,
    /// The front matter as written.
    pub front: FrontMatter,
    /// The parsed `duration`.
    pub duration: Option<Duration>,
    /// The markdown after the front matter.
    pub body: String,
    /// The line of `file` on which `body` starts.
    pub body_line: usize,
}

impl Chapter {
    /// How many folders deep the output file is (0 for `index.html`).
    pub fn depth(&self) -> usize {
        self.output.matches('/').count()
    }

    /// The relative path from this chapter's page to the site root: `""`, `"../"`…
    pub fn root(&self) -> String {
        root_for_depth(self.depth())
    }
}

/// An entry of the sidebar.
#[derive(Debug, Clone, PartialEq)]
pub enum NavItem {
    /// A chapter, by index into [`Book::chapters`].
    Chapter(usize),
    /// A folder of chapters.
    Section {
        /// The section page's title, or one made from the folder name.
        title: String,
        /// The section's own page (`_index.md`), if any.
        page: Option<usize>,
        /// What the folder holds, in order.
        children: Vec<NavItem>,
    },
}

/// A file in `content/` that is not markdown (an image, a download), copied as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Where it is read from.
    pub file: PathBuf,
    /// Its path inside the content directory, with `/` separators.
    pub source: String,
    /// Its path inside the site, with `/` separators (folder order prefixes dropped).
    pub output: String,
}

/// The whole course, in reading order.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Every page in reading order: the home page, then depth-first through sections.
    pub chapters: Vec<Chapter>,
    /// The sidebar tree.
    pub nav: Vec<NavItem>,
    /// Files copied verbatim.
    pub assets: Vec<Asset>,
}

impl Book {
    /// Discovers and reads everything under `content_dir`.
    pub fn load(content_dir: &Path) -> Result<Book> {
        if !content_dir.is_dir() {
            return Err(Error::MissingContent {
                path: content_dir.to_path_buf(),
            });
        }
        let mut loader = Loader {
            root: content_dir,
            book: Book::default(),
            outputs: BTreeMap::new(),
        };
        if content_dir.join(SECTION_INDEX).is_file() {
            let home = loader.chapter(SECTION_INDEX, "index.html".to_owned())?;
            loader.book.nav.push(NavItem::Chapter(home));
        }
        let items = loader.dir("", "")?;
        loader.book.nav.extend(items);
        if loader.book.chapters.is_empty() {
            return Err(Error::EmptyContent {
                path: content_dir.to_path_buf(),
            });
        }
        if !loader.outputs.contains_key("index.html") {
            // Without a root `_index.md`, the first chapter is also the home page.
            loader.book.chapters[0].output = "index.html".to_owned();
        }
        Ok(loader.book)
    }

    /// Source path inside `content/` -> output path inside the site, for every chapter and
    /// asset: what links are resolved against.
    pub fn outputs(&self) -> BTreeMap<String, String> {
        let chapters = self.chapters.iter().map(|c| (&c.source, &c.output));
        let assets = self.assets.iter().map(|a| (&a.source, &a.output));
        chapters
            .chain(assets)
            .map(|(source, output)| (source.clone(), output.clone()))
            .collect()
    }
}

/// Reads the chapter `source` of the content directory `root`, to be written to `output`.
pub fn read_chapter(root: &Path, source: &str, output: String) -> Result<Chapter> {
    let file = root.join(source);
    if readable::check(root, &file)? != readable::Readable::File {
        return Err(Error::io(
            &file,
            "cannot read",
            std::io::Error::other("is a folder"),
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, "cannot read", e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Error::NotUtf8 {
            location: Location::at(&file, Position { line, column }),
        }
    })?;
    if let Some(nul) = text.find('\0') {
        return Err(Error::NotText {
            location: Location::at(&file, Position::of_offset(&text, nul)),
        });
    }
    let split = front_matter::split(&file, &text)?;
    let title = split.front.title.clone().unwrap_or_else(|| {
        let stem = source.rsplit('/').next().unwrap_or(source);
        let stem = stem.strip_suffix(".md").unwrap_or(stem);
        if stem == "_index" {
            "Home".to_owned()
        } else {
            title_from_name(strip_order_prefix(stem))
        }
    });
    Ok(Chapter {
        file,
        source: source.to_owned(),
        output,
        title,
        front: split.front,
        duration: split.duration,
        body: split.body.to_owned(),
        body_line: split.body_line,
    })
}

struct Loader<'a> {
    root: &'a Path,
    book: Book,
    /// Output path -> source, to refuse two sources writing one file.
    outputs: BTreeMap<String, String>,
}

impl Loader<'_> {
    /// Loads the folder `rel_dir` (relative to the content root), whose output folder is
    /// `out_dir` (prefixes stripped); returns its navigation entries.
    fn dir(&mut self, rel_dir: &str, out_dir: &str) -> Result<Vec<NavItem>> {
        let mut items = Vec::new();
        for entry in sorted_entries(&self.root.join(rel_dir))? {
            let file_name = entry.file_name();
            let lossy = file_name.to_string_lossy();
            if lossy.starts_with('.') || (lossy.starts_with('_') && lossy != SECTION_INDEX) {
                continue;
            }
            let path = entry.path();
            let name = readable::utf8_name(&path)?;
            let kind = readable::check(self.root, &path)?;
            let rel = join(rel_dir, &name);
            if kind == readable::Readable::Dir {
                let section = self.section(&rel, &join(out_dir, &url_segment(&name)))?;
                // A folder of images only is no section of the sidebar.
                if !matches!(&section, NavItem::Section { page: None, children, .. } if children.is_empty())
                {
                    items.push(section);
                }
            } else if name == SECTION_INDEX {
                continue; // the caller made it the section's page
            } else if let Some(stem) = name.strip_suffix(".md") {
                let output = join(out_dir, &format!("{}.html", url_segment(stem)));
                items.push(NavItem::Chapter(self.chapter(&rel, output)?));
            } else {
                let output = join(out_dir, &url_safe(&name));
                self.claim(&output, &rel)?;
                self.book.assets.push(Asset {
                    file: path,
                    source: rel,
                    output,
                });
            }
        }
        Ok(items)
    }

    fn section(&mut self, rel: &str, out: &str) -> Result<NavItem> {
        let index_source = join(rel, SECTION_INDEX);
        let page = if self.root.join(&index_source).is_file() {
            Some(self.chapter(&index_source, join(out, "index.html"))?)
        } else {
            None
        };
        let children = self.dir(rel, out)?;
        let title = match page {
            Some(i) => self.book.chapters[i].title.clone(),
            None => title_from_name(strip_order_prefix(rel.rsplit('/').next().unwrap_or(rel))),
        };
        Ok(NavItem::Section {
            title,
            page,
            children,
        })
    }

    fn chapter(&mut self, source: &str, output: String) -> Result<usize> {
        self.claim(&output, source)?;
        let chapter = read_chapter(self.root, source, output)?;
        self.book.chapters.push(chapter);
        Ok(self.book.chapters.len() - 1)
    }

    fn claim(&mut self, output: &str, source: &str) -> Result<()> {
        if let Some(long) = output.split('/').find(|name| name.len() > MAX_NAME_BYTES) {
            return Err(Error::io(
                &self.root.join(source),
                "cannot publish",
                std::io::Error::other(format!(
                    "its site name is {} bytes long; file systems allow {MAX_NAME_BYTES}: shorten it",
                    long.len()
                )),
            ));
        }
        let in_static = output
            .strip_prefix(STATIC_DIR)
            .is_some_and(|rest| rest.starts_with('/'));
        if in_static || RESERVED_OUTPUTS.contains(&output) {
            return Err(Error::ReservedOutput {
                file: self.root.join(source),
                output: output.to_owned(),
            });
        }
        match self.outputs.insert(output.to_owned(), source.to_owned()) {
            Some(first) => Err(Error::OutputClash {
                first: self.root.join(first),
                second: self.root.join(source),
                output: output.to_owned(),
            }),
            None => Ok(()),
        }
    }
}

/// The entries of `dir` in file-name order. `read_dir`, not a walk per folder: walkdir resolves
/// the real path of its root for loop detection, which costs a readlink per path component, so
/// a book nested a thousand folders deep would take minutes (links that loop are refused by
/// [`readable::check`] instead).
fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let listing = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "cannot read", e))?;
    let mut entries = listing
        .map(|entry| entry.map_err(|e| Error::io(dir, "cannot read", e)))
        .collect::<Result<Vec<_>>>()?;
    entries.sort_by(|a, b| {
        order(
            &a.file_name().to_string_lossy(),
            &b.file_name().to_string_lossy(),
        )
    });
    Ok(entries)
}

/// File-name order: numeric prefixes compared as numbers, then the names.
fn order(a: &str, b: &str) -> Ordering {
    let key = |s: &str| {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), s.to_owned())
    };
    key(a).cmp(&key(b))
}

/// A chapter or folder name as it appears in URLs: the order prefix dropped, then [`url_safe`].
fn url_segment(name: &str) -> String {
    url_safe(strip_order_prefix(name))
}

/// `name` with the characters a URL would have to escape (spaces, `#`, `?`, `%`, quotes…)
/// turned into `-`, so hrefs stay plain.
fn url_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_whitespace() || "\"#%?<>\\^`{|}[]'".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// `02-etcd` -> `etcd`; names without a numeric prefix are kept.
pub fn strip_order_prefix(name: &str) -> &str {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == name.len() {
        return name;
    }
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => name,
    }
}

fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `""`, `"../"`, `"../../"`…: the way up from a page `depth` folders deep.
pub fn root_for_depth(depth: usize) -> String {
    "../".repeat(depth)
}

/// `dir/name`, or `name` at the top (paths inside `content/` and the site use `/`).
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_order_numerically_and_are_stripped() {
        let mut names = vec!["10-b.md", "2-a.md", "intro.md", "01-z.md"];
        names.sort_by(|a, b| order(a, b));
        assert_eq!(names, ["01-z.md", "2-a.md", "10-b.md", "intro.md"]);
        assert_eq!(strip_order_prefix("02-etcd"), "etcd");
        assert_eq!(strip_order_prefix("2024"), "2024");
        assert_eq!(strip_order_prefix("setup"), "setup");
    }

    #[test]
    fn url_segments_need_no_escaping() {
        assert_eq!(url_segment("03-my lesson #2"), "my-lesson--2");
        assert_eq!(url_segment("über"), "über");
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from_name("lab-setup"), "Lab setup");
    }

    #[test]
    fn discovers_sections_home_and_assets() {
        let dir = tempfile::tempdir().expect("tmp");
        let c = dir.path();
        std::fs::create_dir_all(c.join("02-days")).expect("mkdir");
        std::fs::write(c.join("_index.md"), "+++\ntitle = \"Home\"\n+++\nHi\n").expect("w");
        std::fs::write(c.join("01-setup.md"), "Setup\n").expect("w");
        std::fs::write(c.join("02-days/_index.md"), "+++\ntitle = \"Days\"\n+++\n").expect("w");
        std::fs::write(c.join("02-days/10-ten.md"), "+++\nday = 10\n+++\n").expect("w");
        std::fs::write(c.join("02-days/9-nine.md"), "").expect("w");
        std::fs::write(c.join("02-days/pic.png"), [0u8, 1]).expect("w");
        let book = Book::load(c).expect("loads");
        let outputs: Vec<_> = book.chapters.iter().map(|c| c.output.as_str()).collect();
        assert_eq!(
            outputs,
            [
                "index.html",
                "setup.html",
                "days/index.html",
                "days/nine.html",
                "days/ten.html"
            ]
        );
        assert_eq!(book.chapters[1].title, "Setup");
        assert_eq!(book.assets[0].output, "days/pic.png");
        assert_eq!(
            book.nav[2],
            NavItem::Section {
                title: "Days".to_owned(),
                page: Some(2),
                children: vec![NavItem::Chapter(3), NavItem::Chapter(4)],
            }
        );
    }

    #[test]
    fn two_sources_for_one_output_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("01-a.md"), "").expect("w");
        std::fs::write(dir.path().join("02-a.md"), "").expect("w");
        let err = Book::load(dir.path()).expect_err("clash");
        assert!(err.to_string().contains("a.html"), "{err}");
    }

    #[test]
    fn outputs_the_build_writes_itself_are_refused() {
        for name in ["print.md", "static/x.md", "static/logo.png"] {
            let dir = tempfile::tempdir().expect("tmp");
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "").expect("w");
            let err = Book::load(dir.path()).expect_err(name);
            assert!(err.to_string().contains("coursebook writes"), "{err}");
        }
    }

    #[test]
    fn a_name_too_long_for_the_site_is_an_error_naming_the_source() {
        let dir = tempfile::tempdir().expect("tmp");
        // 252 + ".md" fits the file system; 252 + ".html" does not.
        let name = format!("{}.md", "a".repeat(252));
        std::fs::write(dir.path().join(&name), "x").expect("w");
        let err = Book::load(dir.path()).expect_err("too long").to_string();
        assert!(err.contains(&name) && err.contains("255"), "{err}");
    }

    #[test]
    fn an_empty_content_directory_is_an_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let err = Book::load(dir.path()).expect_err("empty");
        assert!(err.to_string().contains("no .md files"), "{err}");
    }

    #[test]
    fn non_utf8_chapter_names_its_line() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.md"), b"ok\nbad \xff here\n").expect("w");
        let err = Book::load(dir.path()).expect_err("not utf-8");
        assert!(err.to_string().contains("a.md:2:5"), "{err}");
    }
}
