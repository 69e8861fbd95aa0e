//! Watching the book: file events from `notify`, settled into batches (an editor's save is
//! often several events), and classified into the [`Change`] each batch calls for.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::session::Change;

/// How long the stream of events must pause before a batch is rebuilt. notify's debouncers
/// wait tens of milliseconds; a save settles in far less, and every millisecond here is
/// latency the author sees.
pub const SETTLE: Duration = Duration::from_millis(5);

/// What is watched: the content, the book's theme, and `book.toml`.
#[derive(Debug, Clone)]
pub struct Watched {
    /// The book root (where `book.toml` is).
    pub root: PathBuf,
    /// The content directory.
    pub content_dir: PathBuf,
    /// The theme override directory (may not exist).
    pub theme_dir: PathBuf,
}

/// The running watcher; dropping it stops watching.
pub type WatchHandle = Arc<Mutex<notify::RecommendedWatcher>>;

/// Starts watching; each settled batch becomes the changes it calls for, sent to `changes`.
/// The returned handle must be kept alive.
pub fn watch(
    watched: Watched,
    changes: tokio::sync::mpsc::UnboundedSender<Vec<Change>>,
) -> notify::Result<WatchHandle> {
    let (events, received) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(events)?;
    watcher.watch(&watched.root, RecursiveMode::NonRecursive)?;
    watcher.watch(&watched.content_dir, RecursiveMode::Recursive)?;
    let theme_watched = watched.theme_dir.is_dir();
    if theme_watched {
        watcher.watch(&watched.theme_dir, RecursiveMode::Recursive)?;
    }
    let handle = Arc::new(Mutex::new(watcher));
    let weak = Arc::downgrade(&handle);
    std::thread::Builder::new()
        .name("coursebook-watch".into())
        .spawn(move || {
            let mut theme_watched = theme_watched;
            while let Some(paths) = next_batch(&received) {
                if let Some(watcher) = weak.upgrade() {
                    let mut watcher = watcher.lock().unwrap_or_else(|p| p.into_inner());
                    rearm(&mut *watcher, &watched, &paths, &mut theme_watched);
                }
                let batch = classify(&watched, &paths);
                tracing::debug!(?paths, ?batch, "file events");
                if !batch.is_empty() && changes.send(batch).is_err() {
                    return;
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(handle)
}

/// Watches the content and theme folders again when they were created, or moved or deleted
/// and brought back: a watch follows the folder it was set on, not its name.
fn rearm(
    watcher: &mut dyn Watcher,
    watched: &Watched,
    paths: &[PathBuf],
    theme_watched: &mut bool,
) {
    if paths.contains(&watched.content_dir) {
        // Unwatching a folder already gone fails, as expected.
        let _ = watcher.unwatch(&watched.content_dir);
        if let Err(err) = watcher.watch(&watched.content_dir, RecursiveMode::Recursive) {
            tracing::debug!("content folder not watched: {err}");
        }
    }
    if paths.contains(&watched.theme_dir) || (!*theme_watched && watched.theme_dir.is_dir()) {
        let _ = watcher.unwatch(&watched.theme_dir);
        *theme_watched = watcher
            .watch(&watched.theme_dir, RecursiveMode::Recursive)
            .is_ok();
    }
}

/// Waits for an event, then for the stream to pause for [`SETTLE`]: the paths touched, or
/// `None` once watching ends.
fn next_batch(received: &mpsc::Receiver<notify::Result<notify::Event>>) -> Option<Vec<PathBuf>> {
    let first = received.recv().ok()?;
    let mut paths = Vec::new();
    collect(first, &mut paths);
    while let Ok(next) = received.recv_timeout(SETTLE) {
        collect(next, &mut paths);
    }
    Some(paths)
}

fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    match event {
        Ok(event) if !matches!(event.kind, EventKind::Access(_)) => paths.extend(event.paths),
        Ok(_) => {}
        Err(err) => tracing::warn!("file watching: {err}"),
    }
}

/// The changes a set of touched paths calls for, dearest first and without redundancy.
pub fn classify(watched: &Watched, paths: &[PathBuf]) -> Vec<Change> {
    let mut chapters: Vec<String> = Vec::new();
    let mut statics: Vec<String> = Vec::new();
    let (mut content, mut templates, mut config) = (false, false, false);
    for path in paths {
        if is_editor_litter(path) {
            continue;
        }
        if path == &watched.root.join(coursebook_site::config::CONFIG_FILE) {
            config = true;
        } else if path == &watched.theme_dir {
            templates = true;
        } else if path == &watched.content_dir {
            content = true;
        } else if let Some(rel) = relative(path, &watched.content_dir) {
            if rel.ends_with(".md") && path.is_file() {
                if !chapters.contains(&rel) {
                    chapters.push(rel);
                }
            } else {
                content = true;
            }
        } else if let Some(rel) = relative(path, &watched.theme_dir) {
            if rel.ends_with(".html") || !path.exists() {
                templates = true;
            } else if !statics.contains(&rel) {
                statics.push(rel);
            }
        }
    }
    if config {
        return vec![Change::Config];
    }
    let mut plan = Vec::new();
    if templates {
        plan.push(Change::Templates);
    } else if !statics.is_empty() {
        plan.push(Change::Static(statics));
    }
    if content {
        plan.push(Change::Content);
    } else if !chapters.is_empty() {
        plan.push(Change::Chapters(chapters));
    }
    plan
}

fn relative(path: &Path, dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Swap files, backups and the like that editors write beside the real file.
fn is_editor_litter(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('.') && !path.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(dir: &Path) -> Watched {
        Watched {
            root: dir.to_path_buf(),
            content_dir: dir.join("content"),
            theme_dir: dir.join("theme"),
        }
    }

    #[test]
    fn classifies_and_orders_changes() {
        let dir = std::env::temp_dir().join(format!("cb-watch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content/days")).expect("mkdir");
        std::fs::create_dir_all(dir.join("theme")).expect("mkdir");
        for file in ["content/days/01-a.md", "theme/book.css", "book.toml"] {
            std::fs::write(dir.join(file), "x").expect("write");
        }
        let w = watched(&dir);
        let chapter = dir.join("content/days/01-a.md");
        assert_eq!(
            classify(&w, &[chapter.clone(), chapter.clone()]),
            vec![Change::Chapters(vec!["days/01-a.md".into()])]
        );
        assert_eq!(
            classify(&w, &[dir.join("theme/book.css"), chapter.clone()]),
            vec![
                Change::Static(vec!["book.css".into()]),
                Change::Chapters(vec!["days/01-a.md".into()])
            ]
        );
        assert_eq!(
            classify(&w, &[dir.join("content/days/02-gone.md"), chapter.clone()]),
            vec![Change::Content],
            "a deleted chapter rediscovers the content"
        );
        assert_eq!(
            classify(
                &w,
                &[dir.join("theme/page.html"), dir.join("theme/book.css")]
            ),
            vec![Change::Templates]
        );
        assert_eq!(
            classify(&w, &[dir.join("book.toml"), chapter]),
            vec![Change::Config]
        );
        assert!(classify(&w, &[dir.join("content/days/.01-a.md.swp")]).is_empty());
        assert!(
            classify(&w, &[dir.join("book/index.html")]).is_empty(),
            "output ignored"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
