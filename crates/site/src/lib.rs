//! coursebook's build pipeline: `book.toml` -> content discovery -> one markdown parse per
//! chapter with named passes -> templates -> a site written atomically.
//!
//! Each stage is a module that takes the previous stage's value and returns its own:
//! [`config`], [`book`], [`markdown`], [`render`], [`output`] (with [`study`] for the Review
//! and Progress pages). [`build`] wires them.
//! [`search`] builds the search index from every chapter's search text (written by `output`).
//! [`offline`] writes the service worker and the download, last, from every file of the site.

pub mod book;
pub mod config;
pub mod error;
pub mod markdown;
pub mod offline;
pub mod output;
pub mod render;
pub mod search;
pub mod slug;
pub mod study;
pub mod theme;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

pub use book::Book;
pub use config::Config;
pub use error::{Error, Result};
pub use markdown::RenderedChapter;

use markdown::{Highlighter, PassContext};
use output::Staging;
use render::Templates;
use theme::Theme;

pub use book::STATIC_DIR;

/// A loaded book with every chapter rendered: what build, lint and serve share.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// The discovered chapters.
    pub book: Book,
    /// `rendered[i]` is `book.chapters[i]` after every pass.
    pub rendered: Vec<RenderedChapter>,
}

impl Site {
    /// Loads the content and renders every chapter (in parallel).
    pub fn load(config: Config, highlighter: &Highlighter) -> Result<Site> {
        let book = Book::load(&config.content_dir)?;
        let outputs = book.outputs();
        let cx = PassContext {
            outputs: &outputs,
            highlighter,
        };
        let rendered = book
            .chapters
            .par_iter()
            .map(|chapter| markdown::render_chapter(chapter, &cx))
            .collect::<Result<Vec<_>>>()?;
        Ok(Site {
            config,
            book,
            rendered,
        })
    }

    /// Fails on links to chapters, anchors or files that do not exist, the cheap rules of
    /// `coursebook check` that every build runs; `[check.rules]` can make one a warning or
    /// turn it off.
    pub fn check_links(&self) -> Result<()> {
        let mut errors = Vec::new();
        for broken in markdown::links::broken(&self.book, &self.rendered) {
            match self.config.check.rules.get(broken.rule) {
                Some(config::RuleLevel::Off) => {}
                Some(config::RuleLevel::Warning) => tracing::warn!("{broken}"),
                Some(config::RuleLevel::Error) | None => errors.push(broken),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::BrokenLinks(errors))
        }
    }
}

/// What a build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// Chapter pages written.
    pub pages: usize,
    /// Files written in all (pages, print and 404 pages, static files, assets).
    pub files: usize,
    /// Where the site is.
    pub dest: PathBuf,
}

/// Builds the book described by `config` into `config.dest_dir`.
pub fn build(config: Config) -> Result<BuildReport> {
    let started = Instant::now();
    output::check_destination(&config)?;
    let theme = Theme::load(&config.theme_dir)?;
    let templates = Templates::compile(&theme)?;
    let highlighter = Highlighter::new();
    tracing::debug!(elapsed = ?started.elapsed(), "theme and syntaxes loaded");
    let site = Site::load(config, &highlighter)?;
    site.check_links()?;
    tracing::debug!(elapsed = ?started.elapsed(), chapters = site.book.chapters.len(), "chapters rendered");
    let staging = Staging::new(&site.config.dest_dir)?;
    output::write_site(&site, &theme, &templates, &staging)?;
    let files = staging.commit()?;
    tracing::debug!(elapsed = ?started.elapsed(), files, "site written");
    Ok(BuildReport {
        pages: site.book.chapters.len(),
        files,
        dest: site.config.dest_dir.clone(),
    })
}
