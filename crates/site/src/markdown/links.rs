//! The link pass: resolves every link and image against the book (`x.md#a` -> `x.html#a`,
//! site-relative), records them for lint, and marks them for root-relative emission.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use pulldown_cmark::{Event, Tag};

use super::{ChapterIr, RenderedChapter, Role};
use crate::book::{join, Book, SECTION_INDEX};

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another site (`https:`, `mailto:`, `//host`).
    External,
    /// An anchor in the same chapter (`#id`).
    SamePage {
        /// The id, without `#`.
        fragment: String,
    },
    /// A chapter of this book.
    Chapter {
        /// The target's source path inside `content/`.
        source: String,
        /// The anchor id, if any.
        fragment: Option<String>,
    },
    /// A `.md` file (or folder) that is not a chapter of this book.
    MissingChapter {
        /// The resolved path inside `content/`.
        path: String,
    },
    /// Any other file of `content/` (an image, a download).
    Asset {
        /// The resolved path inside `content/`.
        path: String,
    },
    /// A relative path to a file that is not in `content/`.
    MissingAsset {
        /// The resolved path inside `content/`.
        path: String,
    },
    /// A relative path that climbs out of `content/`.
    OutsideContent,
}

/// One link or image in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URL as written.
    pub dest: String,
    /// The resolved target.
    pub target: LinkTarget,
    /// `true` for images.
    pub image: bool,
    /// File line of the link.
    pub line: usize,
    /// Its column, 1-based, in characters (as every position the tools print).
    pub column: usize,
}

/// A link whose target does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The chapter file holding it.
    pub file: PathBuf,
    /// The link.
    pub link: Link,
    /// The rule id (one of [`rules`]).
    pub rule: &'static str,
    /// What is missing.
    pub problem: String,
}

impl fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: broken link `{}`: {}",
            self.file.display(),
            self.link.line,
            self.link.column,
            self.link.dest,
            self.problem
        )
    }
}

/// Links to chapters, headings or files that do not exist, in reading order.
pub fn broken(book: &Book, rendered: &[RenderedChapter]) -> Vec<BrokenLink> {
    (0..book.chapters.len())
        .flat_map(|i| broken_in_chapter(book, rendered, i))
        .collect()
}

/// The broken links of chapter `index`.
pub fn broken_in_chapter(
    book: &Book,
    rendered: &[RenderedChapter],
    index: usize,
) -> Vec<BrokenLink> {
    let has_id = |i: usize, id: &str| rendered[i].toc.iter().any(|t| t.id == id);
    let chapter_index = |source: &str| book.chapters.iter().position(|c| c.source == source);
    let mut found = Vec::new();
    for link in &rendered[index].links {
        let (rule, problem) = match &link.target {
            LinkTarget::MissingChapter { path } => {
                (rules::MISSING_CHAPTER, format!("no chapter `{path}`"))
            }
            LinkTarget::MissingAsset { path } => (
                rules::MISSING_ASSET,
                format!("no file `{path}` in the content directory"),
            ),
            LinkTarget::OutsideContent => (
                rules::OUTSIDE_CONTENT,
                "it points outside the content directory".to_owned(),
            ),
            LinkTarget::SamePage { fragment } if !has_id(index, fragment) => (
                rules::MISSING_ANCHOR,
                format!("no heading `#{fragment}` in this chapter"),
            ),
            LinkTarget::Chapter {
                source,
                fragment: Some(fragment),
            } if chapter_index(source).is_some_and(|target| !has_id(target, fragment)) => (
                rules::MISSING_ANCHOR,
                format!("no heading `#{fragment}` in `{source}`"),
            ),
            _ => continue,
        };
        found.push(BrokenLink {
            file: book.chapters[index].file.clone(),
            link: link.clone(),
            rule,
            problem,
        });
    }
    found
}

/// The ids under which `coursebook check` (and the build) report broken links.
pub mod rules {
    /// A link to a `.md` file that is not a chapter.
    pub const MISSING_CHAPTER: &str = "link-missing-chapter";
    /// A `#fragment` that matches no heading of its chapter.
    pub const MISSING_ANCHOR: &str = "link-missing-anchor";
    /// A link or image to a file that is not in the content directory.
    pub const MISSING_ASSET: &str = "link-missing-asset";
    /// A relative link that climbs out of the content directory.
    pub const OUTSIDE_CONTENT: &str = "link-outside-content";
}

/// Resolves the links of the chapter at `source` (whose markdown is `body`), giving links into
/// the site a [`Role::SiteLink`] from which emission makes each page's URL.
pub fn resolve(
    ir: &mut ChapterIr,
    body: &str,
    source: &str,
    outputs: &BTreeMap<String, String>,
) -> Vec<Link> {
    let mut links = Vec::new();
    let base_dir = source.rsplit_once('/').map_or("", |(dir, _)| dir);
    for i in 0..ir.nodes.len() {
        let (dest, image) = match &mut ir.nodes[i].event {
            Event::Start(Tag::Link { dest_url, .. }) => (as_browsers_read(dest_url), false),
            Event::Start(Tag::Image { dest_url, .. }) => (as_browsers_read(dest_url), true),
            _ => continue,
        };
        let (target, site_path) = classify(&dest, base_dir, outputs);
        if let Some(output) = site_path {
            ir.nodes[i].role = Role::SiteLink {
                chapter: matches!(target, LinkTarget::Chapter { .. }),
                output,
                fragment: dest.split_once('#').map(|(_, f)| f.to_owned()),
            };
        } else if let LinkTarget::SamePage { fragment } = &target {
            ir.nodes[i].role = Role::SamePage(fragment.clone());
        }
        let position = ir.position(body, ir.nodes[i].span.start);
        links.push(Link {
            dest,
            target,
            image,
            line: position.line,
            column: position.column,
        });
    }
    links
}

