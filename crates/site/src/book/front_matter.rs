//! A chapter's TOML front matter between `+++` lines, and splitting it from the body.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Location, Position, Result};

/// The keys a chapter may set in its front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The chapter title; defaults to one made from the file name.
    pub title: Option<String>,
    /// The course day this chapter teaches (1-based).
    pub day: Option<u32>,
    /// How long the chapter takes, e.g. `"1h 30m"` or `"45m"`.
    pub duration: Option<String>,
    /// What the learner can do after the chapter.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// One sentence for the page's meta description.
    pub description: Option<String>,
}

/// A source file split into front matter and markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The parsed front matter (all defaults when the file has none).
    pub front: FrontMatter,
    /// The duration parsed from `front.duration`.
    pub duration: Option<Duration>,
    /// The markdown after the closing `+++`.
    pub body: &'a str,
    /// The 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

const FENCE: &str = "+++";

/// Splits `text` (the contents of `path`) into front matter and body.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = strip_fence_line(text_no_bom) else {
        if let Some(line) = yaml_front_matter_end(text_no_bom) {
            tracing::warn!(
                "{}:1:1: lines 1-{line} look like YAML front matter, which renders as a rule and \
                 a heading; coursebook reads TOML between `+++` lines (title = \"…\")",
                path.display()
            );
        }
        return Ok(Split {
            front: FrontMatter::default(),
            duration: None,
            body: text_no_bom,
            body_line: 1,
        });
    };
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((toml_end, body_start)) = close else {
        return Err(Error::FrontMatter {
            location: Location::at(path, Position { line: 1, column: 1 }),
            message: "the `+++` that opens the front matter is never closed by a `+++` line"
                .to_owned(),
        });
    };
    let toml_text = &after_open[..toml_end];
    let front: FrontMatter = toml::from_str(toml_text).map_err(|e| Error::FrontMatter {
        location: toml_error_location(path, toml_text, &e),
        message: e.message().trim().to_owned(),
    })?;
    if let Some(title) = &front.title {
        let problem = if title.trim().is_empty() {
            Some("`title` is empty: leave it out to use the file name, or name the chapter")
        } else if title.chars().any(char::is_control) {
            Some("`title` holds a control character (a line break?): a title is one line")
        } else {
            None
        };
        if let Some(message) = problem {
            let line = key_line(toml_text, "title");
            return Err(Error::FrontMatter {
                location: Location::at(path, Position { line, column: 1 }),
                message: message.to_owned(),
            });
        }
    }
    let duration = parse_duration(path, toml_text, &front)?;
    let body_line = 2 + toml_text.matches('\n').count() + 1;
    Ok(Split {
        front,
        duration,
        body: &after_open[body_start..],
        body_line,
    })
}

/// The rest of `text` after a first line that is exactly `+++`.
fn strip_fence_line(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(FENCE)?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Front matter starts on line 2 of the file; map a TOML span to the file's line.
fn toml_error_location(path: &Path, toml_text: &str, e: &toml::de::Error) -> Location {
    match e.span() {
        Some(span) => {
            let mut pos = Position::of_offset(toml_text, span.start);
            pos.line += 1;
            Location::at(path, pos)
        }
        None => Location::at(path, Position { line: 1, column: 1 }),
    }
}

/// The file line of the front matter key `key` (the front matter starts on line 2).
fn key_line(toml_text: &str, key: &str) -> usize {
    toml_text
        .lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 2)
}

/// The closing line of a YAML block (`---`, `key: value` lines, `---`) at the top of `text`.
fn yaml_front_matter_end(text: &str) -> Option<usize> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut keys = 0;
    for (i, line) in lines.take(100).enumerate() {
        if line.trim_end() == "---" {
            return (keys > 0).then_some(i + 2);
        }
        let key = line.split_once(':').map(|(k, _)| k);
        if key.is_some_and(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        }) {
            keys += 1;
        }
    }
    None
}

fn parse_duration(path: &Path, toml_text: &str, front: &FrontMatter) -> Result<Option<Duration>> {
    let Some(text) = &front.duration else {
        return Ok(None);
    };
    humantime::parse_duration(text).map(Some).map_err(|e| {
        let line = key_line(toml_text, "duration");
        Error::FrontMatter {
            location: Location::at(path, Position { line, column: 1 }),
            message: format!(
                "`duration = \"{text}\"` is not a duration like \"1h 30m\" or \"45m\": {e}"
            ),
        }
    })
}

