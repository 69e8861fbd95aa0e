//! `coursebook check` on hostile chapters (issue 13): deep nesting, many heredocs on one line,
//! long lines full of findings. Each is checked for a clean exit, bounded time and bounded
//! output; the inputs are generated with varied shapes, not only the issue's samples.

use std::time::{Duration, Instant};

use crate::support::{BookTest, Run};

/// Generous for a debug build on a shared machine; the inputs took tens of seconds (or ran out
/// of memory) before the fixes.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// A book whose one extra chapter is `body`.
fn book_with(body: &str) -> BookTest {
    let t = BookTest::new("basic");
    t.write("content/02-extra/09-hostile.md", body);
    t
}

/// Runs `check --format json` and returns the run and its document, asserting the run ended on
/// its own (exit 0 or 1, no signal) within [`TIME_LIMIT`].
fn check_json(t: &BookTest) -> (Run, serde_json::Value) {
    let started = Instant::now();
    let run = t.run(&["check", "--format", "json"]);
    let elapsed = started.elapsed();
    assert!(elapsed < TIME_LIMIT, "check took {elapsed:?}");
    assert!(
        matches!(run.output.status.code(), Some(0 | 1)),
        "check crashed: {:?}\n{}",
        run.output.status,
        run.stderr()
    );
    let value = serde_json::from_str(&run.stdout()).expect("a JSON document");
    (run, value)
}

fn findings<'a>(value: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    value["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

fn fence(code: &str) -> String {
    format!("# Hostile\n\n```bash\n{code}\n```\n")
}

#[test]
fn deeply_nested_shell_is_reported_not_crashed_on() {
    let texts = [
        format!("echo {}x{}", "$( echo ".repeat(2_000), ")".repeat(2_000)),
        "{ ".repeat(1_000),
        "( ".repeat(3_000),
        "if true; then ".repeat(1_000),
        "until false; do ".repeat(700),
        format!("echo {}", "${a:-".repeat(20_000)),
        format!("echo \"{}\"", "$(echo \"".repeat(900)),
        format!("cat {}", "<(".repeat(1_500)),
        "case x in x) ".repeat(40),
        format!("f() {}", "{ g() ".repeat(800)),
        format!("[[ {}a ]]", "! ".repeat(20_000)),
        format!("echo {}", "$[ ".repeat(3_000)),
        format!("[[ {}a ]]", "( ".repeat(5_000)),
    ];
    for text in texts {
        let t = book_with(&fence(&text));
        let (_, value) = check_json(&t);
        let deep = findings(&value, "shell-too-deep");
        assert_eq!(deep.len(), 1, "{}: {value}", &text[..30]);
        let d = deep[0];
        assert_eq!(d["file"], "content/02-extra/09-hostile.md");
        assert_eq!(d["line"], 4);
        assert!(d["message"]
            .as_str()
            .is_some_and(|m| m.contains("too deeply nested")));
    }
}

#[test]
fn deeply_nested_shell_inside_a_quoted_script_or_heredoc_is_safe() {
    let texts = [
        format!("sh -c '{}'", "$( ".repeat(3_000)),
        format!("watch \"{}\"", "{ ".repeat(3_000)),
        format!("bash <<'EOF'\n{}\nEOF", "if true; then ".repeat(2_000)),
        format!(
            "cat <<EOF > run.sh\n#!/bin/sh\n{}\nEOF",
            "$( ".repeat(2_000)
        ),
    ];
    for text in texts {
        check_json(&book_with(&fence(&text)));
    }
}

#[test]
fn many_heredocs_on_one_line_take_linear_time() {
    for (opener, body) in [
        ("cat <<EOF ", "x\nEOF\n"),
        (
            "cat <<EOF | kubectl apply -f - ; ",
            "apiVersion: v1\nkind: Pod\nEOF\n",
        ),
        ("bash <<-X ", "\tsystemctl restart etcd\n\tX\n"),
    ] {
        let code = format!("{}\n{}", opener.repeat(5_000), body.repeat(5_000));
        check_json(&book_with(&fence(&code)));
    }
}

#[test]
fn findings_are_capped_per_line_and_say_how_many_were_left_out() {
    let placeholders: Vec<String> = (0..20_000).map(|i| format!("<p{i}>")).collect();
    let flags: Vec<String> = (0..20_000).map(|i| format!("--bogus-{i}")).collect();
    let cases = [
        (
            fence(&format!("echo {}", placeholders.join(" "))),
            "shell-placeholder-redirect",
        ),
        ("it‚Äôs ".repeat(100_000), "mojibake"),
        ("A ‚Üí B ".repeat(60_000), "mojibake"),
        (
            fence(&format!("kubectl get pods {}", flags.join(" "))),
            "kubectl-unknown-flag",
        ),
        (
            fence(&"systemctl restart etcd; ".repeat(20_000)),
            "systemctl-static-pod",
        ),
    ];
    for (body, rule) in cases {
        let t = book_with(&body);
        let (run, value) = check_json(&t);
        let shown = findings(&value, rule);
        assert!(
            (1..=10).contains(&shown.len()),
            "{rule}: {} shown",
            shown.len()
        );
        let left_out = findings(&value, "findings-left-out");
        assert_eq!(left_out.len(), 1, "{rule}: {left_out:?}");
        assert!(
            left_out[0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("more findings on this line left out")),
            "{left_out:?}"
        );
        // No finding copies the whole line.
        for d in value["diagnostics"].as_array().expect("array") {
            let line = d["source_line"].as_str().expect("source_line");
            assert!(line.chars().count() <= 200, "{rule}: {} chars", line.len());
        }
        assert!(
            run.output.stdout.len() < 100_000,
            "{rule}: {} bytes of JSON",
            run.output.stdout.len()
        );
    }
}

