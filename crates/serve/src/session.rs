//! The dev server's book: a [`LiveSite`] writing into the served files, and the changes the
//! watcher reports, sorted from the cheapest to rebuild to the dearest.

use std::path::Path;

use coursebook_site::live::{LiveSite, Rebuilt};
use coursebook_site::{Config, Error};

use crate::files::SiteFiles;

/// What a batch of file changes touched, from the cheapest to rebuild to the dearest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Chapters whose text changed, by source path (`days/02-etcd.md`).
    Chapters(Vec<String>),
    /// Theme files other than templates (CSS, JS, images), by name.
    Static(Vec<String>),
    /// Templates.
    Templates,
    /// Files added to or removed from `content/`, or assets changed.
    Content,
    /// `book.toml`.
    Config,
}

/// What a rebuild changed, for the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// These pages changed (empty: reload every page).
    Pages(Vec<String>),
    /// Only these stylesheets changed: swap them without a reload.
    Styles(Vec<String>),
}

/// A loaded book and the served files made from it.
#[derive(Debug)]
pub struct Session {
    root: std::path::PathBuf,
    live: LiveSite,
    files: SiteFiles,
}

impl Session {
    /// Loads and renders the book at `root` into `files`.
    pub fn load(root: &Path, files: SiteFiles) -> Result<Session, Error> {
        let fresh = SiteFiles::default();
        let live = LiveSite::load(root, &fresh)?;
        files.replace_with(&fresh);
        Ok(Session {
            root: root.to_path_buf(),
            live,
            files,
        })
    }

    /// The configuration (where content and theme live).
    pub fn config(&self) -> &Config {
        self.live.config()
    }

    /// How many chapters the book has.
    pub fn chapters(&self) -> usize {
        self.live.site().book.chapters.len()
    }

    /// The book's title.
    pub fn title(&self) -> &str {
        &self.config().book.title
    }

    /// Applies `change`; on error the served site is left as it was.
    pub fn apply(&mut self, change: &Change) -> Result<Outcome, Error> {
        let rebuilt = match change {
            Change::Chapters(sources) => self.live.replace_chapters(sources, &self.files)?,
            Change::Static(names) => return self.static_files(names),
            Change::Templates => self.fresh(|live, sink| live.reload_theme(sink))?,
            // Only what changed is written, after every changed chapter rendered.
            Change::Content => self.live.reload_content(&self.files)?,
            Change::Config => {
                *self = Session::load(&self.root, self.files.clone())?;
                Rebuilt::Everything
            }
        };
        Ok(match rebuilt {
            Rebuilt::Pages(pages) => Outcome::Pages(pages),
            Rebuilt::Everything => Outcome::Pages(Vec::new()),
        })
    }

    /// What the search index is made from, when it is out of date (build it off the rebuild
    /// loop: see `lib.rs`).
    pub fn take_index_job(&mut self) -> Option<coursebook_site::search::IndexJob> {
        self.live.take_index_job()
    }

    /// Whether chapter pages not rendered yet, or pages made from every chapter (Review,
    /// Progress, the print index), wait for [`Session::write_derived`].
    pub fn has_stale_pages(&self) -> bool {
        self.live.has_stale_pages()
    }

    /// Brings one group of stale pages up to date (a batch of chapter pages, or the pages made
    /// from every chapter); returns the site paths to announce, or `None` when nothing was
    /// stale. Called between saves, a step at a time, so a save waits for one step at most.
    pub fn write_derived(&mut self) -> Result<Option<Vec<String>>, Error> {
        self.live.write_derived(&self.files)
    }

    /// The file at site path `rel` when it is made on demand: a print page (kept until a
    /// chapter it holds changes), a chapter page not rendered yet, or a page made from every
    /// chapter (which renders the rest first); `None` for any other path.
    pub fn make(&mut self, rel: &str) -> Result<Option<std::sync::Arc<[u8]>>, Error> {
        let Some(html) = self.live.make(rel, &self.files)? else {
            // Rendered between the request's first look and now.
            return Ok(self.files.get(rel));
        };
        coursebook_site::sink::Sink::write(&self.files, rel, html.as_bytes())?;
        Ok(self.files.get(rel))
    }

    /// Rebuilds everything into a fresh set of files, swapped in only when complete.
    fn fresh(
        &mut self,
        rebuild: impl FnOnce(&mut LiveSite, &SiteFiles) -> Result<Rebuilt, Error>,
    ) -> Result<Rebuilt, Error> {
        let fresh = SiteFiles::default();
        let rebuilt = rebuild(&mut self.live, &fresh)?;
        self.files.replace_with(&fresh);
        Ok(rebuilt)
    }

    fn static_files(&mut self, names: &[String]) -> Result<Outcome, Error> {
        self.live.reload_static(&self.files)?;
        if names.iter().all(|n| n.ends_with(".css")) {
            let styles = names
                .iter()
                .map(|n| format!("{}/{n}", coursebook_site::STATIC_DIR));
            return Ok(Outcome::Styles(styles.collect()));
        }
        Ok(Outcome::Pages(Vec::new()))
    }
}
