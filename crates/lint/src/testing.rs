//! Test support: a temporary book made from markdown strings, loaded the way the build loads it.

use std::path::Path;

use coursebook_site::markdown::Highlighter;
use coursebook_site::{Config, Site};

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;

/// A book on disk with these `(path inside content/, markdown)` files, and `book_toml` appended
/// to a minimal `[book]` table. The directory lives as long as the returned guard.
pub(crate) fn site_with(files: &[(&str, &str)], book_toml: &str) -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"T\"\n{book_toml}"),
    )
    .expect("write book.toml");
    for (path, text) in files {
        let file = root.join("content").join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(file, text).expect("write chapter");
    }
    let config = Config::load(root).expect("valid book.toml");
    let site = Site::load(config, &Highlighter::new()).expect("book loads");
    (dir, site)
}

/// The findings of every per-chapter rule on a one-chapter book holding `markdown`.
pub(crate) fn check_markdown(markdown: &str) -> Vec<Diagnostic> {
    let (_dir, site) = site_with(&[("index.md", markdown)], "");
    (0..site.book.chapters.len())
        .flat_map(|i| crate::engine::check_chapter(&ChapterCx::new(&site, i)))
        .collect()
}

/// The rule ids `check_markdown` reports, in order.
pub(crate) fn rules_in(markdown: &str) -> Vec<&'static str> {
    check_markdown(markdown).iter().map(|d| d.rule).collect()
}
