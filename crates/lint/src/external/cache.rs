//! The on-disk cache of good results, so that a second `check --external` within `max-age`
//! fetches nothing again.
//!
//! Only successes are kept: a broken or unavailable link is fetched again on every run, so that
//! a fix (or a server that came back) shows at once. A cache that cannot be read is a warning
//! and is ignored; it is only ever an optimisation. But a file at the cache's path that is not
//! a cache (a chapter, `book.toml`, anything else the setting points at by mistake) is never
//! replaced: [`ensure_replaceable`] refuses it, and [`Cache::save`] leaves it alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::fetch::Outcome;

/// The layout of the file; another version is ignored.
const VERSION: u32 = 1;

/// The file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

/// One URL's last good result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// When it was fetched, in seconds since the Unix epoch.
    checked_at: u64,
    /// What was found.
    outcome: Outcome,
}

/// The cache, loaded from and saved to one file.
#[derive(Debug)]
pub(crate) struct Cache {
    path: PathBuf,
    max_age: Duration,
    now: u64,
    entries: BTreeMap<String, Entry>,
    /// Why the file at `path` is not a cache, when it exists and is not one: never written.
    foreign: Option<String>,
}

/// The shape every version of the file has, to tell an old cache from a file that is none.
#[derive(Debug, Deserialize)]
struct AnyVersion {
    #[allow(dead_code)]
    version: u32,
    #[allow(dead_code)]
    entries: serde_json::Value,
}

/// Why the file at `path` must not be replaced by a cache: it exists and is not a link cache
/// (of any version), or is not a regular file. `None` when it is missing or a cache.
fn not_a_cache(path: &Path) -> Option<String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => return Some(format!("cannot be read ({err})")),
    };
    if !meta.is_file() {
        return Some("is not a regular file".to_owned());
    }
    // A cache is small; a large file is something else (and is not read whole to find out).
    if meta.len() > 256 << 20 {
        return Some("is too large to be a link cache".to_owned());
    }
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<AnyVersion>(&bytes)
            .err()
            .map(|_| "is not a coursebook link cache".to_owned()),
        Err(err) => Some(format!("cannot be read ({err})")),
    }
}

/// Refuses a cache path whose file exists and is not a link cache, so that `check --external`
/// never replaces it.
pub(crate) fn ensure_replaceable(path: &Path) -> crate::Result<()> {
    match not_a_cache(path) {
        None => Ok(()),
        Some(why) => Err(crate::Error::NotACache {
            path: path.to_owned(),
            message: format!(
                "the link cache ([check.external] cache in book.toml) {why}; it was left alone: \
                 point `cache` at another file, or delete this one if it is an old cache"
            ),
        }),
    }
}

impl Cache {
    /// The cache at `path` (empty when it is missing or unreadable), whose entries are good
    /// for `max_age`.
    pub(crate) fn load(path: &Path, max_age: Duration) -> Cache {
        Cache {
            path: path.to_owned(),
            max_age,
            now: unix_now(),
            entries: read(path).unwrap_or_default(),
            foreign: not_a_cache(path),
        }
    }

    /// The cached outcome of `url`, when it is recent enough and enough for the fragments
    /// (`want_ids`: an HTML page cached without its ids is fetched again).
    pub(crate) fn fresh(&self, url: &str, want_ids: bool) -> Option<&Outcome> {
        let entry = self.entries.get(url)?;
        let age = self.now.checked_sub(entry.checked_at)?;
        if Duration::from_secs(age) > self.max_age {
            return None;
        }
        match &entry.outcome {
            Outcome::Ok { html, ids, .. } if !want_ids || !html || ids.is_some() => {
                Some(&entry.outcome)
            }
            _ => None,
        }
    }

    /// Keeps `outcome` for `url` when it is a success (of a page read whole).
    pub(crate) fn record(&mut self, url: &str, outcome: &Outcome) {
        if matches!(outcome, Outcome::Ok { partial: None, .. }) {
            let entry = Entry {
                checked_at: self.now,
                outcome: outcome.clone(),
            };
            self.entries.insert(url.to_owned(), entry);
        }
    }

    /// Writes the unexpired entries (creating the directory; replacing the file in one step so
    /// that a run cut short never leaves half a file). A failure is only a warning.
    pub(crate) fn save(&self) {
        if let Some(why) = &self.foreign {
            tracing::warn!(
                "not writing the link cache: {} {why}, and is left alone",
                self.path.display()
            );
            return;
        }
        let entries = self
            .entries
            .iter()
            .filter(|(_, e)| {
                self.now
                    .checked_sub(e.checked_at)
                    .is_some_and(|age| Duration::from_secs(age) <= self.max_age)
            })
            .map(|(url, e)| (url.clone(), e.clone()))
            .collect();
        let file = CacheFile {
            version: VERSION,
            entries,
        };
        if let Err(err) = write_atomically(&self.path, &file) {
            tracing::warn!(
                "could not write the link cache {}: {err}",
                self.path.display()
            );
        }
    }
}

