//! Output: writes every file of the site (pages, print page, static files, 404 page, sitemap,
//! assets) into a [`Staging`] directory that is swapped into place when complete.

mod staging;

use std::path::Path;

use rayon::prelude::*;

pub use staging::{check_destination, Staging, MARKER};

use crate::book::{Book, STATIC_DIR};
use crate::error::Result;
use crate::markdown::{self, Emit, Highlighter};
use crate::render::{self, Renderer, Templates};
use crate::theme::Theme;
use crate::Site;

/// Where a build's files go: the staging directory of `build`, or the dev server's in-memory
/// site. Paths are relative to the site root, with `/` separators.
pub trait Sink: Sync {
    /// Writes (or replaces) one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Copies `from` (an asset of the book) to `rel`.
    fn copy(&self, rel: &str, from: &Path) -> Result<()>;
    /// The site path of every file written so far, sorted: what the offline copies of the
    /// site ([`crate::offline`]), written last, are made of.
    fn written(&self) -> Result<Vec<String>>;
    /// The bytes of the file written at `rel` (read one at a time, so that making the
    /// offline copies never holds the whole site in memory).
    fn read(&self, rel: &str) -> Result<Vec<u8>>;
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        Staging::copy(self, rel, from)
    }

    fn written(&self) -> Result<Vec<String>> {
        Staging::written(self)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>> {
        Staging::read(self, rel)
    }
}

/// Writes every file of `site` into `staging`.
pub fn write_site(
    site: &Site,
    theme: &Theme,
    templates: &Templates,
    staging: &dyn Sink,
) -> Result<()> {
    let renderer = Renderer::new(templates, &site.config, &site.book, has_quizzes(site))?;
    write_pages(site, &renderer, staging)?;
    write_site_pages(site, &renderer, staging)?;
    let highlight_css = write_static_files(theme, staging)?;
    write_not_found_page(theme, &renderer, &highlight_css, staging)?;
    staging.write(".nojekyll", b"")?;
    if let Some(base) = &site.config.book.site_url {
        staging.write("sitemap.xml", sitemap(base, &site.book).as_bytes())?;
    }
    for asset in &site.book.assets {
        staging.copy(&asset.output, &asset.file)?;
    }
    crate::offline::write(site, staging)
}

/// Whether any chapter has a quiz (then the Review and Progress pages exist).
pub fn has_quizzes(site: &Site) -> bool {
    site.rendered.iter().any(|r| !r.quizzes.is_empty())
}

/// Writes every chapter's page, in parallel.
pub fn write_pages(site: &Site, renderer: &Renderer<'_>, staging: &dyn Sink) -> Result<()> {
    (0..site.book.chapters.len())
        .into_par_iter()
        .try_for_each(|i| write_page(site, renderer, i, staging))
}

/// Writes chapter `index`'s page.
pub fn write_page(
    site: &Site,
    renderer: &Renderer<'_>,
    index: usize,
    staging: &dyn Sink,
) -> Result<()> {
    let html = renderer.page(index, &site.rendered[index])?;
    staging.write(&site.book.chapters[index].output, html.as_bytes())
}

/// Writes the pages made from every chapter: the print page, the search index, and the Review
/// and Progress pages when the book has quizzes.
pub fn write_site_pages(site: &Site, renderer: &Renderer<'_>, staging: &dyn Sink) -> Result<()> {
    write_print_page(site, renderer, staging)?;
    crate::search::write_index(site, staging)?;
    if has_quizzes(site) {
        crate::study::write_study_pages(site, renderer, staging)?;
    }
    Ok(())
}

fn write_print_page(site: &Site, renderer: &Renderer<'_>, staging: &dyn Sink) -> Result<()> {
    let bodies: Vec<String> = site
        .book
        .chapters
        .par_iter()
        .zip(&site.rendered)
        .map(|(chapter, rendered)| {
            let prefix = markdown::print_id(&chapter.output);
            rendered.ir.to_html(Emit::Print { prefix: &prefix })
        })
        .collect();
    let html = renderer.print_page(&site.rendered, &bodies)?;
    staging.write("print.html", html.as_bytes())
}

/// Writes the theme's CSS, JS and other files to `static/`; returns `highlight.css`.
pub fn write_static_files(theme: &Theme, staging: &dyn Sink) -> Result<String> {
    let highlight_css = match theme.get("highlight.css") {
        Some(file) => file.text()?.to_owned(),
        None => Highlighter::css(),
    };
    staging.write(
        &format!("{STATIC_DIR}/highlight.css"),
        highlight_css.as_bytes(),
    )?;
    for file in theme.static_files().filter(|f| f.name != "highlight.css") {
        staging.write(&format!("{STATIC_DIR}/{}", file.name), &file.bytes)?;
    }
    Ok(highlight_css)
}

/// Writes `404.html`, which inlines the theme's CSS (with `highlight_css`) and JS.
pub fn write_not_found_page(
    theme: &Theme,
    renderer: &Renderer<'_>,
    highlight_css: &str,
    staging: &dyn Sink,
) -> Result<()> {
    let theme_text = |name| theme.get(name).map(|f| f.text()).transpose();
    let inline_css = format!("{}\n{highlight_css}", theme_text("book.css")?.unwrap_or(""));
    let inline_js = theme_text("book.js")?.unwrap_or("");
    let html = renderer.not_found_page(&inline_css, inline_js)?;
    staging.write("404.html", html.as_bytes())
}

fn sitemap(base: &str, book: &Book) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for chapter in &book.chapters {
        xml.push_str("  <url><loc>");
        markdown::escape_attr(&mut xml, &render::page_url(base, &chapter.output));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
