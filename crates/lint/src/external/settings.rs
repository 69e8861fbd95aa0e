//! `[check.external]` of `book.toml`, validated and turned into what the checker runs with.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use coursebook_site::config::{key_location, CONFIG_FILE};
use coursebook_site::Site;
use regex::Regex;

use crate::error::{Error, Result};

/// How the external-link check runs.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// URLs matching any of these are not fetched.
    pub exclude: Vec<Regex>,
    /// How long one request (redirects and body included) may take.
    pub timeout: Duration,
    /// Attempts after the first, for timeouts, connection errors, 429 and 5xx.
    pub retries: u32,
    /// Worker threads.
    pub concurrency: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// How long a good result is reused from the cache.
    pub max_age: Duration,
    /// The cache file.
    pub cache: PathBuf,
    /// The first wait before a retry; it doubles with every attempt.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured (longer ones wait this long).
    pub retry_after_cap: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Whether `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` apply (off in tests, which only talk to
    /// 127.0.0.1).
    pub env_proxy: bool,
}

impl Settings {
    /// The settings of `site`'s `book.toml`, or where a value is wrong.
    pub(crate) fn from_site(site: &Site) -> Result<Settings> {
        let config = &site.config.check.external;
        let invalid = |key: &str, message: String| Error::Config {
            location: key_location(
                &site.config.root.join(CONFIG_FILE),
                &site.config.source,
                key,
            ),
            message,
        };
        let exclude = config
            .exclude
            .iter()
            .map(|pattern| {
                Regex::new(pattern).map_err(|err| {
                    invalid(
                        "exclude",
                        format!("invalid regular expression `{pattern}` in [check.external] exclude: {err}"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let max_age = humantime::parse_duration(&config.max_age).map_err(|err| {
            invalid(
                "max-age",
                format!(
                    "invalid [check.external] max-age `{}` ({err}); write e.g. \"1d\" or \"6h\"",
                    config.max_age
                ),
            )
        })?;
        for (key, value) in [
            ("timeout", config.timeout),
            ("concurrency", config.concurrency as u64),
            ("per-host", config.per_host as u64),
        ] {
            if value == 0 {
                return Err(invalid(
                    key,
                    format!("[check.external] {key} must be at least 1"),
                ));
            }
        }
        let cache = site.config.root.join(&config.cache);
        if let Some(what) = protected(&site.config, &cache) {
            return Err(invalid(
                "cache",
                format!(
                    "[check.external] cache `{}` is {what}: the link cache is rewritten on \
                     every `check --external`, so it must be a file of its own (the default is \
                     \".coursebook-cache/links.json\")",
                    config.cache.display()
                ),
            ));
        }
        Ok(Settings {
            exclude,
            timeout: Duration::from_secs(config.timeout),
            retries: config.retries,
            concurrency: config.concurrency,
            per_host: config.per_host,
            max_age,
            cache,
            backoff: Duration::from_millis(500),
            retry_after_cap: Duration::from_secs(5),
            max_redirects: 10,
            env_proxy: true,
        })
    }

    /// Whether `url` matches an `exclude` pattern.
    pub(crate) fn excludes(&self, url: &str) -> bool {
        self.exclude.iter().any(|pattern| pattern.is_match(url))
    }
}

/// What of the book `cache` would overwrite: `book.toml`, the book root, or a path inside
/// `content/`, the theme directory or the destination. Symbolic links and `..` are resolved
/// first.
fn protected(config: &coursebook_site::Config, cache: &Path) -> Option<&'static str> {
    let cache = resolve(cache);
    let root = resolve(&config.root);
    if cache == root.join(CONFIG_FILE) {
        return Some("book.toml");
    }
    if root.starts_with(&cache) {
        return Some("the book's folder");
    }
    [
        (&config.content_dir, "inside the content directory"),
        (&config.theme_dir, "inside the theme directory"),
        (&config.dest_dir, "inside the destination directory"),
    ]
    .into_iter()
    .find(|(dir, _)| {
        let dir = resolve(dir);
        cache.starts_with(&dir) || dir.starts_with(&cache)
    })
    .map(|(_, what)| what)
}

/// `path` made absolute, its deepest existing ancestor canonicalised (symbolic links
/// followed) and `.`/`..` in the rest resolved by name.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir().map_or_else(|_| path.to_owned(), |cwd| cwd.join(path));
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut resolved = canonical;
            resolved.extend(rest.iter().rev());
            return resolved;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site_with;

    fn settings(toml: &str) -> Result<Settings> {
        let (_dir, site) = site_with(&[("index.md", "# A\n")], toml);
        Settings::from_site(&site)
    }

    fn error_of(toml: &str) -> String {
        match settings(toml) {
            Err(err) => err.to_string(),
            Ok(_) => panic!("expected an error for {toml}"),
        }
    }

    #[test]
    fn defaults_are_valid() {
        let s = settings("").expect("defaults");
        assert_eq!(s.max_age, Duration::from_secs(86_400));
        assert_eq!((s.concurrency, s.per_host, s.retries), (16, 2, 2));
        assert!(s.cache.ends_with(".coursebook-cache/links.json"));
    }

    #[test]
    fn exclude_patterns_match_urls() {
        let s = settings("[check.external]\nexclude = ['^https://example\\.com/']\n").expect("ok");
        assert!(s.excludes("https://example.com/a"));
        assert!(!s.excludes("https://example.org/a"));
    }

    #[test]
    fn invalid_values_name_their_line() {
        let err = error_of("[check.external]\nexclude = ['(']\n");
        assert!(
            err.contains("book.toml:4:1") && err.contains("`(`"),
            "{err}"
        );
        let err = error_of("[check.external]\nmax-age = \"soon\"\n");
        assert!(
            err.contains("book.toml:4:1") && err.contains("max-age"),
            "{err}"
        );
        let err = error_of("[check.external]\nper-host = 0\n");
        assert!(
            err.contains("book.toml:4:1") && err.contains("per-host"),
            "{err}"
        );
    }

    #[test]
    fn a_cache_over_the_books_own_files_is_refused() {
        for (cache, what) in [
            ("book.toml", "book.toml"),
            ("./x/../book.toml", "book.toml"),
            ("content/index.md", "inside the content directory"),
            ("content/new.json", "inside the content directory"),
            ("content", "inside the content directory"),
            ("theme/links.json", "inside the theme directory"),
            ("book/links.json", "inside the destination directory"),
            (".", "the book's folder"),
            ("..", "the book's folder"),
        ] {
            let message = error_of(&format!("[check.external]\ncache = {cache:?}\n"));
            assert!(message.contains("book.toml:"), "{message}");
            assert!(message.contains(what), "{cache}: {message}");
        }
        settings("[check.external]\ncache = \"links.json\"\n").expect("a file of its own");
        settings("[check.external]\ncache = \".cache/links.json\"\n").expect("a file of its own");
    }

    #[test]
    fn a_symbolic_link_into_the_book_is_resolved() {
        let (dir, site) = crate::testing::site_with(
            &[("index.md", "# A\n")],
            "[check.external]\ncache = \"alias/index.md\"\n",
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("content"), dir.path().join("alias"))
                .expect("symlink");
            let err = Settings::from_site(&site).expect_err("refused");
            assert!(err.to_string().contains("content directory"), "{err}");
        }
    }
}
