//! mdBook's side of the benchmark: the same chapters laid out as an mdBook book (front matter
//! stripped, the title as an `# h1`, a `SUMMARY.md` in coursebook's order), and finding or
//! installing the `mdbook` binary into the scratch directory.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use super::generate::SourceBook;

/// The mdBook the benchmark installs when none is found.
pub const VERSION: &str = "0.5.4";

/// Writes `book` as an mdBook book into `dir` (emptied first): `book.toml`, `src/SUMMARY.md`
/// and the chapters under `src/` at the same paths, so relative links still resolve.
pub fn write_mdbook(book: &SourceBook, dir: &Path) -> Result<()> {
    super::fresh_dir(dir)?;
    let title = book.title.replace('\\', "\\\\").replace('"', "\\\"");
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"{title}\"\nauthors = [\"cargo xtask bench\"]\nlanguage = \"en\"\n\
             src = \"src\"\n\n[output.html]\n"
        ),
    )?;
    let mut files = BTreeMap::new();
    for (path, bytes) in &book.files {
        let converted = match path.strip_suffix(".md") {
            Some(_) => chapter_text(path, bytes).into_bytes(),
            None => bytes.clone(),
        };
        files.insert(path.clone(), converted);
    }
    files.insert("SUMMARY.md".to_owned(), summary(book).into_bytes());
    super::write_files(&dir.join("src"), &files)
}

/// A chapter without its `+++` front matter, its title as the first heading.
fn chapter_text(path: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let (title, body) = split_front(path, &text);
    format!("# {title}\n\n{body}")
}

/// The title (front matter's, else from the file name) and the body after the front matter.
pub fn split_front<'a>(path: &str, text: &'a str) -> (String, &'a str) {
    let fallback = || {
        let name = path.rsplit('/').next().unwrap_or(path);
        let stem = name.strip_suffix(".md").unwrap_or(name);
        let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit());
        stem.trim_start_matches(['-', '_', '.', ' '])
            .replace('-', " ")
    };
    let Some(rest) = text.strip_prefix("+++\n") else {
        return (fallback(), text);
    };
    let Some(end) = rest.find("\n+++\n") else {
        return (fallback(), text);
    };
    let title = rest[..end]
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("title")?.as_str().map(str::to_owned))
        .unwrap_or_else(fallback);
    (title, &rest[end + 5..])
}

/// `SUMMARY.md`: the home page as a prefix chapter, then every folder as a nested list.
fn summary(book: &SourceBook) -> String {
    let mut out = String::from("# Summary\n\n");
    if let Some(home) = book.files.get("_index.md") {
        let _ = writeln!(out, "[{}](_index.md)\n", title_of("_index.md", home));
    }
    summary_dir(book, "", 0, &mut out);
    out
}

fn summary_dir(book: &SourceBook, dir: &str, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for (name, is_dir) in children(book, dir) {
        let path = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        if is_dir {
            let index = format!("{path}/_index.md");
            match book.files.get(&index) {
                Some(bytes) => {
                    let _ = writeln!(out, "{indent}- [{}]({index})", title_of(&index, bytes));
                }
                None => {
                    let _ = writeln!(out, "{indent}- [{}]()", escape(&name));
                }
            }
            summary_dir(book, &path, depth + 1, out);
        } else if name.ends_with(".md") && name != "_index.md" {
            let title = title_of(&path, &book.files[&path]);
            let _ = writeln!(out, "{indent}- [{title}]({path})");
        }
    }
}

fn title_of(path: &str, bytes: &[u8]) -> String {
    escape(&split_front(path, &String::from_utf8_lossy(bytes)).0)
}

fn escape(title: &str) -> String {
    title.replace('[', "\\[").replace(']', "\\]")
}

/// The entries directly in folder `dir` (names, and whether each is a folder), in coursebook's
/// order: numeric prefixes compared as numbers, then names.
fn children(book: &SourceBook, dir: &str) -> Vec<(String, bool)> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let mut entries: BTreeMap<String, bool> = BTreeMap::new();
    for path in book.files.keys() {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            // A folder without markdown (images only) is no part of the summary.
            Some((folder, _)) if rest.ends_with(".md") => entries.insert(folder.to_owned(), true),
            Some(_) => None,
            None => entries.insert(rest.to_owned(), false),
        };
    }
    let mut entries: Vec<(String, bool)> = entries
        .into_iter()
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    entries.sort_by(|a, b| order(&a.0, &b.0));
    entries
}

fn order(a: &str, b: &str) -> Ordering {
    let key = |s: &str| {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), s.to_owned())
    };
    key(a).cmp(&key(b))
}

/// The `mdbook` to run: the scratch directory's, else one on PATH; installed from crates.io into
/// the scratch directory when neither exists and `install` is set.
pub fn find(scratch: &Path, install: bool) -> Result<Option<PathBuf>> {
    let local = scratch.join("tools/bin/mdbook");
    if local.is_file() {
        return Ok(Some(local));
    }
    if version_of(Path::new("mdbook")).is_some() {
        return Ok(Some(PathBuf::from("mdbook")));
    }
    if !install {
        return Ok(None);
    }
    eprintln!(
        "mdbook is missing: installing mdbook {VERSION} into {} (a few minutes, once)",
        local.display()
    );
    let root = scratch.join("tools");
    let try_install = |locked: bool| -> Result<bool> {
        let mut cmd = Command::new("cargo");
        cmd.args(["install", "mdbook", "--version", VERSION, "--root"])
            .arg(&root)
            .stdout(Stdio::null());
        if locked {
            cmd.arg("--locked");
        }
        Ok(cmd.status().context("cannot run cargo install")?.success())
    };
    if !try_install(true)? {
        eprintln!("cargo install --locked failed: retrying without --locked");
        if !try_install(false)? {
            bail!("cannot install mdbook {VERSION} from crates.io");
        }
    }
    Ok(Some(local))
}

/// `mdbook --version`'s answer, e.g. `mdbook v0.5.4`.
pub fn version_of(program: &Path) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> SourceBook {
        SourceBook {
            title: "T".to_owned(),
            book_toml: String::new(),
            files: files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn front_matter_becomes_a_heading() {
        let text = chapter_text(
            "a/02-x.md",
            b"+++\ntitle = \"Day [2]\"\nday = 2\n+++\n\nBody\n",
        );
        assert_eq!(text, "# Day [2]\n\n\nBody\n");
        assert_eq!(chapter_text("a/02-my-x.md", b"Body\n"), "# my x\n\nBody\n");
    }

    #[test]
    fn summary_follows_coursebook_order() {
        let b = book(&[
            ("_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("10-ten.md", ""),
            ("9-nine.md", "+++\ntitle = \"Nine [9]\"\n+++\n"),
            ("02-days/_index.md", "+++\ntitle = \"Days\"\n+++\n"),
            ("02-days/1-one.md", ""),
            ("img/x.png", ""),
        ]);
        assert_eq!(
            summary(&b),
            "# Summary\n\n[Home](_index.md)\n\n- [Days](02-days/_index.md)\n  \
             - [one](02-days/1-one.md)\n- [Nine \\[9\\]](9-nine.md)\n- [ten](10-ten.md)\n"
        );
    }
}
