//! Unit tests of the markdown passes, through [`render_chapter`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use super::*;
use crate::book::FrontMatter;

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

fn chapter(source: &str, output: &str, body: &str) -> Chapter {
    Chapter {
        file: PathBuf::from("content").join(source),
        source: source.to_owned(),
        output: output.to_owned(),
        title: "Title".to_owned(),
        front: FrontMatter::default(),
        duration: None,
        body: body.to_owned(),
        body_line: 5,
    }
}

/// A rendered chapter with its page and print HTML.
struct Rendered {
    facts: RenderedChapter,
    html: String,
    print: String,
}

impl std::ops::Deref for Rendered {
    type Target = RenderedChapter;
    fn deref(&self) -> &RenderedChapter {
        &self.facts
    }
}

fn render(source: &str, output: &str, body: &str) -> Rendered {
    render_for(source, output, body, HtmlWanted::PageAndPrint)
}

fn render_for(source: &str, output: &str, body: &str, wanted: HtmlWanted) -> Rendered {
    let outputs: BTreeMap<String, String> = [
        ("_index.md", "index.html"),
        ("01-setup.md", "setup.html"),
        ("days/02-etcd.md", "days/etcd.html"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    let print = PrintLayout::default();
    let cx = PassContext {
        outputs: &outputs,
        highlighter: highlighter(),
        print: &print,
        html: wanted,
    };
    let (facts, html) = render_chapter(&chapter(source, output, body), &cx).expect("renders");
    Rendered {
        facts,
        html: html.page,
        print: html.print,
    }
}

#[test]
fn headings_get_unique_ids_anchors_and_toc_lines() {
    let r = render(
        "a.md",
        "a.html",
        "## Summary\n\ntext\n\n## Summary\n\n### Custom {#mine}\n",
    );
    assert!(r
        .html
        .contains("<h2 id=\"summary\">Summary<a class=\"header-anchor\" href=\"#summary\""));
    assert!(r.html.contains("<h2 id=\"summary-1\">"));
    assert!(r.html.contains("<h3 id=\"mine\">"));
    let ids: Vec<_> = r.toc.iter().map(|t| (t.id.as_str(), t.line)).collect();
    assert_eq!(ids, [("summary", 5), ("summary-1", 9), ("mine", 11)]);
}

#[test]
fn chapter_links_are_relative_to_the_page_depth() {
    let body = "[setup](../01-setup.md) [self](02-etcd.md#x) [web](https://k8s.io) [top](#y)\n";
    let r = render("days/02-etcd.md", "days/etcd.html", body);
    assert!(r.html.contains("href=\"../setup.html\""), "{}", r.html);
    assert!(
        r.html.contains("href=\"../days/etcd.html#x\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"https://k8s.io\""));
    assert!(r.html.contains("href=\"#y\""));
    // On the print page, links between chapters and to headings stay inside the page.
    let print = &r.print;
    assert!(print.contains("href=\"#chapter-setup\""), "{print}");
    assert!(print.contains("href=\"#chapter-days-etcd--x\""), "{print}");
    assert!(print.contains("href=\"#chapter-days-etcd--y\""), "{print}");
    assert!(print.contains("href=\"https://k8s.io\""));
    assert_eq!(r.links.len(), 4);
    assert_eq!((r.links[0].line, r.links[0].column), (5, 1));
}

#[test]
fn code_is_highlighted_with_classes_and_recorded_as_snippets() {
    let body = "text\n\n```bash lint-allow=x\necho \"hi\" | grep h\n```\n\n```yaml\na: 1\n```\n";
    let r = render("a.md", "a.html", body);
    assert!(r
        .html
        .contains("<div class=\"code-block\" data-lang=\"bash\">"));
    assert!(r.html.contains("<code class=\"language-bash\">"));
    assert!(r.html.contains("class=\"hl-"), "{}", r.html);
    assert!(
        r.snippets.is_empty(),
        "only check reads the snippets: a build drops them"
    );
    let r = render_for("a.md", "a.html", body, HtmlWanted::Nothing);
    assert_eq!(r.snippets.len(), 2);
    assert_eq!(r.snippets[0].lang, "bash");
    assert_eq!(r.snippets[0].info, "bash lint-allow=x");
    assert_eq!(r.snippets[0].code, "echo \"hi\" | grep h\n");
    assert_eq!(r.snippets[0].line, 8, "file line of the code's first line");
    assert_eq!(r.snippets[1].lang, "yaml");
}

#[test]
fn every_advertised_language_is_known() {
    for lang in ["bash", "sh", "shell", "yaml", "yml", "json", "toml", "rust"] {
        assert!(
            highlighter().highlight(lang, "a = 1\n").contains("hl-"),
            "{lang} has no syntax"
        );
    }
    assert_eq!(highlighter().highlight("text", "<a>\n"), "&lt;a&gt;\n");
    assert_eq!(highlighter().highlight("nonsense", "x\n"), "x\n");
}

#[test]
fn console_sessions_mark_commands_prompts_and_output() {
    let html = highlighter().highlight("console", "$ kubectl get \\\n  pods\nNAME READY\n");
    let lines: Vec<_> = html.lines().collect();
    assert!(lines[0].starts_with("<span class=\"cmd-line\"><span class=\"prompt\">$ </span>"));
    assert!(
        lines[1].starts_with("<span class=\"cmd-line\">"),
        "continuation: {}",
        lines[1]
    );
    assert_eq!(lines[2], "<span class=\"output-line\">NAME READY</span>");
    // A bash block written with prompts is a session too; one without is not.
    assert!(highlighter()
        .highlight("bash", "$ ls\n")
        .contains("cmd-line"));
    assert!(!highlighter().highlight("bash", "ls\n").contains("cmd-line"));
}

#[test]
fn admonitions_become_titled_boxes() {
    let r = render(
        "a.md",
        "a.html",
        "> [!WARNING]\n> Destroys data.\n\n> plain quote\n",
    );
    assert!(r
        .html
        .contains("<div class=\"admonition warning\" role=\"note\">"));
    assert!(r.html.contains("<p class=\"admonition-title\">Warning</p>"));
    assert!(r.html.contains("<blockquote>"), "plain quotes stay quotes");
}

#[test]
fn details_blocks_keep_their_markdown() {
    let body = "<details>\n<summary>Answer</summary>\n\n**bold**\n\n</details>\n";
    let r = render("a.md", "a.html", body);
    assert!(r.html.contains("<details>"));
    assert!(r.html.contains("<strong>bold</strong>"));
}

#[test]
fn search_text_is_grouped_by_heading_with_code_apart() {
    let body = "Intro words.\n\n## Backup `etcd`\n\nTake a snapshot.\n\n```bash\netcdctl snapshot \\\n  save\n```\n\n## Only code\n\n```yaml\nkind: Pod\n```\n";
    let r = render("a.md", "a.html", body);
    assert_eq!(r.search_text[0].id, None);
    assert_eq!(r.search_text[0].text, "Intro words.");
    assert_eq!(r.search_text[1].id.as_deref(), Some("backup-etcd"));
    assert_eq!(r.search_text[1].heading, "Backup etcd");
    assert_eq!(r.search_text[1].text, "Take a snapshot.");
    assert_eq!(r.search_text[1].code, "etcdctl snapshot \\ save");
    assert_eq!(r.search_text[2].text, "");
    assert_eq!(r.search_text[2].code, "kind: Pod");
    assert!(!r.search_text[2].question);
}

#[test]
fn highlight_css_scopes_the_dark_theme() {
    let css = Highlighter::css();
    assert!(css.contains(":root[data-theme=\"dark\"] .code .hl-"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(!css.contains(":root[data-theme=\"dark\"] /*"));
}

#[test]
fn print_emission_prefixes_heading_ids_and_anchors() {
    let r = render("a.md", "a.html", "## Intro\n\n![pic](img.png)\n");
    let print = &r.print;
    assert!(print.contains("<h2 id=\"chapter-a--intro\">"), "{print}");
    assert!(print.contains("href=\"#chapter-a--intro\""), "{print}");
    assert!(r.html.contains("<h2 id=\"intro\">"));
    assert_eq!(print_id("days/etcd.html"), "chapter-days-etcd");
}
