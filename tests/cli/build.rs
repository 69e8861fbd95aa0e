//! Successful builds: the site's files, links, pages, determinism and the shipped course.

use crate::support::{repo_root, run_in, tree, BookTest};

fn main_element(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn builds_every_page_and_support_file() {
    let t = BookTest::new("basic");
    let run = t.build();
    assert!(
        run.stdout().contains("Built 5 pages (24 files)"),
        "{}",
        run.stdout()
    );
    for file in [
        "index.html",
        "days/index.html",
        "days/first.html",
        "days/second.html",
        "extra/notes.html",
        "print.html",
        "contents.html",
        "nav.js",
        "404.html",
        ".nojekyll",
        ".coursebook-site",
        "static/book.css",
        "static/book.js",
        "static/highlight.css",
        "static/search-panel.js",
        "static/coursebook-search-wasm.js",
        "static/favicon.svg",
        "extra/img/diagram.svg",
    ] {
        assert!(t.site().join(file).is_file(), "missing {file}");
    }
    assert!(
        !t.site().join("sitemap.xml").exists(),
        "no sitemap without site-url"
    );
}

#[test]
fn every_url_is_relative_so_file_urls_work() {
    let t = BookTest::new("basic");
    t.build();
    let day = t.read_site("days/first.html");
    assert!(day.contains("href=\"../static/book.css\""));
    assert!(day.contains("src=\"../static/book.js\""));
    assert!(
        day.contains("href=\"../days/second.html\""),
        "chapter link rewritten"
    );
    assert!(day.contains("href=\"../index.html\""), "link to _index.md");
    let home = t.read_site("index.html");
    assert!(home.contains("href=\"days/second.html#take-a-backup\""));
    assert!(home.contains("src=\"extra/img/diagram.svg\""));
    for (name, bytes) in tree(&t.site()) {
        if name.ends_with(".html") && name != "404.html" {
            let html = String::from_utf8(bytes).expect("utf-8");
            assert!(
                !html.contains("href=\"/"),
                "{name} has a root-absolute href"
            );
            assert!(!html.contains("src=\"/"), "{name} has a root-absolute src");
            assert!(!html.contains(".md\""), "{name} still links a .md file");
        }
    }
}

#[test]
fn pages_have_sidebar_pager_toc_meta_and_admonitions() {
    let t = BookTest::new("basic");
    t.build();
    let day = t.read_site("days/first.html");
    assert!(day.contains("<a href=\"../days/first.html\" class=\"active\" aria-current=\"page\">"));
    assert!(
        day.contains("<li><a href=\"../days/index.html\">The days</a></li>"),
        "the trail"
    );
    assert!(day.contains("<a href=\"../contents.html\">All chapters</a>"));
    assert!(day.contains("data-root=\"../\" data-current=\"days/first.html\""));
    assert!(day.contains("<script src=\"../nav.js\"></script>"));
    let nav = t.read_site("nav.js");
    assert!(
        nav.contains(r#"["The days","days/index.html",[["Day 1: First steps","days/first.html"]"#),
        "{nav}"
    );
    let contents = t.read_site("contents.html");
    for link in [
        "index.html",
        "days/index.html",
        "days/second.html",
        "extra/notes.html",
    ] {
        assert!(contents.contains(&format!("<a href=\"{link}\">")), "{link}");
    }
    assert!(day.contains("rel=\"prev\" href=\"../days/index.html\""));
    assert!(day.contains("rel=\"next\" href=\"../days/second.html\""));
    assert!(day.contains("<span class=\"day-badge\">Day 1</span>"));
    assert!(day.contains("1 h 30 min"));
    assert!(day.contains("<li>Run a command</li>"));
    assert!(day.contains("<li class=\"toc-h2\"><a href=\"#run-it-1\">Run it</a></li>"));
    assert!(day.contains("<div class=\"admonition warning\" role=\"note\">"));
    assert!(day.contains("<span class=\"prompt\">$ </span>"));
    assert!(day.contains("<span class=\"output-line\">etcd-master         1/1</span>"));
    assert!(day.contains("<title>Day 1: First steps · Fixture Course</title>"));
    let notes = t.read_site("extra/notes.html");
    assert!(notes.contains("<h1 class=\"chapter-title\">Notes</h1>"));
    assert!(notes.contains("language-toml") && notes.contains("language-json"));
}

#[test]
fn main_element_snapshot() {
    let t = BookTest::new("basic");
    t.build();
    insta::assert_snapshot!(
        "day_two_main",
        main_element(&t.read_site("days/second.html"))
    );
}

#[test]
fn print_page_holds_every_chapter_in_order_with_root_links() {
    let t = BookTest::new("basic");
    t.build();
    let print = t.read_site("print.html");
    let positions: Vec<usize> = [
        "Welcome",
        "The days",
        "Day 1: First steps",
        "Day 2: Second steps",
        "Notes",
    ]
    .iter()
    .map(|title| {
        print
            .find(&format!("<h1 class=\"chapter-title\">{title}</h1>"))
            .unwrap_or_else(|| panic!("{title} missing from print.html"))
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "order: {positions:?}"
    );
    assert!(print.contains("<body class=\"print-page\" data-book=\""));
    // Links between chapters point inside the print page; ids stay unique across chapters.
    assert!(print.contains("href=\"#chapter-days-second--take-a-backup\""));
    assert!(print.contains("<h2 id=\"chapter-days-second--take-a-backup\">"));
    assert!(print.contains("<article class=\"chapter print-chapter\" id=\"chapter-days-first\">"));
    assert!(
        print.contains("src=\"extra/img/diagram.svg\""),
        "assets from the root"
    );
    let mut ids: Vec<&str> = print
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids in print.html");
}

#[test]
fn site_url_adds_sitemap_canonical_links_and_an_absolute_404() {
    let t = BookTest::new("basic");
    t.run(&["build", "--site-url", "https://user.github.io/course"])
        .success();
    let sitemap = t.read_site("sitemap.xml");
    assert!(sitemap.contains("<loc>https://user.github.io/course/</loc>"));
    assert!(sitemap.contains("<loc>https://user.github.io/course/days/first.html</loc>"));
    assert!(sitemap.contains("<loc>https://user.github.io/course/days/</loc>"));
    let day = t.read_site("days/first.html");
    assert!(day.contains(
        "<link rel=\"canonical\" href=\"https://user.github.io/course/days/first.html\">"
    ));
    let not_found = t.read_site("404.html");
    assert!(not_found.contains("href=\"https://user.github.io/course/contents.html\""));
    assert!(not_found.contains("<script src=\"https://user.github.io/course/nav.js\">"));
    assert!(not_found.contains("<style>"), "CSS inlined for any depth");
    assert!(!not_found.contains("rel=\"stylesheet\""));
}

#[test]
fn theme_files_in_the_book_override_the_defaults() {
    let t = BookTest::new("theme-override");
    t.build();
    let home = t.read_site("index.html");
    assert!(
        home.contains("<div class=\"custom-page\">Only page: <p>Hello.</p>"),
        "{home}"
    );
    assert!(
        home.contains("id=\"theme-toggle\""),
        "base.html still the default"
    );
    assert_eq!(
        t.read_site("static/book.css"),
        "body { color: rebeccapurple; }\n"
    );
    assert_eq!(t.read_site("static/logo.txt"), "logo\n");
    assert!(
        t.read_site("static/book.js").contains("coursebook"),
        "default JS kept"
    );
    assert!(home.contains("<p class=\"site-url\">none</p>"));
    assert!(
        home.contains("<footer class=\"custom-footer\">Themed footer</footer>"),
        "partials load"
    );
    assert!(
        !t.site().join("static/footer.html").exists(),
        "templates are not copied"
    );
    t.run(&["build", "--site-url", "https://x.io/c"]).success();
    let home = t.read_site("index.html");
    assert!(
        home.contains("<p class=\"site-url\">https://x.io/c/</p>"),
        "{home}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let t = BookTest::new("basic");
    let a = t.scratch().join("a");
    let b = t.scratch().join("b");
    t.run(&["build", "--dest-dir", a.to_str().expect("utf-8")])
        .success();
    t.run(&["build", "--dest-dir", b.to_str().expect("utf-8")])
        .success();
    let (first, second) = (tree(&a), tree(&b));
    assert!(first.len() > 10);
    assert_eq!(first.len(), second.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in first.iter().zip(&second) {
        assert_eq!(name_a, name_b);
        assert!(bytes_a == bytes_b, "{name_a} differs between builds");
    }
}

#[test]
fn rebuilding_replaces_the_site_and_leaves_no_staging_behind() {
    let t = BookTest::new("basic");
    t.build();
    std::fs::remove_file(t.path("content/02-extra/01-notes.md")).expect("rm");
    t.build();
    assert!(
        !t.site().join("extra/notes.html").exists(),
        "stale page removed"
    );
    let stray: Vec<_> = std::fs::read_dir(t.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".coursebook"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_shipped_course_builds_with_fourteen_days() {
    let dest = tempfile::tempdir().expect("tmp");
    let site = dest.path().join("site");
    let root = repo_root();
    run_in(
        &root,
        &["build", "--dest-dir", site.to_str().expect("utf-8")],
    )
    .success();
    let home = std::fs::read_to_string(site.join("index.html")).expect("index.html");
    for day in 1..=14 {
        assert!(
            home.contains(&format!(">Day {day}: ")),
            "sidebar lacks Day {day}"
        );
    }
    assert!(home.contains(">Lab Setup</a>"));
    assert!(home.contains("Deep interview questions"));
    let interview = std::fs::read_dir(site.join("interview"))
        .expect("interview/")
        .count();
    assert_eq!(interview, 6, "five questions and the section page");
    for (name, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        for mojibake in ["‚Ä", "√", "üß", "Ô∏"] {
            assert!(
                !text.contains(mojibake),
                "{name} contains mojibake {mojibake:?}"
            );
        }
    }
    let print = std::fs::read_to_string(site.join("print.html")).expect("print.html");
    assert!(print.find("Day 1: ").expect("day 1") < print.find("Day 14: ").expect("day 14"));
}

#[test]
fn broken_links_fail_the_build_with_file_line_and_rule_unless_book_toml_relaxes_them() {
    let t = BookTest::new("basic");
    t.write(
        "content/02-extra/02-broken.md",
        "Intro\n\nSee [gone](nope.md), [anchor](../01-days/02-second.md#nowhere) and [ok](#here).\n\n## Here\n",
    );
    let stderr = t
        .run(&["build"])
        .failure(&[
            "02-broken.md:3:5: broken link `nope.md`",
            "[link-missing-chapter]",
            "no heading `#nowhere`",
            "2 broken links",
        ])
        .stderr();
    assert!(!stderr.contains("`#here`"), "{stderr}");
    assert!(!t.site().exists(), "a failed build writes nothing");
    let toml = std::fs::read_to_string(t.path("book.toml")).expect("book.toml");
    t.write(
        "book.toml",
        format!("{toml}\n[check.rules]\nlink-missing-chapter = \"warning\"\nlink-missing-anchor = \"off\"\n"),
    );
    let stderr = t.build().stderr();
    assert!(stderr.contains("broken link `nope.md`"), "{stderr}");
    assert!(!stderr.contains("#nowhere"), "{stderr}");
}

/// Bytes of `bytes` gzipped at level 9, as a server sends them.
fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).expect("gzip");
    gzip.finish().expect("gzip").len()
}

#[test]
fn a_course_quiz_page_loads_under_100_kb_of_scripts_with_its_navigation() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dest = tmp.path().join("site");
    run_in(
        &repo_root(),
        &["build", "--dest-dir", dest.to_str().expect("utf-8")],
    )
    .success();
    let page = std::fs::read_to_string(dest.join("days/etcd.html")).expect("a quiz page");
    assert!(page.contains("class=\"quiz\""));
    let mut scripts: Vec<String> = page
        .match_indices("<script src=\"")
        .filter_map(|(at, tag)| page[at + tag.len()..].split('"').next())
        .map(|src| src.trim_start_matches("../").to_owned())
        .collect();
    assert!(scripts.contains(&"nav.js".to_owned()), "{scripts:?}");
    // quiz.js adds the quiz bundle as the page loads.
    scripts.push("static/coursebook-wasm.js".to_owned());
    let total: usize = scripts
        .iter()
        .map(|s| gzipped(&std::fs::read(dest.join(s)).expect("script")))
        .sum();
    assert!(total < 100_000, "{total} bytes gzipped: {scripts:?}");
}
