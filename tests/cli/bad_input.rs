//! Bad input: each case exits non-zero, names the file (and line), and writes or deletes nothing.

use crate::support::{tree, BookTest};

/// Builds once so there is a previous site, writes `contents` to `rel`, then checks that the
/// failing build names the problem and leaves the previous site untouched.
fn assert_breaking_edit_keeps_site(t: &BookTest, rel: &str, contents: &[u8], needles: &[&str]) {
    t.build();
    let before = tree(&t.site());
    t.write(rel, contents);
    t.run(&["build"]).failure(needles);
    assert!(tree(&t.site()) == before, "the previous site changed");
    let stray = std::fs::read_dir(t.root())
        .expect("ls")
        .filter(|e| {
            let name = e.as_ref().expect("entry").file_name();
            name.to_string_lossy().starts_with(".coursebook")
        })
        .count();
    assert_eq!(stray, 0, "a staging directory was left behind");
}

#[test]
fn malformed_book_toml_names_file_and_line() {
    let t = BookTest::new("basic");
    t.write("book.toml", "[book]\ntitle = \"Unclosed\n");
    t.run(&["build"])
        .failure(&["book.toml:2:", "invalid book.toml"]);
    assert!(!t.site().exists(), "nothing written");
}

#[test]
fn unknown_book_toml_key_names_the_key_file_and_line() {
    let t = BookTest::new("basic");
    t.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[build]\ncontent-dir = \"content\"\noutput = \"x\"\n",
    );
    t.run(&["build"])
        .failure(&["book.toml:6:1", "unknown field `output`"]);
    assert!(!t.site().exists());
}

#[test]
fn missing_book_toml_says_how_to_start() {
    let t = BookTest::new("basic");
    std::fs::remove_file(t.path("book.toml")).expect("rm");
    t.run(&["build"]).failure(&["book.toml", "coursebook init"]);
}

#[test]
fn malformed_front_matter_names_file_and_line() {
    let t = BookTest::new("basic");
    let edit = b"+++\ntitle = \"Day 2\"\nday = \"two\"\n+++\nBody\n";
    let needles = ["02-second.md:3:", "invalid front matter"];
    assert_breaking_edit_keeps_site(&t, "content/01-days/02-second.md", edit, &needles);
}

#[test]
fn unknown_front_matter_key_is_refused() {
    let t = BookTest::new("basic");
    let edit = b"+++\ntitle = \"x\"\nweight = 2\n+++\n";
    let needles = ["02-second.md:3:1", "unknown field `weight`"];
    assert_breaking_edit_keeps_site(&t, "content/01-days/02-second.md", edit, &needles);
}

#[test]
fn unclosed_front_matter_is_refused() {
    let t = BookTest::new("basic");
    let edit = b"+++\ntitle = \"x\"\n\nBody\n";
    let needles = ["01-first.md:1:1", "never closed"];
    assert_breaking_edit_keeps_site(&t, "content/01-days/01-first.md", edit, &needles);
}

#[test]
fn non_utf8_chapter_names_file_and_line() {
    let t = BookTest::new("basic");
    let edit = b"line one\ncaf\xe9 au lait\n";
    let needles = ["01-notes.md:2:4", "not valid UTF-8"];
    assert_breaking_edit_keeps_site(&t, "content/02-extra/01-notes.md", edit, &needles);
}

#[test]
fn unreadable_chapter_names_the_file() {
    let t = BookTest::new("basic");
    // A dangling symlink cannot be read even by root, unlike a chmod 000 file.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/target.md", t.path("content/03-broken.md"))
        .expect("symlink");
    #[cfg(unix)]
    assert_build_fails_writing_nothing(&t, &["03-broken.md", "cannot read"]);
}

/// For books that cannot build at all: the failure writes no site.
fn assert_build_fails_writing_nothing(t: &BookTest, needles: &[&str]) {
    t.run(&["build"]).failure(needles);
    assert!(!t.site().exists(), "a site was written");
}

#[test]
fn missing_content_directory_is_named() {
    let t = BookTest::new("basic");
    std::fs::remove_dir_all(t.path("content")).expect("rm");
    assert_build_fails_writing_nothing(&t, &["content", "content directory not found"]);
}

#[test]
fn template_error_in_a_theme_override_names_file_and_line() {
    let t = BookTest::new("theme-override");
    t.write(
        "theme/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    assert_build_fails_writing_nothing(&t, &["theme/page.html:3:", "template error"]);
}

#[test]
fn template_render_error_names_the_override() {
    let t = BookTest::new("theme-override");
    t.write(
        "theme/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ no_such_variable }}{% endblock main %}\n",
    );
    assert_build_fails_writing_nothing(&t, &["theme/page.html", "no_such_variable"]);
}

#[test]
fn dest_dir_that_is_the_book_root_is_refused_before_deleting_anything() {
    let t = BookTest::new("basic");
    let before = tree(&t.root());
    t.run(&["build", "--dest-dir", "."])
        .failure(&["refusing", "book root"]);
    assert!(tree(&t.root()) == before, "the book was touched");
}

#[test]
fn dest_dir_inside_content_is_refused_before_deleting_anything() {
    let t = BookTest::new("basic");
    let before = tree(&t.root());
    t.run(&["build", "--dest-dir", "content/01-days"])
        .failure(&["refusing", "content directory"]);
    t.run(&["build", "--dest-dir", "content/new"])
        .failure(&["refusing", "content directory"]);
    assert!(tree(&t.root()) == before, "the book was touched");
    assert!(!t.path("content/new").exists());
}

#[test]
fn dest_dir_holding_foreign_files_is_refused() {
    let t = BookTest::new("basic");
    t.write("book/notes.txt", "not a site");
    t.run(&["build"]).failure(&["refusing", ".coursebook-site"]);
    assert!(t.site().join("notes.txt").is_file());
}

#[test]
fn dest_dir_that_is_a_file_is_refused() {
    let t = BookTest::new("basic");
    t.write("out", "a file");
    t.run(&["build", "--dest-dir", "out"])
        .failure(&["refusing", "not a directory"]);
}

#[test]
fn invalid_site_url_is_refused() {
    let t = BookTest::new("basic");
    t.run(&["build", "--site-url", "user.github.io"])
        .failure(&["site-url", "https://"]);
}
