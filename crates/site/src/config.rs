//! `book.toml`: the book's configuration, loaded with serde and validated into a [`Config`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Position, Result};

/// The configuration file's name, at the book root.
pub const CONFIG_FILE: &str = "book.toml";

/// `book.toml` as written by the author.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookToml {
    /// `[book]`: what the book is (required: a book has a title).
    pub book: Option<BookMeta>,
    /// `[build]`: where things are.
    #[serde(default)]
    pub build: BuildPaths,
    /// `[check]`: how `coursebook check` treats each rule and external links.
    #[serde(default)]
    pub check: CheckConfig,
}

/// How a rule's findings are treated, as set in `[check.rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleLevel {
    /// Fails the check.
    Error,
    /// Reported; fails only with `--deny warnings`.
    Warning,
    /// Not run.
    Off,
}

/// `[check]` in `book.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// Rule id -> level, overriding the rule's default severity
    /// (`shell-syntax = "warning"`). The lint crate rejects ids it does not know.
    #[serde(default)]
    pub rules: std::collections::BTreeMap<String, RuleLevel>,
    /// `[check.external]`: the opt-in external link check.
    #[serde(default)]
    pub external: ExternalLinks,
}

/// `[check.external]` in `book.toml`. A key left out takes its value from
/// [`ExternalLinks::default`], the one place the defaults are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExternalLinks {
    /// URLs matching any of these regular expressions are not fetched.
    pub exclude: Vec<String>,
    /// Seconds before a request gives up.
    pub timeout: u64,
    /// Attempts after the first for timeouts and connection errors.
    pub retries: u32,
    /// Requests in flight at once in all.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// How long a good result is reused from the cache, e.g. `"1d"`, `"6h"`.
    pub max_age: String,
    /// The on-disk cache of results, relative to the book root.
    pub cache: PathBuf,
}

impl Default for ExternalLinks {
    fn default() -> Self {
        ExternalLinks {
            exclude: Vec::new(),
            timeout: 10,
            retries: 2,
            concurrency: 16,
            per_host: 2,
            max_age: "1d".to_owned(),
            cache: PathBuf::from(".coursebook-cache/links.json"),
        }
    }
}

/// `[book]` in `book.toml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all(deserialize = "kebab-case"))]
pub struct BookMeta {
    /// Shown in the top bar and every page title.
    pub title: String,
    /// The home page's meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// Shown in the footer and the print page.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The `lang` attribute of every page.
    #[serde(default = "default_language")]
    pub language: String,
    /// Where the site is published, e.g. `https://user.github.io/course/`. Enables canonical
    /// links, `sitemap.xml`, and absolute links on the 404 page.
    #[serde(default)]
    pub site_url: Option<String>,
    /// The title as a slug (not configurable): the page's `data-book`, which names the
    /// learner's progress in the browser's storage and in export files.
    #[serde(skip_deserializing)]
    pub id: String,
    /// Whether pages register the offline service worker: `service-worker` in `[build]` (not
    /// configurable here; templates read it as `book.service_worker`).
    #[serde(skip_deserializing)]
    pub service_worker: bool,
    /// The site path of the whole site as a zip (`<id>.zip`) when `download` in `[build]` is
    /// on, else `None` (not configurable here; templates read it as `book.download`).
    #[serde(skip_deserializing)]
    pub download: Option<String>,
}

impl Default for BookMeta {
    fn default() -> Self {
        BookMeta {
            id: "untitled-course".to_owned(),
            title: "Untitled course".to_owned(),
            description: None,
            authors: Vec::new(),
            language: default_language(),
            site_url: None,
            service_worker: true,
            download: None,
        }
    }
}

fn default_language() -> String {
    "en".to_owned()
}

/// `[build]` in `book.toml`; relative paths are relative to the book root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildPaths {
    /// The markdown sources.
    #[serde(default = "default_content_dir")]
    pub content_dir: PathBuf,
    /// Where the site is written.
    #[serde(default = "default_dest_dir")]
    pub dest_dir: PathBuf,
    /// The book's theme overrides: `theme/` when it exists; a folder named here must exist.
    #[serde(default)]
    pub theme_dir: Option<PathBuf>,
    /// `service-worker`: the site registers `sw.js`, which caches the complete build so that
    /// a learner who opened it over http(s) can keep reading offline. Default `true`; when
    /// off, `sw.js` removes the worker from browsers that installed it from an earlier build.
    #[serde(default = "default_true")]
    pub service_worker: bool,
    /// `download`: the build writes the whole site as `<book id>.zip` at its root, linked as
    /// "Download for offline reading". Default `true`.
    #[serde(default = "default_true")]
    pub download: bool,
}

