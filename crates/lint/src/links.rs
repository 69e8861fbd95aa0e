//! Links inside the book: chapters, `#anchors` and assets that do not exist. The site crate
//! finds them (the build runs the same check); this module turns them into diagnostics.

use coursebook_site::markdown::links::{broken_in_chapter, rules as ids};

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[
    Rule {
        id: ids::MISSING_CHAPTER,
        family: "links",
        severity: Severity::Error,
        summary: "a link to a .md file that is not a chapter of the book",
    },
    Rule {
        id: ids::MISSING_ANCHOR,
        family: "links",
        severity: Severity::Error,
        summary: "a #fragment that matches no heading of its chapter",
    },
    Rule {
        id: ids::MISSING_ASSET,
        family: "links",
        severity: Severity::Error,
        summary: "a link or image to a file that is not in the content directory",
    },
    Rule {
        id: ids::OUTSIDE_CONTENT,
        family: "links",
        severity: Severity::Error,
        summary: "a relative link that climbs out of the content directory",
    },
    SCRIPT_LINK,
];

/// A markdown link or image whose URL runs script (`javascript:`, `vbscript:`).
pub(crate) const SCRIPT_LINK: Rule = Rule {
    id: "link-javascript",
    family: "links",
    severity: Severity::Warning,
    summary:
        "a markdown link whose URL is `javascript:` (or `vbscript:`): it runs script when clicked",
};

/// Whether `dest` runs script when followed, as a browser reads it: tabs and newlines anywhere
/// and blanks or control characters around it are dropped, and the scheme's case is ignored.
pub(crate) fn runs_script(dest: &str) -> bool {
    let cleaned: String = dest
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:")
}

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for link in cx.rendered.links.iter().filter(|l| runs_script(&l.dest)) {
        let shown: String = link.dest.chars().take(60).collect();
        let message = format!("link `{shown}` runs script when a learner clicks it");
        out.push(
            cx.diagnostic(&SCRIPT_LINK, link.line, link.column, 1, message)
                .with_help(
                    "link to a page instead; a course page that needs script can use raw HTML, \
                     which is not checked",
                ),
        );
    }
    for broken in broken_in_chapter(&cx.site.book, &cx.site.rendered, cx.index) {
        let Some(rule) = RULES.iter().find(|r| r.id == broken.rule) else {
            continue;
        };
        let width = broken.link.dest.chars().count() + 4;
        let help = match broken.rule {
            ids::MISSING_ANCHOR => {
                "link to a heading's id as the page shows it (hover the heading's `#`)"
            }
            ids::OUTSIDE_CONTENT => "copy the file into the content directory and link to it there",
            _ => "check the path: links are relative to the chapter's own file",
        };
        let message = format!("broken link `{}`: {}", broken.link.dest, broken.problem);
        out.push(
            cx.diagnostic(rule, broken.link.line, broken.link.column, width, message)
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{rules_in, site_with};

    #[test]
    fn script_links_are_warned_about_in_every_spelling() {
        for dest in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:void(0)",
            "java%09script:x",
            "vbscript:msgbox",
            "&#106;avascript:x",
            "javascript&colon;x",
            "<java\tscript:x>",
        ] {
            let md = format!("# T\n\n[a]({dest}) ![i]({dest})\n");
            let found = rules_in(&md);
            if dest.contains('%') {
                // Percent-encoding in a scheme makes a relative path, not a script.
                assert!(!found.contains(&"link-javascript"), "{dest}: {found:?}");
            } else {
                let script = found.iter().filter(|r| **r == "link-javascript").count();
                assert_eq!(script, 2, "{dest}: {found:?}");
            }
        }
        for quiet in [
            "https://javascript.info/",
            "javascript.md",
            "#javascript:x",
            "a?javascript:x",
        ] {
            let md = format!("# T\n\n[a]({quiet})\n");
            assert!(!rules_in(&md).contains(&"link-javascript"), "{quiet}");
        }
    }

    #[test]
    fn each_kind_of_broken_link_has_its_rule() {
        let md = "# Top\n\n[a](nope.md) [b](#nowhere) [c](img/x.png) [d](../../etc/passwd)\n";
        assert_eq!(
            rules_in(md),
            [
                "link-missing-chapter",
                "link-missing-anchor",
                "link-missing-asset",
                "link-outside-content"
            ]
        );
    }

    #[test]
    fn columns_count_characters_after_non_ascii_text() {
        // `–` and `é` are three and two bytes: a byte column would say 15, the character 12.
        let found = crate::testing::check_markdown("# T\n\nCafé – see [x](nope.md).\n");
        let broken = found
            .iter()
            .find(|d| d.rule == "link-missing-chapter")
            .expect("the broken link");
        assert_eq!((broken.line, broken.column), (3, 12));
        assert_eq!(broken.source_line.chars().nth(broken.column - 1), Some('['));
    }

    #[test]
    fn good_links_are_quiet() {
        let (_dir, site) = site_with(
            &[
                (
                    "index.md",
                    "# Top\n\n[b](#top) [c](other.md#sub) [e](https://x.y/#z)\n",
                ),
                ("other.md", "# Other\n\n## Sub\n"),
            ],
            "",
        );
        let cx = crate::context::ChapterCx::new(&site, 0);
        let mut out = Vec::new();
        super::check(&cx, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn a_link_to_a_missing_anchor_in_another_chapter_points_at_the_link() {
        let (_dir, site) = site_with(
            &[
                ("index.md", "# Top\n\nSee [x](other.md#gone).\n"),
                ("other.md", "# Other\n"),
            ],
            "",
        );
        let cx = crate::context::ChapterCx::new(&site, 0);
        let mut out = Vec::new();
        super::check(&cx, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].line, out[0].column), (3, 5));
        assert_eq!(out[0].source_line, "See [x](other.md#gone).");
    }
}