/// The entries of the file at `path`; `None` (with a warning unless it is just missing) when
/// it cannot be used.
fn read(path: &Path) -> Option<BTreeMap<String, Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => {
            tracing::warn!("ignoring the link cache {}: {err}", path.display());
            return None;
        }
    };
    match serde_json::from_str::<CacheFile>(&text) {
        Ok(file) if file.version == VERSION => Some(file.entries),
        Ok(_) => None,
        Err(err) => {
            tracing::warn!("ignoring the corrupt link cache {}: {err}", path.display());
            None
        }
    }
}

fn write_atomically(path: &Path, file: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string_pretty(file).map_err(std::io::Error::other)?;
    let name = path
        .file_name()
        .map_or_else(|| "links.json".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temp, json).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(ids: Option<&[&str]>) -> Outcome {
        Outcome::Ok {
            status: 200,
            html: true,
            ids: ids.map(|ids| ids.iter().map(|s| (*s).to_owned()).collect()),
            partial: None,
        }
    }

    #[test]
    fn keeps_successes_across_a_save_and_load() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("deep/cache/links.json");
        let mut cache = Cache::load(&path, Duration::from_secs(60));
        cache.record("http://a/", &ok(Some(&["x"])));
        cache.record(
            "http://b/",
            &Outcome::Broken {
                reason: "404".into(),
            },
        );
        cache.save();
        let cache = Cache::load(&path, Duration::from_secs(60));
        assert_eq!(cache.fresh("http://a/", true), Some(&ok(Some(&["x"]))));
        assert_eq!(cache.fresh("http://b/", false), None);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
    }

    #[test]
    fn a_page_without_ids_is_refetched_for_a_fragment() {
        let dir = tempfile::tempdir().expect("dir");
        let mut cache = Cache::load(&dir.path().join("c.json"), Duration::from_secs(60));
        cache.record("http://a/", &ok(None));
        assert!(cache.fresh("http://a/", false).is_some());
        assert!(cache.fresh("http://a/", true).is_none());
    }

    #[test]
    fn old_and_future_entries_are_stale() {
        let dir = tempfile::tempdir().expect("dir");
        let mut cache = Cache::load(&dir.path().join("c.json"), Duration::from_secs(60));
        let entry = |checked_at| Entry {
            checked_at,
            outcome: ok(None),
        };
        cache.entries.insert("old".into(), entry(cache.now - 61));
        cache.entries.insert("future".into(), entry(cache.now + 10));
        assert!(cache.fresh("old", false).is_none());
        assert!(cache.fresh("future", false).is_none());
    }

    #[test]
    fn an_unreadable_cache_is_empty() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("c.json");
        std::fs::write(&path, "{ not json").expect("write");
        assert!(Cache::load(&path, Duration::from_secs(60))
            .entries
            .is_empty());
        std::fs::write(&path, r#"{"version":99,"entries":{}}"#).expect("write");
        assert!(Cache::load(&path, Duration::from_secs(60))
            .entries
            .is_empty());
        // A directory where the file should be: reading fails, nothing panics.
        let dir_path = dir.path().join("sub");
        std::fs::create_dir(&dir_path).expect("mkdir");
        let cache = Cache::load(&dir_path, Duration::from_secs(60));
        assert!(cache.entries.is_empty());
        cache.save();
    }

    #[test]
    fn a_file_that_is_not_a_cache_is_never_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        for (name, text) in [
            ("book.toml", "[book]\ntitle = \"x\"\n"),
            ("package.json", r#"{"version":"1.0.0","entries":{}}"#),
            ("notes.json", "{}"),
            ("empty.json", ""),
            ("binary.json", "\u{0}\u{1}\u{2}"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            assert!(ensure_replaceable(&path).is_err(), "{name}");
            let mut cache = Cache::load(&path, Duration::from_secs(60));
            cache.record("http://a/", &ok(None));
            cache.save();
            assert_eq!(
                std::fs::read_to_string(&path).expect("read"),
                text,
                "{name}"
            );
        }
        // A cache of another version is a cache: it may be replaced.
        let old = dir.path().join("old.json");
        std::fs::write(&old, r#"{"version":0,"entries":{"x":1}}"#).expect("write");
        assert!(ensure_replaceable(&old).is_ok());
        assert!(ensure_replaceable(&dir.path().join("missing.json")).is_ok());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(dir.path().join("book.toml"), &link).expect("symlink");
            assert!(ensure_replaceable(&link).is_err());
        }
    }
}
