//! coursebook's build pipeline: `book.toml` -> content discovery -> one markdown parse per
//! chapter with named passes -> templates -> a site written atomically.
//!
//! Each stage is a module that takes the previous stage's value and returns its own:
//! [`config`], [`book`], [`markdown`], [`render`], [`output`]. [`build`] wires them.

pub mod book;
pub mod config;
pub mod error;
pub mod markdown;
pub mod output;
pub mod render;
pub mod slug;
pub mod theme;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

pub use book::Book;
pub use config::Config;
pub use error::{Error, Result};
pub use markdown::RenderedChapter;

use markdown::{Emit, Highlighter, LinkTarget, PassContext};
use output::Staging;
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
            .collect();
        Ok(Site {
            config,
            book,
            rendered,
        })
    }
}

impl Site {
    /// Warns (without failing) about links to chapters, anchors or files that do not exist.
    /// `coursebook check` is the place for the full rules; this catches the common slip early.
    pub fn warn_broken_links(&self) {
        let by_source: std::collections::HashMap<&str, usize> = self
            .book
            .chapters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.source.as_str(), i))
            .collect();
        let has_id = |i: usize, id: &str| self.rendered[i].toc.iter().any(|t| t.id == id);
        for (i, chapter) in self.book.chapters.iter().enumerate() {
            for link in &self.rendered[i].links {
                let problem = match &link.target {
                    LinkTarget::MissingChapter { path } => format!("no chapter `{path}`"),
                    LinkTarget::MissingAsset { path } => {
                        format!("no file `{path}` in the content directory")
                    }
                    LinkTarget::OutsideContent => {
                        "it points outside the content directory".to_owned()
                    }
                    LinkTarget::SamePage { fragment } if !has_id(i, fragment) => {
                        format!("no heading `#{fragment}` in this chapter")
                    }
                    LinkTarget::Chapter {
                        source,
                        fragment: Some(fragment),
                    } if by_source
                        .get(source.as_str())
                        .is_some_and(|&t| !has_id(t, fragment)) =>
                    {
                        format!("no heading `#{fragment}` in `{source}`")
                    }
                    _ => continue,
                };
                tracing::warn!(
                    "{}:{}:{}: broken link `{}`: {problem}",
                    chapter.file.display(),
                    link.line,
                    link.column,
                    link.dest
                );
            }
        }
    }
}

/// What a build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// Chapter pages written.
    pub pages: usize,
    /// Files written in all.
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
    site.warn_broken_links();
    tracing::debug!(elapsed = ?started.elapsed(), chapters = site.book.chapters.len(), "chapters rendered");
    let staging = Staging::new(&site.config.dest_dir)?;
    let files = write_site(&site, &theme, &templates, &staging)?;
    staging.commit()?;
    tracing::debug!(elapsed = ?started.elapsed(), files, "site written");
    Ok(BuildReport {
        pages: site.book.chapters.len(),
        files,
        dest: site.config.dest_dir.clone(),
    })
}

/// Writes every file of the site into `staging`; returns how many.
fn write_site(
    site: &Site,
    theme: &Theme,
    templates: &Templates,
    staging: &Staging,
) -> Result<usize> {
    let renderer = Renderer::new(templates, &site.config, &site.book)?;
    let chapters = &site.book.chapters;
    chapters
        .par_iter()
        .enumerate()
        .try_for_each(|(i, chapter)| {
            let html = renderer.page(i, &site.rendered[i])?;
            staging.write(&chapter.output, html.as_bytes())
        })?;
    let print_bodies: Vec<String> = chapters
        .par_iter()
        .zip(&site.rendered)
        .map(|(chapter, rendered)| {
            let prefix = markdown::print_id(&chapter.output);
            rendered.ir.to_html(Emit::Print { prefix: &prefix })
        })
        .collect();
    staging.write(
        "print.html",
        renderer
            .print_page(&site.rendered, &print_bodies)?
            .as_bytes(),
    )?;
    let mut files = chapters.len() + 1;

    let highlight_css = match theme.get("highlight.css") {
        Some(file) => file.text()?.to_owned(),
        None => Highlighter::css(),
    };
    staging.write(
        &format!("{STATIC_DIR}/highlight.css"),
        highlight_css.as_bytes(),
    )?;
    files += 1;
    for file in theme.static_files().filter(|f| f.name != "highlight.css") {
        staging.write(&format!("{STATIC_DIR}/{}", file.name), &file.bytes)?;
        files += 1;
    }
    let theme_text = |name| theme.get(name).map(|f| f.text()).transpose();
    let inline_css = format!("{}\n{highlight_css}", theme_text("book.css")?.unwrap_or(""));
    let inline_js = theme_text("book.js")?.unwrap_or("");
    let not_found = renderer.not_found_page(&inline_css, inline_js)?;
    staging.write("404.html", not_found.as_bytes())?;
    staging.write(".nojekyll", b"")?;
    files += 2;
    if let Some(base) = &site.config.book.site_url {
        staging.write("sitemap.xml", sitemap(base, &site.book).as_bytes())?;
        files += 1;
    }
    for asset in &site.book.assets {
        staging.copy(&asset.output, &asset.file)?;
        files += 1;
    }
    Ok(files)
}

fn sitemap(base: &str, book: &Book) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for chapter in &book.chapters {
        let mut url = String::new();
        markdown::escape_attr(&mut url, &render::page_url(base, &chapter.output));
        xml.push_str(&format!("  <url><loc>{url}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}
