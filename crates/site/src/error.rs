//! The build's error type: every variant names the file, and the line where there is one.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file, 1-based, as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }
}

/// The largest char boundary of `text` at or below byte `offset` (clamped to its length): the
/// one place a byte offset from a parser is made safe to slice at.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `path`, `path:line` or `path:line:col`, the form compilers and editors understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Where in the file, when known.
    pub position: Option<Position>,
}

impl Location {
    /// A whole file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            position: None,
        }
    }

    /// A line and column in a file.
    pub fn at(path: impl Into<PathBuf>, position: Position) -> Self {
        Location {
            path: path.into(),
            position: Some(position),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Links to chapters, headings or files that do not exist (one per line).
    #[error("{}", broken_links_message(.0))]
    BrokenLinks(Vec<crate::markdown::links::BrokenLink>),
    /// A file or directory could not be read, written or moved.
    #[error("{}: {action}: {cause}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done, e.g. "cannot read".
        action: &'static str,
        /// The operating system's reason (shown in the message, so not a `source()`).
        cause: std::io::Error,
    },
    /// `book.toml` is not valid TOML, has an unknown key or a bad value.
    #[error("{location}: invalid book.toml: {message}")]
    Config {
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A chapter's `+++` front matter is malformed or has an unknown key.
    #[error("{location}: invalid front matter: {message}")]
    FrontMatter {
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A chapter is not valid UTF-8.
    #[error("{location}: not valid UTF-8 (chapters must be UTF-8 text)")]
    NotUtf8 {
        /// The first invalid byte's line.
        location: Location,
    },
    /// A book entry is a pipe, socket or device: reading it would block or never end.
    #[error("{}: {kind}, not a regular file; only regular files and folders are read", path.display())]
    NotAFile {
        /// The entry.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
    /// A symbolic link in the book points outside it.
    #[error("{}: a symbolic link to {}, which is outside {}; copy the file into the book instead", path.display(), target.display(), root.display())]
    OutsideBook {
        /// The link.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
        /// The folder it must stay in.
        root: PathBuf,
    },
    /// A file name is not UTF-8, so it cannot become a URL.
    #[error("{}: the file name is not valid UTF-8; rename it", path.display())]
    NameNotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A chapter holds a NUL byte: a binary file, or text damaged on the way.
    #[error("{location}: a NUL byte; chapters are text (is this a binary file named .md?)")]
    NotText {
        /// Where the first NUL is.
        location: Location,
    },
    /// A heading's explicit `{#id}` is taken, or is an id the page layout uses.
    #[error("{location}: {message}")]
    Heading {
        /// The heading's file and line.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// The content directory is missing.
    #[error("{}: content directory not found (set `build.content-dir` in book.toml or create it)", path.display())]
    MissingContent {
        /// The directory that was expected.
        path: PathBuf,
    },
    /// The content directory holds no chapters.
    #[error("{}: the content directory holds no .md files (`coursebook init` shows the layout)", path.display())]
    EmptyContent {
        /// The content directory.
        path: PathBuf,
    },
    /// A content file would overwrite a file the build writes itself.
    #[error("{}: would be written to `{output}`, which coursebook writes itself; rename it", file.display())]
    ReservedOutput {
        /// The content file.
        file: PathBuf,
        /// The reserved output path.
        output: String,
    },
    /// Two source files would be written to the same output file.
    #[error("{}: would be written to `{output}`, which {} also produces", first.display(), second.display())]
    OutputClash {
        /// One source.
        first: PathBuf,
        /// The other source.
        second: PathBuf,
        /// The shared output path.
        output: String,
    },
    /// A ```` ```quiz ```` or ```` ```calc ```` block is invalid.
    #[error("{location}: {message}")]
    Directive {
        /// The block's file and line (the question's line for a quiz).
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A template failed to parse or render.
    #[error("{location}: template error: {message}")]
    Template {
        /// The template file (the book's override or the built-in theme).
        location: Location,
        /// Tera's explanation, with its causes.
        message: String,
    },
    /// The output directory is unsafe to replace.
    #[error("refusing to write the site to {}: {reason}", dest.display())]
    UnsafeDestination {
        /// The requested output directory.
        dest: PathBuf,
        /// Why it is refused.
        reason: String,
    },
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, action: &'static str, cause: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            cause,
        }
    }
}

fn broken_links_message(links: &[crate::markdown::links::BrokenLink]) -> String {
    let mut message = String::new();
    for link in links {
        message.push_str(&format!("{link} [{}]\n", link.rule));
    }
    message.push_str(&format!(
        "{} broken link{} (set a rule to \"warning\" or \"off\" in book.toml's [check.rules] to build anyway)",
        links.len(),
        if links.len() == 1 { "" } else { "s" }
    ));
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 3),
            Position { line: 2, column: 1 }
        );
        // 'é' is two bytes; the column counts characters.
        assert_eq!(
            Position::of_offset(text, 7),
            Position { line: 2, column: 4 }
        );
        assert_eq!(
            Position::of_offset(text, 99),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn location_displays_like_a_compiler() {
        let loc = Location::at("a/b.md", Position { line: 3, column: 7 });
        assert_eq!(loc.to_string(), "a/b.md:3:7");
        assert_eq!(Location::file("x.toml").to_string(), "x.toml");
    }
}
