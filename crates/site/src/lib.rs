//! coursebook's build pipeline: `book.toml` -> content discovery -> one markdown parse per
//! chapter with named passes -> templates -> a site written atomically.
//!
//! Each stage is a module that takes the previous stage's value and returns its own:
//! [`config`], [`book`], [`markdown`], [`render`] (with [`nav`] for the navigation and
//! [`print`](mod@print) for the print edition's layout), [`output`] (chapter pages and print pages, part
//! by part, then the pages made from the whole book), [`search`] (the search index from every
//! chapter's search text), [`study`] (the Review and Progress pages) and [`offline`] (the
//! service worker and the download, last, from every file of the site). [`build`] calls them
//! in that order; each writes into a [`sink::Sink`].

pub mod book;
pub mod config;
pub mod error;
pub mod live;
pub mod markdown;
pub mod nav;
pub mod offline;
pub mod output;
pub mod print;
pub mod render;
pub mod search;
pub mod sink;
pub mod slug;
pub mod study;
pub mod template_checks;
pub mod theme;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

pub use book::Book;
pub use config::Config;
pub use error::{Error, Result};
pub use markdown::RenderedChapter;

use markdown::{Highlighter, HtmlWanted, PassContext};
use output::Staging;
use print::PrintLayout;
use render::{Renderer, Templates};
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
    /// Where each chapter is printed.
    pub print: PrintLayout,
}

impl Site {
    /// Loads the content and renders every chapter (in parallel), keeping what the passes
    /// found but not the HTML: what `coursebook check` reads.
    pub fn load(config: Config, highlighter: &Highlighter) -> Result<Site> {
        let book = Book::load(&config.content_dir)?;
        let print = PrintLayout::new(&book);
        let outputs = book.outputs();
        let cx = PassContext {
            outputs: &outputs,
            highlighter,
            print: &print,
            html: HtmlWanted::Nothing,
        };
        let rendered = book
            .chapters
            .par_iter()
            .map(|chapter| markdown::render_chapter(chapter, &cx).map(|(facts, _)| facts))
            .collect::<Result<Vec<_>>>()?;
        Ok(Site {
            config,
            book,
            rendered,
            print,
        })
    }

    /// Whether any chapter has a quiz (then the Review and Progress pages exist).
    pub fn has_quizzes(&self) -> bool {
        self.rendered.iter().any(|r| !r.quizzes.is_empty())
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

/// Writes what is made from the whole book once its chapters are written, in order: the
/// navigation, contents, print index, static and 404 pages, the search index, the Review and
/// Progress pages, and last the offline copies made from every file written before.
pub fn write_whole_book(
    site: &Site,
    theme: &Theme,
    templates: &Templates,
    sink: &dyn sink::Sink,
) -> Result<()> {
    let started = Instant::now();
    let renderer = Renderer::new(templates, &site.config, &site.book, &site.print);
    output::write_book_pages(site, &renderer, theme, sink)?;
    tracing::debug!(elapsed = ?started.elapsed(), "navigation, contents, print and static pages written");
    search::write_index(site, sink)?;
    tracing::debug!(elapsed = ?started.elapsed(), "search index written");
    if site.has_quizzes() {
        study::write_study_pages(site, &renderer, sink)?;
    }
    offline::write(site, sink)?;
    tracing::debug!(elapsed = ?started.elapsed(), "offline copies written");
    Ok(())
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
    let book = Book::load(&config.content_dir)?;
    tracing::debug!(elapsed = ?started.elapsed(), chapters = book.chapters.len(), "book read");
    let staging = Staging::new(&config.dest_dir)?;
    let site = output::write_chapters(
        config,
        book,
        &templates,
        &highlighter,
        HtmlWanted::PageAndPrint,
        &staging,
    )?;
    tracing::debug!(elapsed = ?started.elapsed(), chapters = site.book.chapters.len(), "chapters written");
    site.check_links()?;
    tracing::debug!(elapsed = ?started.elapsed(), "links checked");
    write_whole_book(&site, &theme, &templates, &staging)?;
    tracing::debug!(elapsed = ?started.elapsed(), "search, study pages and offline copies written");
    let files = staging.commit()?;
    tracing::debug!(elapsed = ?started.elapsed(), files, "site written");
    Ok(BuildReport {
        pages: site.book.chapters.len(),
        files,
        dest: site.config.dest_dir.clone(),
    })
}