/// `1h 30m`, `45 min`: how a duration is shown to learners.
pub fn display_duration(d: Duration) -> String {
    let minutes = d.as_secs().div_ceil(60);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("c/a.md")
    }

    #[test]
    fn yaml_front_matter_is_recognised() {
        assert_eq!(
            yaml_front_matter_end("---\ntitle: Day 1\nday: 1\n---\nBody"),
            Some(4)
        );
        assert_eq!(yaml_front_matter_end("---\nJust a heading\n---\n"), None);
        assert_eq!(yaml_front_matter_end("Body\n---\n"), None);
        assert_eq!(yaml_front_matter_end("---\ntitle: unclosed\n"), None);
    }

    #[test]
    fn an_empty_or_multi_line_title_names_its_line() {
        for text in [
            "+++\nday = 1\ntitle = \"\"\n+++\n",
            "+++\nday = 1\ntitle = \"a\\nb\"\n+++\n",
        ] {
            let err = split(p(), text).expect_err(text).to_string();
            assert!(err.starts_with("c/a.md:3:1"), "{err}");
        }
    }

    #[test]
    fn no_front_matter_means_defaults_and_whole_body() {
        let s = split(p(), "# Hi\n").expect("ok");
        assert_eq!(s.front, FrontMatter::default());
        assert_eq!(s.body, "# Hi\n");
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn front_matter_is_parsed_and_body_line_counted() {
        let text = "+++\ntitle = \"Day 1\"\nday = 1\nduration = \"1h 30m\"\nobjectives = [\"a\"]\n+++\nBody\n";
        let s = split(p(), text).expect("ok");
        assert_eq!(s.front.title.as_deref(), Some("Day 1"));
        assert_eq!(s.front.day, Some(1));
        assert_eq!(s.duration, Some(Duration::from_secs(5400)));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 7);
        assert_eq!(text.lines().nth(s.body_line - 1), Some("Body"));
    }

    #[test]
    fn crlf_files_work() {
        let s = split(p(), "+++\r\ntitle = \"T\"\r\n+++\r\nBody\r\n").expect("ok");
        assert_eq!(s.front.title.as_deref(), Some("T"));
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = split(p(), "+++\ntitle = \"T\"\nweight = 3\n+++\n").expect_err("unknown");
        let msg = e.to_string();
        assert!(msg.starts_with("c/a.md:3:1: invalid front matter"), "{msg}");
        assert!(msg.contains("weight"), "{msg}");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let e = split(p(), "+++\ntitle = \"T\"\nday = [\n+++\nx\n").expect_err("bad");
        assert!(e.to_string().starts_with("c/a.md:"), "{e}");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split(p(), "+++\ntitle = \"T\"\n").expect_err("unclosed");
        assert!(e.to_string().contains("never closed"), "{e}");
    }

    #[test]
    fn bad_duration_names_its_line() {
        let e = split(p(), "+++\ntitle = \"T\"\nduration = \"soon\"\n+++\n").expect_err("bad");
        assert!(e.to_string().starts_with("c/a.md:3:1:"), "{e}");
    }

    #[test]
    fn durations_display_for_people() {
        assert_eq!(display_duration(Duration::from_secs(45 * 60)), "45 min");
        assert_eq!(display_duration(Duration::from_secs(2 * 3600)), "2 h");
        assert_eq!(display_duration(Duration::from_secs(5400)), "1 h 30 min");
    }
}

#[cfg(test)]
mod nasty {
    use super::*;
    use proptest::prelude::*;

    fn survives(text: &str) {
        let started = std::time::Instant::now();
        let _ = split(Path::new("c/a.md"), text);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn deep_and_long_front_matter_is_an_error_not_a_crash() {
        for toml in [
            format!("title = {}", "[".repeat(100_000)),
            format!("title = {}", "{a = ".repeat(100_000)),
            format!("objectives = [{}]", "\"x\", ".repeat(200_000)),
            format!("title = \"{}\"", "a".repeat(1_000_000)),
            "a.".repeat(100_000) + "b = 1",
            "[a]\n".repeat(50_000),
            "title = \"\\u0000\"".to_owned(),
        ] {
            survives(&format!("+++\n{toml}\n+++\nbody\n"));
        }
        survives(&"+++\n".repeat(100_000));
        survives(&format!("---\n{}", "key: value\n".repeat(100_000)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_front_matter(toml in "\\PC{0,300}", body in "\\PC{0,50}") {
            survives(&format!("+++\n{toml}\n+++\n{body}"));
        }
    }
}
