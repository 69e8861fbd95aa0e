//! Generated nasty markdown through the whole chapter pipeline (parse, headings, links, quiz
//! and calc blocks, highlighting, admonitions, HTML): deep nesting, long lines and many
//! repeats end in a page or an error, never a panic, a stack overflow or runaway time.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::tests::try_render;

/// Generous for a debug build on a loaded 2-core machine; the quadratic cases this guards
/// against took minutes.
const BUDGET: Duration = Duration::from_secs(20);

fn survives(body: &str) {
    let started = Instant::now();
    let _ = try_render("days/02-etcd.md", "days/etcd.html", body);
    let took = started.elapsed();
    let head: String = body.chars().take(40).collect();
    assert!(
        took < BUDGET,
        "{took:?} for {} bytes starting {head:?}",
        body.len()
    );
}

#[test]
fn deep_nesting_of_every_construct() {
    let depth = 20_000;
    for body in [
        "> ".repeat(depth) + "quote",
        "- ".repeat(depth) + "item",
        (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        "*".repeat(depth) + "x" + &"*".repeat(depth),
        "[".repeat(depth) + "x" + &"](y)".repeat(depth),
        "<div>".repeat(depth) + &"</div>".repeat(depth),
        "`".repeat(depth),
        "![".repeat(depth) + "x" + &"](y)".repeat(depth),
        "> [!NOTE]\n".repeat(depth),
        "1. ".repeat(depth) + "n",
    ] {
        survives(&body);
    }
}

#[test]
fn long_lines_and_many_repeats() {
    for body in [
        "word ".repeat(400_000),
        "## Heading\n\n".repeat(20_000),
        "## Same {#same-x}\n\n".repeat(2),
        "[a](#b) ".repeat(100_000),
        "[x](../../../../etc/passwd) ".repeat(20_000),
        "```bash\n".to_owned() + &"echo $(( 1 + 2 )) | grep x\n".repeat(50_000) + "```\n",
        "```yaml\n".to_owned() + &"a: [b, {c: d}]\n".repeat(50_000) + "```\n",
        "```quiz\n".to_owned() + &"[[questions]]\n".repeat(5_000) + "```\n",
        "```calc\n".to_owned() + &"members=3 ".repeat(50_000) + "\n```\n",
        "| a | b |\n|---|---|\n".to_owned() + &"| x | y |\n".repeat(50_000),
        "\u{feff}\u{202e}\u{0301}".repeat(100_000),
        "\r\n".repeat(100_000) + "\r",
    ] {
        survives(&body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text(body in "\\PC{0,400}") {
        survives(&body);
    }

    #[test]
    fn any_mix_of_markdown_syntax(parts in prop::collection::vec(
        prop::sample::select(vec![
            "> ", "- ", "1. ", "#", "## ", "{#x}", "*", "_", "`", "```", "```quiz\n", "```calc\n",
            "~~~", "[", "]", "(", ")", "![", "<", ">", "</div>", "<!--", "-->", "|", "\n", "\n\n",
            "    ", "\t", "\\", "&amp;", "x", " ", "[^1]", "[^1]: ", ":", "---", "+++", "> [!TIP]",
            "\u{0}", "é", "\r",
        ]),
        0..300,
    )) {
        survives(&parts.concat());
    }
}
