//! The site as the dev server holds it: every file in memory, replaced one by one as rebuilds
//! write them, so a request never sees a half-written file and no path can leave the site.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use coursebook_site::sink::{Sink, WriteSeek};
use coursebook_site::Error;

/// The served files by site path (`days/etcd.html`).
#[derive(Debug, Default, Clone)]
pub struct SiteFiles {
    files: Arc<RwLock<HashMap<String, Arc<[u8]>>>>,
}

impl SiteFiles {
    /// The file at `rel`, if the site has it.
    pub fn get(&self, rel: &str) -> Option<Arc<[u8]>> {
        self.lock_read().get(rel).cloned()
    }

    /// Whether the site has a file at `rel`.
    pub fn contains(&self, rel: &str) -> bool {
        self.lock_read().contains_key(rel)
    }

    /// Replaces every file at once with `other`'s (after a full rebuild into a fresh set).
    pub fn replace_with(&self, other: &SiteFiles) {
        let fresh = other.lock_read().clone();
        *self.write_lock() = fresh;
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.lock_read().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock_read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<[u8]>>> {
        // A panic while holding the lock cannot leave the map inconsistent (inserts are atomic).
        self.files.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write_lock(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<[u8]>>> {
        self.files.write().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for SiteFiles {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.write_lock().insert(rel.to_owned(), Arc::from(bytes));
        Ok(())
    }

    fn write_streamed(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        fill(&mut bytes)?;
        self.write(rel, &bytes.into_inner())
    }

    fn remove(&self, rel: &str) -> Result<(), Error> {
        self.write_lock().remove(rel);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(from).map_err(|e| Error::io(from, "cannot read", e))?;
        self.write(rel, &bytes)
    }

    fn written(&self) -> Result<Vec<String>, Error> {
        let mut files: Vec<String> = self.lock_read().keys().cloned().collect();
        files.sort();
        Ok(files)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Error> {
        self.get(rel).map(|bytes| bytes.to_vec()).ok_or_else(|| {
            Error::io(
                Path::new(rel),
                "cannot read",
                std::io::ErrorKind::NotFound.into(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_copies_read_the_file() {
        let files = SiteFiles::default();
        files.write("a.html", b"one").expect("write");
        files.write("a.html", b"two").expect("write");
        assert_eq!(files.get("a.html").as_deref(), Some(&b"two"[..]));
        let dir = std::env::temp_dir().join(format!("cb-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("x.png"), b"png").expect("write");
        files.copy("img/x.png", &dir.join("x.png")).expect("copy");
        assert!(files.contains("img/x.png"));
        assert!(files.copy("y", &dir.join("missing")).is_err());
        let written = files.written().expect("written");
        assert_eq!(written, ["a.html", "img/x.png"]);
        assert_eq!(Sink::read(&files, "img/x.png").expect("read"), b"png");
        assert!(Sink::read(&files, "nope").is_err());
        let fresh = SiteFiles::default();
        fresh.write("b.html", b"b").expect("write");
        files.replace_with(&fresh);
        assert_eq!(files.len(), 1);
        std::fs::remove_dir_all(dir).ok();
    }
}