impl Default for BuildPaths {
    fn default() -> Self {
        BuildPaths {
            content_dir: default_content_dir(),
            dest_dir: default_dest_dir(),
            theme_dir: None,
            service_worker: true,
            download: true,
        }
    }
}

fn default_content_dir() -> PathBuf {
    PathBuf::from("content")
}
fn default_dest_dir() -> PathBuf {
    PathBuf::from("book")
}
fn default_theme_dir() -> PathBuf {
    PathBuf::from("theme")
}
fn default_true() -> bool {
    true
}

/// The validated configuration with absolute paths.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory holding `book.toml`.
    pub root: PathBuf,
    /// `[book]`, with `site-url` normalised to end in `/`.
    pub book: BookMeta,
    /// Absolute content directory.
    pub content_dir: PathBuf,
    /// Absolute output directory.
    pub dest_dir: PathBuf,
    /// Absolute theme override directory (it need not exist).
    pub theme_dir: PathBuf,
    /// `[check]`, as written.
    pub check: CheckConfig,
    /// The `book.toml` text, so later stages can point at the line of a key they reject.
    pub source: String,
}

impl Config {
    /// Reads and validates `root/book.toml`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        // A pipe or a device named book.toml would block the read or never end it.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(Error::Config {
                location: Location::file(&path),
                message: "not a regular file".to_owned(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Config {
                    location: Location::file(&path),
                    message:
                        "file not found; is this a coursebook book? (`coursebook init` creates one)"
                            .to_owned(),
                }
            } else {
                Error::io(&path, "cannot read", e)
            }
        })?;
        Self::from_str(root, &path, &text)
    }

    /// Parses `text`, the contents of `path`, for the book at `root`.
    pub fn from_str(root: &Path, path: &Path, text: &str) -> Result<Config> {
        let raw: BookToml = toml::from_str(text).map_err(|e| Error::Config {
            location: toml_location(path, text, &e),
            message: e.message().trim().to_owned(),
        })?;
        let config_error = |key: &str, message: String| Error::Config {
            location: key_location(path, text, key),
            message,
        };
        let Some(mut book) = raw.book else {
            return Err(config_error(
                "[book]",
                "no [book] table: every book needs one with a title, e.g.\n\n[book]\ntitle = \"My course\"".to_owned(),
            ));
        };
        check_title(&book.title).map_err(|message| config_error("title", message))?;
        book.id = crate::slug::slugify(&book.title);
        if book.id.is_empty() {
            "course".clone_into(&mut book.id);
        }
        book.service_worker = raw.build.service_worker;
        book.download = (raw.build.download).then(|| {
            // A file name stays well under the 255 bytes file systems allow.
            let stem: String = book.id.chars().take(MAX_FILE_STEM).collect();
            format!("{stem}.zip")
        });
        for (key, dir) in [
            ("content-dir", Some(&raw.build.content_dir)),
            ("theme-dir", raw.build.theme_dir.as_ref()),
        ] {
            if dir.is_some_and(|dir| leaves_the_book(dir)) {
                let message = format!(
                    "{key} must be a folder inside the book (no absolute path, no `..`): \
                     the build publishes what it holds"
                );
                return Err(config_error(key, message));
            }
        }
        let named_theme = raw.build.theme_dir.is_some();
        let theme_dir = root.join(raw.build.theme_dir.unwrap_or_else(default_theme_dir));
        if named_theme && !theme_dir.is_dir() {
            // A warning, not an error: a book copied without its (optional) theme still builds.
            tracing::warn!(
                "{}: theme-dir: {} is not a folder; building with the built-in theme alone",
                key_location(path, text, "theme-dir"),
                theme_dir.display()
            );
        }
        if let Some(url) = book.site_url.take() {
            book.site_url = Some(validate_site_url(&url).map_err(|message| Error::Config {
                location: key_location(path, text, "site-url"),
                message,
            })?);
        }
        Ok(Config {
            root: root.to_path_buf(),
            book,
            content_dir: root.join(raw.build.content_dir),
            dest_dir: root.join(raw.build.dest_dir),
            theme_dir,
            check: raw.check,
            source: text.to_owned(),
        })
    }

    /// Turns off the offline service worker and download, as the dev server does (its `sw.js`
    /// only removes a worker that a site served earlier on the same port left behind).
    pub fn disable_offline(&mut self) {
        self.book.service_worker = false;
        self.book.download = None;
    }

    /// Overrides `site-url`, e.g. from the command line in a deployment workflow.
    pub fn set_site_url(&mut self, url: &str) -> Result<()> {
        self.book.site_url = Some(validate_site_url(url).map_err(|message| Error::Config {
            location: Location::file("--site-url"),
            message,
        })?);
        Ok(())
    }
}

