//! The build's scratch folders beside the destination (`.coursebook-staging-<pid>-…`,
//! `.coursebook-old-<pid>-…`): the ones this process has open, removed when it is stopped by a
//! signal, and the ones a process that died left behind, removed by the next build.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The name prefix of a site being written.
pub const STAGING_PREFIX: &str = ".coursebook-staging-";
/// The name prefix of a previous site moved aside during the swap.
pub const OLD_PREFIX: &str = ".coursebook-old-";

/// Scratch folders this process has open.
static OPEN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set once the process is stopping: no new file may be written.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// `prefix` with this process's id, so another build can tell whether its owner still runs.
pub fn owned_prefix(prefix: &str) -> String {
    format!("{prefix}{}-", std::process::id())
}

/// Whether the process is being stopped (writes should give up).
pub fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

/// Notes `dir` as open until [`Registration`] is dropped.
pub fn register(dir: &Path) -> Registration {
    lock().push(dir.to_path_buf());
    Registration(dir.to_path_buf())
}

/// Keeps a scratch folder on the list of those to remove on a signal.
#[derive(Debug)]
pub struct Registration(PathBuf);

impl Drop for Registration {
    fn drop(&mut self) {
        lock().retain(|p| p != &self.0);
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    OPEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes every scratch folder this process has open: called from a signal handler before
/// the process exits. Writers still running see [`stopping`] and stop creating files; the
/// second pass catches a folder one of them recreated in between.
pub fn remove_open() {
    STOPPING.store(true, Ordering::Relaxed);
    remove_registered();
}

fn remove_registered() {
    let open = lock().clone();
    for pass in 0..2 {
        for dir in &open {
            let _ = std::fs::remove_dir_all(dir);
        }
        if pass == 0 {
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

/// Removes, from `parent`, scratch folders whose process is gone (a build killed with
/// SIGKILL, or a machine that lost power). Folders of running builds are left alone.
pub fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(rest) = name
            .strip_prefix(STAGING_PREFIX)
            .or_else(|| name.strip_prefix(OLD_PREFIX))
        else {
            continue;
        };
        if is_stale(rest, &entry.path()) {
            tracing::info!("removing {}, left by a build that did not finish", name);
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `rest` is `<pid>-<random>` (or just `<random>` from versions that did not record the pid).
fn is_stale(rest: &str, path: &Path) -> bool {
    let pid = rest
        .split_once('-')
        .and_then(|(pid, _)| pid.parse::<u32>().ok());
    match pid {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) if Path::new("/proc/self").exists() => {
            !Path::new("/proc").join(pid.to_string()).exists()
        }
        // Without /proc, or without a pid: a folder untouched for a day is no build in progress.
        _ => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > Duration::from_secs(24 * 3600)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_dead_processes_are_removed_and_live_ones_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mine = tmp
            .path()
            .join(format!("{}abc", owned_prefix(STAGING_PREFIX)));
        // No process has pid 4294967: Linux caps pids at 2^22.
        let dead = tmp.path().join(format!("{STAGING_PREFIX}4194305-xyz"));
        let dead_old = tmp.path().join(format!("{OLD_PREFIX}4194305-xyz"));
        let unrelated = tmp.path().join("book");
        for dir in [&mine, &dead, &dead_old, &unrelated] {
            std::fs::create_dir_all(dir.join("days")).expect("mkdir");
        }
        remove_stale(tmp.path());
        assert!(mine.exists() && unrelated.exists());
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists() && !dead_old.exists());
        }
    }

    #[test]
    fn registered_folders_are_removed_on_a_signal_and_forgotten_when_done() {
        let tmp = tempfile::tempdir().expect("tmp");
        let done = tmp.path().join("done");
        std::fs::create_dir(&done).expect("mkdir");
        drop(register(&done));
        assert!(!lock().contains(&done));
        let open = tmp.path().join("open");
        std::fs::create_dir_all(open.join("x")).expect("mkdir");
        let _registration = register(&open);
        remove_registered();
        assert!(!open.exists() && done.exists());
    }
}
