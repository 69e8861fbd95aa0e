//! Scale: a chapter page's bytes (and the navigation inlined in it) do not grow with the number
//! of chapters, the site's bytes per chapter stay flat from 500 to 2,000 chapters, and no file
//! of a large site grows without bound.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::run_in;

/// Chapters per part (a top-level section) of the generated books.
const PER_PART: usize = 100;

/// A book of `chapters` chapters in parts of [`PER_PART`], written under `dir`. Chapter `i` has
/// the same text whatever the size of the book, and every title has the same length.
fn write_book(dir: &Path, chapters: usize) {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Scale\"\n").expect("book.toml");
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Home\"\n+++\n\nStart.\n",
    )
    .expect("home");
    for part in 0..chapters.div_ceil(PER_PART) {
        let folder = content.join(format!("{:03}-part-{part:03}", part + 1));
        std::fs::create_dir_all(&folder).expect("mkdir");
        let index = format!("+++\ntitle = \"Part {part:03}\"\n+++\n\nPart {part:03}.\n");
        std::fs::write(folder.join("_index.md"), index).expect("part");
    }
    let path = |i: usize| {
        format!(
            "{:03}-part-{:03}/{i:05}-c{i:05}.md",
            i / PER_PART + 1,
            i / PER_PART
        )
    };
    for i in 0..chapters {
        let next = format!("../{}", path((i + 1) % chapters));
        std::fs::write(content.join(path(i)), chapter(i, &next)).expect("chapter");
    }
}

fn chapter(i: usize, next: &str) -> String {
    let mut text = format!("+++\ntitle = \"Chapter {i:05}\"\n+++\n\n## Overview\n\n");
    for s in 0..12 {
        text.push_str(&format!(
            "Sentence {s} of chapter {i:05} about pods, nodes and the scheduler. "
        ));
    }
    text.push_str(&format!(
        "\n\nRead [the next chapter]({next}) too.\n\n```bash\n"
    ));
    for l in 0..15 {
        text.push_str(&format!(
            "kubectl get pods -n team-{l} -o wide --selector app=web-{i:05}\n"
        ));
    }
    text.push_str("```\n\n```yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n```\n");
    text
}

/// A built book: its site folder (the temporary folder lives as long as the test binary).
struct Built {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    chapters: usize,
}

fn build(chapters: usize) -> Built {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let book = tmp.path().join("book");
    write_book(&book, chapters);
    run_in(&book, &["build", "-q"]).success();
    let site = book.join("book");
    Built {
        _tmp: tmp,
        site,
        chapters,
    }
}

fn built(chapters: usize) -> &'static Built {
    static SMALL: OnceLock<Built> = OnceLock::new();
    static MEDIUM: OnceLock<Built> = OnceLock::new();
    static LARGE: OnceLock<Built> = OnceLock::new();
    let cell = match chapters {
        50 => &SMALL,
        500 => &MEDIUM,
        _ => &LARGE,
    };
    cell.get_or_init(|| build(chapters))
}

/// Every file of `dir` with its size.
fn sizes(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("list") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                found.push((entry.path(), meta.len()));
            }
        }
    }
    found
}

/// The bytes of `<nav id="sidebar">…</nav>` in `page`.
fn sidebar_bytes(page: &str) -> usize {
    let start = page.find("<nav id=\"sidebar\"").expect("sidebar");
    let end = page[start..].find("</nav>").expect("end of sidebar");
    end + "</nav>".len()
}

#[test]
fn a_chapter_page_does_not_grow_with_the_number_of_chapters() {
    // Chapter 20 has the same text and the same neighbours in both books.
    let page = |b: &Built| {
        std::fs::read_to_string(b.site.join("part-000/c00020.html")).expect("chapter page")
    };
    let (small, large) = (page(built(50)), page(built(500)));
    assert!(
        large.len() <= small.len() + 64,
        "a page of the 500-chapter book is {} bytes, of the 50-chapter book {}",
        large.len(),
        small.len()
    );
    let (nav_small, nav_large) = (sidebar_bytes(&small), sidebar_bytes(&large));
    assert!(
        nav_large <= nav_small + 64,
        "navigation: {nav_small} -> {nav_large} bytes"
    );
    assert!(
        nav_large < 3_000,
        "a page inlines {nav_large} bytes of navigation"
    );
    // The whole list is in one shared file instead.
    let nav = std::fs::read_to_string(built(500).site.join("nav.js")).expect("nav.js");
    assert_eq!(nav.matches("\"part-").count(), 500 + 5);
}

#[test]
fn bytes_per_chapter_stay_flat_and_no_file_grows_without_bound() {
    let per_chapter = |b: &Built| {
        let total: u64 = sizes(&b.site).iter().map(|(_, n)| n).sum();
        total as f64 / b.chapters as f64
    };
    let (medium, large) = (built(500), built(2_000));
    let (a, b) = (per_chapter(medium), per_chapter(large));
    assert!(
        (b - a).abs() / a <= 0.15,
        "{a:.0} bytes per chapter at 500 chapters, {b:.0} at 2,000"
    );
    for (path, size) in sizes(&large.site) {
        assert!(size < 25 << 20, "{} is {size} bytes", path.display());
    }
    assert!(
        large.site.join("print-20.html").is_file(),
        "printed by part"
    );
    let index = std::fs::read_to_string(large.site.join("print.html")).expect("print.html");
    assert!(
        index.contains("href=\"print-1.html\""),
        "print.html lists the parts"
    );
}
