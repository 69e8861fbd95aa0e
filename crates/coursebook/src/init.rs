//! `coursebook init`: writes a minimal course that builds, never overwriting a file.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

const HOME: &str = r#"+++
title = "Welcome"
description = "What this course teaches and how to use it."
+++

Welcome to **{title}**. Each chapter is a markdown file in `content/`; the number in its file
name sets the order.

Start with [Day 1](days/01-first-day.md).

> [!TIP]
> Run `coursebook build` after each edit and reload this page, or keep `book/index.html` open.
"#;

const DAY_ONE: &str = r#"+++
title = "Day 1: Getting started"
day = 1
duration = "45m"
objectives = ["Write a chapter", "Build the course"]
description = "The first lesson of the course."
+++

## Exercise 1.1: Run a command

```bash
echo "hello from day 1"
```

Sessions with prompts copy only the commands:

```console
$ echo hello
hello
```
"#;

/// Creates `dir` (if needed) with `book.toml`, `content/_index.md`, a first day and a
/// `.gitignore`. Every path is checked before anything is written, so a refusal leaves the
/// folder as it was.
pub fn create(dir: &Path, title: &str) -> Result<()> {
    coursebook_site::config::check_title(title)
        .map_err(|message| anyhow::anyhow!("--title: {message}"))?;
    let escaped_title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let files = [
        (
            "book.toml",
            format!("[book]\ntitle = \"{escaped_title}\"\nlanguage = \"en\"\n\n[build]\ncontent-dir = \"content\"\ndest-dir = \"book\"\n"),
        ),
        ("content/_index.md", HOME.replace("{title}", title)),
        ("content/days/01-first-day.md", DAY_ONE.to_owned()),
        (".gitignore", GITIGNORE.to_owned()),
    ];
    let taken = conflicts(dir, files.iter().map(|(name, _)| *name));
    if !taken.is_empty() {
        bail!(
            "{} already holds {}; not overwriting anything (choose an empty folder)",
            dir.display(),
            taken.join(", ")
        );
    }
    for (name, text) in files {
        let path = dir.join(name);
        if name == ".gitignore" && path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// What the new book ignores: the site and the build's scratch folders.
const GITIGNORE: &str = "/book/\n/.coursebook-*\n";

/// The files among `names` (and their folders) that already exist in `dir` in a way that
/// stops `init`: any file but `.gitignore`, or a file where a folder must go.
fn conflicts<'a>(dir: &Path, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken = Vec::new();
    for name in names {
        let mut folder = String::new();
        for part in name
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, d)| d)
        {
            folder = if folder.is_empty() {
                (*part).to_owned()
            } else {
                format!("{folder}/{part}")
            };
            let exists = std::fs::symlink_metadata(dir.join(&folder));
            if exists.is_ok_and(|m| !m.is_dir()) && !taken.contains(&folder) {
                taken.push(folder.clone());
            }
        }
        if name != ".gitignore" && std::fs::symlink_metadata(dir.join(name)).is_ok() {
            taken.push(name.to_owned());
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_written_when_any_path_is_taken() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(tmp.path().join("content")).expect("mkdir");
        std::fs::write(tmp.path().join("content/_index.md"), "mine").expect("w");
        let err = create(tmp.path(), "T").expect_err("taken").to_string();
        assert!(err.contains("content/_index.md"), "{err}");
        assert!(!tmp.path().join("book.toml").exists());
        assert!(!tmp.path().join("content/days").exists());
    }

    #[test]
    fn a_file_where_a_folder_goes_is_taken() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("content"), "a file").expect("w");
        let err = create(tmp.path(), "T").expect_err("taken").to_string();
        assert!(err.contains("content"), "{err}");
        assert!(!tmp.path().join("book.toml").exists());
    }

    #[test]
    fn titles_that_are_not_one_line_are_refused_before_writing() {
        for title in ["a\nb", "a\rb", "\u{1}", "", "   "] {
            let tmp = tempfile::tempdir().expect("tmp");
            assert!(create(tmp.path(), title).is_err(), "{title:?}");
            assert_eq!(std::fs::read_dir(tmp.path()).expect("ls").count(), 0);
        }
    }

    #[test]
    fn quotes_and_backslashes_round_trip_through_book_toml() {
        let tmp = tempfile::tempdir().expect("tmp");
        let title = r#"K8s "deep" \ dive — ü"#;
        create(tmp.path(), title).expect("init");
        let config = coursebook_site::Config::load(tmp.path()).expect("parses");
        assert_eq!(config.book.title, title);
        let ignore = std::fs::read_to_string(tmp.path().join(".gitignore")).expect("ignore");
        assert!(ignore.contains(".coursebook-"));
    }
}
