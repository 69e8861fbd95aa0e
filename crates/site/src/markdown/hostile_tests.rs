//! Generated hostile markdown through the one parse and every pass: deep nesting, long lines,
//! many repeats and random splices of every construct the passes read. Rendering never panics
//! (on a 2 MiB thread stack, as rayon's workers have), takes time in proportion to the text,
//! and writes HTML in proportion to it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::*;
use crate::book::FrontMatter;

/// Loading the syntaxes takes longer than most bodies here: once for every case.
fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

/// Renders `body` as a chapter on a small stack: the size of the page HTML, or the error.
fn render_size(body: String) -> std::thread::Result<Result<usize, String>> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let chapter = Chapter {
                file: PathBuf::from("content/a.md"),
                source: "a.md".to_owned(),
                output: "a.html".to_owned(),
                title: "Title".to_owned(),
                front: FrontMatter::default(),
                duration: None,
                body,
                body_line: 1,
            };
            let outputs: BTreeMap<String, String> =
                [("a.md".to_owned(), "a.html".to_owned())].into();
            let print = PrintLayout::default();
            let cx = PassContext {
                outputs: &outputs,
                highlighter: highlighter(),
                print: &print,
                html: HtmlWanted::PageAndPrint,
            };
            render_chapter(&chapter, &cx)
                .map(|(_, html)| html.page.len() + html.print.len())
                .map_err(|err| err.to_string())
        })
        .expect("spawn")
        .join()
}

fn assert_bounded(body: String) {
    let len = body.len();
    let head: String = body.chars().take(60).collect();
    let started = Instant::now();
    let result = render_size(body);
    let elapsed = started.elapsed();
    let Ok(result) = result else {
        panic!("panicked on {head:?} ({len} bytes)");
    };
    assert!(elapsed < Duration::from_secs(10), "{head:?}: {elapsed:?}");
    if let Ok(size) = result {
        assert!(
            size < 200 * len + 100_000,
            "{head:?}: {size} bytes of HTML from {len}"
        );
    }
}

#[test]
fn deep_nesting_long_lines_and_repeats_render_within_bounds() {
    let deep = 20_000;
    let bodies = vec![
        "> ".repeat(deep) + "x\n",
        "- ".repeat(deep) + "x\n",
        "1. ".repeat(deep) + "x\n",
        "* ".repeat(deep) + "x\n",
        (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        "*".repeat(deep) + "x" + &"*".repeat(deep),
        "_a ".repeat(deep),
        "[".repeat(deep) + "x" + &"](y)".repeat(deep),
        "![".repeat(deep) + "x",
        "<".repeat(deep),
        "`".repeat(deep),
        "## a {#x}\n\n".repeat(5_000),
        "## Same\n\n".repeat(20_000),
        "[a](#nowhere) ".repeat(20_000),
        "[a](b.md#c) [d](../e.png) <https://x.org/#f> ".repeat(5_000),
        "x".repeat(2_000_000),
        "é→".repeat(300_000),
        "| a | b |\n|---|---|\n".to_owned() + &"| x | y |\n".repeat(20_000),
        "| a ".repeat(5_000) + "|\n" + &"|---".repeat(5_000) + "|\n",
        "```bash\n".to_owned() + &"echo $(".repeat(deep) + "\n```\n",
        "```yaml\n".to_owned() + &"- ".repeat(deep) + "\n```\n",
        "````\n".repeat(10_000),
        "> [!WARNING]\n".repeat(10_000),
        "[^1]: x\n".repeat(10_000) + &"[^1] ".repeat(10_000),
        "<details><summary>x</summary>\n\n".repeat(5_000),
        "```calc quorum members=3 members=5\n```\n".to_owned(),
        "```quiz\n".to_owned() + &"[[question]]\n".repeat(10_000) + "```\n",
        "\u{0}\u{feff}\r\r\n".repeat(10_000),
        "word ".repeat(400_000),
        "<div>".repeat(deep) + &"</div>".repeat(deep),
        "[x](../../../../etc/passwd) ".repeat(20_000),
        "```bash\n".to_owned() + &"echo $(( 1 + 2 )) | grep x\n".repeat(50_000) + "```\n",
        "```yaml\n".to_owned() + &"a: [b, {c: d}]\n".repeat(50_000) + "```\n",
        "```calc\n".to_owned() + &"members=3 ".repeat(50_000) + "\n```\n",
        "\u{feff}\u{202e}\u{0301}".repeat(100_000),
    ];
    for body in bodies {
        assert_bounded(body);
    }
}

#[test]
fn random_splices_of_every_construct_render_within_bounds() {
    let pieces = [
        "## Heading {#id}\n",
        "# T\n",
        "text *em* **strong** `code` ",
        "[link](other.md#x) ",
        "![img](a.png) ",
        "<span>raw</span>",
        "> ",
        "- ",
        "1. ",
        "\n",
        "\n\n",
        "```bash\nkubectl get pods <name>\n```\n",
        "```quiz\n[[question]]\nkind = \"flashcard\"\nprompt = \"P\"\nanswer = \"A\"\n```\n",
        "```calc iptables endpoints=4\n```\n",
        "> [!NOTE]\n> x\n",
        "| a | b |\n|---|---|\n| c | d |\n",
        "[^n]: foot\n",
        "[^n]",
        "<details><summary>S</summary>\n\n",
        "</details>\n",
        "    indented code\n",
        "~~~\n",
        "```\n",
        "{#",
        "$( ",
        "\\",
    ];
    let mut rng = fastrand_like(0x5eed);
    for _ in 0..300 {
        let count = 1 + rng() % 200;
        let body: String = (0..count).map(|_| pieces[rng() % pieces.len()]).collect();
        assert_bounded(body.repeat(1 + rng() % 20));
    }
}

/// A tiny xorshift generator (no dependency): the same sequence on every run.
fn fastrand_like(mut state: u64) -> impl FnMut() -> usize {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 16) as usize
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_renders_within_bounds(body in "\\PC{0,400}") {
        assert_bounded(body);
    }

    #[test]
    fn any_mix_of_markdown_syntax_renders_within_bounds(parts in proptest::collection::vec(
        proptest::sample::select(vec![
            "> ", "- ", "1. ", "#", "## ", "{#x}", "*", "_", "`", "```", "```quiz\n", "```calc\n",
            "~~~", "[", "]", "(", ")", "![", "<", ">", "</div>", "<!--", "-->", "|", "\n", "\n\n",
            "    ", "\t", "\\", "&amp;", "x", " ", "[^1]", "[^1]: ", ":", "---", "+++", "> [!TIP]",
            "\u{0}", "é", "\r",
        ]),
        0..300,
    )) {
        assert_bounded(parts.concat());
    }
}