/// Whether `dir`, relative to the book root, could name a folder outside it.
fn leaves_the_book(dir: &Path) -> bool {
    dir.components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    })
}

/// The longest title accepted, in characters: it is every page's `<title>`.
pub const MAX_TITLE: usize = 200;
/// The longest file name stem made from the title (the offline zip's).
const MAX_FILE_STEM: usize = 60;

/// A title is one line of text of at most [`MAX_TITLE`] characters.
pub fn check_title(title: &str) -> std::result::Result<(), String> {
    if title.trim().is_empty() {
        return Err(
            "title is empty: name the course, e.g. title = \"Kubernetes internals\"".to_owned(),
        );
    }
    if let Some(c) = title.chars().find(|c| c.is_control()) {
        return Err(format!(
            "title holds the control character U+{:04X}: a title is one line of text",
            u32::from(c)
        ));
    }
    let length = title.chars().count();
    if length > MAX_TITLE {
        return Err(format!(
            "title is {length} characters long; keep it to {MAX_TITLE} (it heads every page)"
        ));
    }
    Ok(())
}

/// `site-url` must be an absolute http(s) URL; it is returned ending in `/`.
fn validate_site_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`site-url` must start with https:// or http://, got `{url}`"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("`site-url` has no host: `{url}`"));
    }
    if url.contains(['?', '#', ' ']) {
        return Err(format!(
            "`site-url` must be a plain directory URL without query, fragment or spaces: `{url}`"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

fn toml_location(path: &Path, text: &str, error: &toml::de::Error) -> Location {
    match error.span() {
        Some(span) => Location::at(path, Position::of_offset(text, span.start)),
        None => Location::file(path),
    }
}

/// The line where `key = ` is first written, for errors found after parsing.
pub fn key_location(path: &Path, text: &str, key: &str) -> Location {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            let indent = line.len() - line.trim_start().len();
            return Location::at(path, Position::of_offset(text, offset + indent));
        }
        offset += line.len();
    }
    Location::file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::from_str(Path::new("/b"), Path::new("/b/book.toml"), text)
    }

    #[test]
    fn a_book_needs_a_title_of_one_sensible_line() {
        for (text, needle) in [
            ("", "no [book] table"),
            ("[build]\ndownload = false\n", "no [book] table"),
            ("[book]\n", "missing field `title`"),
            ("[book]\ntitle = \"  \"\n", "title is empty"),
            ("[book]\ntitle = \"a\\nb\"\n", "U+000A"),
            ("[book]\ntitle = \"a\\u0001b\"\n", "U+0001"),
        ] {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
        let long = format!("[book]\ntitle = \"{}\"\n", "é".repeat(MAX_TITLE + 1));
        let err = parse(&long).expect_err("long").to_string();
        assert!(
            err.contains("book.toml:2:1") && err.contains("201 characters"),
            "{err}"
        );
        let fits = parse(&format!("[book]\ntitle = \"{}\"\n", "ü".repeat(MAX_TITLE)));
        let zip = fits.expect("fits").book.download.expect("zip");
        assert!(zip.len() < 200, "{zip}");
        let symbols = parse("[book]\ntitle = \"!!!\"\n").expect("symbols");
        assert_eq!(symbols.book.download.as_deref(), Some("course.zip"));
    }

    #[test]
    fn sources_outside_the_book_are_refused() {
        for (key, value) in [
            ("content-dir", "/etc"),
            ("content-dir", "../other"),
            ("content-dir", "content/../../x"),
            ("theme-dir", "/root/.ssh"),
        ] {
            let text = format!("[book]\ntitle='T'\n[build]\n{key} = \"{value}\"\n");
            let err = parse(&text).expect_err(value).to_string();
            assert!(
                err.contains("book.toml:4:1") && err.contains("inside the book"),
                "{err}"
            );
        }
        parse("[book]\ntitle='T'\n[build]\ncontent-dir = \"./src/content\"\n").expect("inside");
        parse("[book]\ntitle='T'\n[build]\ndest-dir = \"../site\"\n").expect("dest may leave");
    }

    #[test]
    fn a_missing_theme_dir_is_no_error() {
        let c = parse("[book]\ntitle='T'\n[build]\ntheme-dir = \"skin\"\n").expect("warns");
        assert_eq!(c.theme_dir, Path::new("/b/skin"));
        let c = parse("[book]\ntitle='T'\n").expect("default theme dir need not exist");
        assert_eq!(c.theme_dir, Path::new("/b/theme"));
    }

    #[test]
    fn defaults_apply_to_a_minimal_file() {
        let c = parse("[book]\ntitle = \"T\"\n").expect("valid");
        assert_eq!(c.book.title, "T");
        assert_eq!(c.book.language, "en");
        assert_eq!(c.content_dir, Path::new("/b/content"));
        assert_eq!(c.dest_dir, Path::new("/b/book"));
        assert!(c.book.site_url.is_none());
    }

    #[test]
    fn unknown_key_is_an_error_naming_key_file_and_line() {
        let err = parse("[book]\ntitle = \"T\"\ncolour = \"red\"\n").expect_err("unknown key");
        let msg = err.to_string();
        assert!(msg.starts_with("/b/book.toml:3:1:"), "{msg}");
        assert!(msg.contains("colour"), "{msg}");
    }

    #[test]
    fn external_link_keys_left_out_keep_their_defaults() {
        let c = parse("[book]\ntitle='T'\n[check.external]\ntimeout = 3\n").expect("valid");
        let defaults = ExternalLinks::default();
        assert_eq!(c.check.external.timeout, 3);
        assert_eq!(c.check.external.retries, defaults.retries);
        assert_eq!(c.check.external.cache, defaults.cache);
        let c = parse("[book]\ntitle='T'\n").expect("valid");
        assert_eq!(c.check.external.concurrency, 16);
        assert!(parse("[book]\ntitle='T'\n[check.external]\ntimeot = 3\n").is_err());
    }

    #[test]
    fn offline_reading_is_on_by_default_and_can_be_turned_off() {
        let c = parse("[book]\ntitle = \"My Course\"\n").expect("valid");
        assert!(c.book.service_worker);
        assert_eq!(c.book.download.as_deref(), Some("my-course.zip"));
        let text = "[book]\ntitle='T'\n[build]\nservice-worker = false\ndownload = false\n";
        let mut c = parse(text).expect("valid");
        assert!(!c.book.service_worker);
        assert_eq!(c.book.download, None);
        c = parse("[book]\ntitle='T'\n[build]\ndownload = false\n").expect("valid");
        assert!(c.book.service_worker, "each key is independent");
        c.book.download = Some("t.zip".to_owned());
        c.disable_offline();
        assert!(!c.book.service_worker && c.book.download.is_none());
    }

    #[test]
    fn unknown_build_keys_are_still_errors() {
        for (line, key) in [
            ("service_worker = false", "service_worker"),
            ("offline = true", "offline"),
        ] {
            let text = format!("[book]\ntitle='T'\n[build]\n{line}\n");
            let msg = parse(&text).expect_err(key).to_string();
            assert!(msg.starts_with("/b/book.toml:4:1:"), "{msg}");
            assert!(msg.contains(key), "{msg}");
        }
        let msg = parse("[book]\ntitle='T'\n[build]\ndownload = 'yes'\n")
            .expect_err("not a bool")
            .to_string();
        assert!(msg.starts_with("/b/book.toml:4:"), "{msg}");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let msg = parse("[book]\ntitle = \"T\n").expect_err("bad").to_string();
        assert!(msg.starts_with("/b/book.toml:2:"), "{msg}");
    }

    #[test]
    fn site_url_is_validated_and_normalised() {
        let c = parse("[book]\ntitle='T'\nsite-url='https://u.github.io/course'\n").expect("ok");
        assert_eq!(
            c.book.site_url.as_deref(),
            Some("https://u.github.io/course/")
        );
        let msg = parse("[book]\ntitle='T'\nsite-url='u.github.io'\n")
            .expect_err("no scheme")
            .to_string();
        assert!(msg.starts_with("/b/book.toml:3:1:"), "{msg}");
    }
}