#[test]
fn findings_are_capped_per_chapter() {
    // One finding per line, on many lines.
    let t = book_with(&"it‚Äôs\n\n".repeat(5_000));
    let (run, value) = check_json(&t);
    assert!(findings(&value, "mojibake").len() <= 200);
    let left_out = findings(&value, "findings-left-out");
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert!(left_out[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("4800 more findings in this chapter left out")));
    assert!(run.output.stdout.len() < 300_000);
    // The human format shows the line around the column, not all of it.
    let human = t.run(&["check"]);
    assert!(human.stdout().len() < 200_000);
}

#[test]
fn a_finding_on_a_long_line_shows_the_text_around_its_column() {
    let filler = "word ".repeat(20_000);
    let t = book_with(&format!("# Hostile\n\n{filler}it‚Äôs {filler}\n"));
    let (_, value) = check_json(&t);
    let found = findings(&value, "mojibake");
    assert_eq!(found.len(), 1);
    let line = found[0]["source_line"].as_str().expect("source_line");
    assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
    assert!(line.contains("it‚Äôs"), "{line}");
    assert_eq!(found[0]["column"], 100_003);
    let human = t.run(&["check"]).stdout();
    assert!(human.contains("100003"), "{human}");
    assert!(human.len() < 2_000, "{human}");
}

#[test]
fn the_link_cache_never_replaces_a_file_of_the_book() {
    for cache in [
        "book.toml",
        "content/_index.md",
        "content/01-days/new.json",
        "./content/../book.toml",
        "theme/links.json",
        "book/links.json",
    ] {
        let t = BookTest::new("basic");
        let toml = std::fs::read_to_string(t.path("book.toml")).expect("book.toml");
        let toml = format!("{toml}\n[check.external]\ncache = {cache:?}\n");
        t.write("book.toml", &toml);
        let before = crate::support::tree(&t.root());
        let run = t.run(&["check", "--external"]);
        run.failure(&["book.toml:", "[check.external] cache"]);
        assert_eq!(before, crate::support::tree(&t.root()), "{cache}");
    }
    // A file outside the book's own folders that is not a cache is left alone too.
    let t = BookTest::new("basic");
    let toml = std::fs::read_to_string(t.path("book.toml")).expect("book.toml");
    t.write("notes.json", "{\"mine\": true}");
    t.write(
        "book.toml",
        format!("{toml}\n[check.external]\ncache = \"notes.json\"\n"),
    );
    t.run(&["check", "--external"])
        .failure(&["notes.json", "is not a coursebook link cache"]);
    assert_eq!(
        std::fs::read_to_string(t.path("notes.json")).expect("notes"),
        "{\"mine\": true}"
    );
}

#[test]
fn a_large_quiz_block_builds_and_checks_in_linear_time() {
    let cards: String = (0..20_000)
        .map(|i| {
            format!("[[question]]\nkind = \"flashcard\"\nprompt = \"Q{i}?\"\nanswer = \"A{i}\"\n\n")
        })
        .collect();
    let t = book_with(&format!("# Cards\n\n```quiz\n{cards}```\n"));
    for command in ["build", "check"] {
        let started = Instant::now();
        t.run(&[command]).success();
        assert!(
            started.elapsed() < TIME_LIMIT,
            "{command}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn ambiguous_calc_and_quiz_blocks_fail_with_file_and_line() {
    let cases = [
        (
            "# C\n\ntext\n\n```calc quorum members=3 members=5\n```\n",
            "content/02-extra/09-hostile.md:5",
            "`members` is given twice",
        ),
        (
            "# C\n\n```calc cidr node-mask=24 node-mask=26\n```\n",
            "content/02-extra/09-hostile.md:3",
            "`node-mask` is given twice",
        ),
        (
            "# Q\n\n```quiz\n[[question]]\nkind = \"short\"\nprompt = \"P\"\nexplanation = \"E\"\nanswers = [\"'.'\"]\n```\n",
            "content/02-extra/09-hostile.md:4",
            "empty once normalised",
        ),
        (
            "# Q\n\n```quiz\n[[question]]\nkind = \"order\"\nprompt = \"P\"\nexplanation = \"E\"\nsteps = [\"a\", \"b\", \"a\"]\n```\n",
            "content/02-extra/09-hostile.md:4",
            "listed twice",
        ),
    ];
    for (body, location, message) in cases {
        let t = book_with(body);
        t.run(&["build"]).failure(&[location, message]);
        assert!(!t.site().exists(), "nothing is written");
        t.run(&["check"]).failure(&[location, message]);
    }
}

#[test]
fn javascript_links_are_a_warning_listed_among_the_rules() {
    let t = book_with("# J\n\n[click](javascript:alert(document.cookie)) and [ok](https://example.org/)\n\n![x]( JAVASCRIPT:void(0) )\n");
    let (run, value) = check_json(&t);
    assert!(
        run.output.status.success(),
        "a warning does not fail the check"
    );
    let found = findings(&value, "link-javascript");
    assert_eq!(found.len(), 2, "{value}");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(3), Some(1))
    );
    t.run(&["check", "--deny", "warnings"]).failure(&[]);
    let rules = t.run(&["check", "--list-rules"]).success().stdout();
    assert!(rules.contains("link-javascript"), "{rules}");
    assert!(rules.contains("shell-too-deep") && rules.contains("findings-left-out"));
}