/// `url` as a browser reads it (the URL standard drops tabs and line breaks anywhere and
/// control characters and spaces at either end), written back so that the page's `href` is
/// what the build and `coursebook check` judged: `java\tscript:` is `javascript:`.
fn as_browsers_read(url: &mut pulldown_cmark::CowStr<'static>) -> String {
    let read: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if read != url.as_ref() {
        *url = pulldown_cmark::CowStr::from(read.clone());
    }
    read
}

/// The target of `dest`, and its output path in the site when it points inside the book.
fn classify(
    dest: &str,
    base_dir: &str,
    outputs: &BTreeMap<String, String>,
) -> (LinkTarget, Option<String>) {
    if let Some(fragment) = dest.strip_prefix('#') {
        let fragment = fragment.to_owned();
        return (LinkTarget::SamePage { fragment }, None);
    }
    if is_external(dest) {
        return (LinkTarget::External, None);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    // `my%20lesson.md` names the file `my lesson.md`.
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let Some(resolved) = normalize(base_dir, &path) else {
        return (LinkTarget::OutsideContent, None);
    };
    let chapter_source = if resolved.is_empty() || path.ends_with('/') {
        Some(join(&resolved, SECTION_INDEX))
    } else if resolved.ends_with(".md") {
        Some(resolved.clone())
    } else {
        None
    };
    match chapter_source {
        Some(source) => match outputs.get(&source) {
            Some(output) => (
                LinkTarget::Chapter { source, fragment },
                Some(output.clone()),
            ),
            None => (LinkTarget::MissingChapter { path: source }, None),
        },
        None => match outputs.get(&resolved) {
            Some(output) => (LinkTarget::Asset { path: resolved }, Some(output.clone())),
            None => (LinkTarget::MissingAsset { path: resolved }, None),
        },
    }
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, with no `/` before it.
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins `path` onto `base_dir` and folds `.` and `..`; `None` if it leaves the root.
/// A leading `/` means the content root.
fn normalize(base_dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let start = if path.starts_with('/') { "" } else { base_dir };
    for part in start.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> BTreeMap<String, String> {
        [
            ("_index.md", "index.html"),
            ("01-setup.md", "setup.html"),
            ("days/_index.md", "days/index.html"),
            ("days/02-etcd.md", "days/etcd.html"),
            ("02-days/img/a.png", "days/img/a.png"),
            ("my lesson.md", "my-lesson.html"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
    }

    fn url(dest: &str, base: &str) -> (LinkTarget, Option<String>) {
        classify(dest, base, &outputs())
    }

    #[test]
    fn chapter_links_become_site_relative_html() {
        assert_eq!(
            url("02-etcd.md#backup", "days").1.as_deref(),
            Some("days/etcd.html")
        );
        assert_eq!(
            url("../01-setup.md", "days").1.as_deref(),
            Some("setup.html")
        );
        assert_eq!(url("days/", "").1.as_deref(), Some("days/index.html"));
        assert_eq!(
            url("/days/02-etcd.md", "days").1.as_deref(),
            Some("days/etcd.html")
        );
    }

    #[test]
    fn escaped_and_bracketed_paths_name_the_file() {
        assert_eq!(
            url("my%20lesson.md", "").1.as_deref(),
            Some("my-lesson.html")
        );
        assert_eq!(
            url("../my lesson.md", "days").1.as_deref(),
            Some("my-lesson.html")
        );
    }

    #[test]
    fn other_targets_are_classified() {
        assert_eq!(url("https://k8s.io", "").0, LinkTarget::External);
        assert_eq!(url("mailto:a@b", "").0, LinkTarget::External);
        assert_eq!(
            url("#x", "").0,
            LinkTarget::SamePage {
                fragment: "x".to_owned()
            }
        );
        assert_eq!(
            url("nope.md", "days").0,
            LinkTarget::MissingChapter {
                path: "days/nope.md".to_owned()
            }
        );
        assert_eq!(url("../../x.png", "days").0, LinkTarget::OutsideContent);
        let (target, rewritten) = url("img/a.png", "02-days");
        assert_eq!(
            target,
            LinkTarget::Asset {
                path: "02-days/img/a.png".to_owned()
            }
        );
        assert_eq!(rewritten.as_deref(), Some("days/img/a.png"));
        assert_eq!(
            url("img/nope.png", "02-days").0,
            LinkTarget::MissingAsset {
                path: "02-days/img/nope.png".to_owned()
            }
        );
    }
}
