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
/// `.gitignore`.
pub fn create(dir: &Path, title: &str) -> Result<()> {
    if dir.join("book.toml").exists() {
        bail!(
            "{} already holds a book.toml; not overwriting it",
            dir.display()
        );
    }
    let escaped_title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let files = [
        (
            "book.toml",
            format!("[book]\ntitle = \"{escaped_title}\"\nlanguage = \"en\"\n\n[build]\ncontent-dir = \"content\"\ndest-dir = \"book\"\n"),
        ),
        ("content/_index.md", HOME.replace("{title}", title)),
        ("content/days/01-first-day.md", DAY_ONE.to_owned()),
        (".gitignore", "/book/\n".to_owned()),
    ];
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
