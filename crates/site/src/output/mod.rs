//! Output: writes the site into a [`Staging`] directory that is swapped into place when
//! complete. [`chapters`] renders and writes the chapter pages and print pages part by part;
//! [`write_book_pages`] writes what is made from the whole book (navigation, contents and
//! print index, static files, 404 page, sitemap, assets).

pub mod chapters;
pub mod leftovers;
mod staging;

use std::path::Path;

pub use chapters::write_chapters;
pub use staging::{check_destination, Staging, KEPT, MARKER};

use crate::book::{Book, STATIC_DIR};
use crate::error::Result;
use crate::markdown::{self, Highlighter};
use crate::nav::{CONTENTS_PAGE, NAV_SCRIPT};
use crate::print::PRINT_PAGE;
use crate::render::{self, Renderer};
use crate::sink::{Sink, WriteSeek};
use crate::theme::{Theme, NAV_CODE};
use crate::Site;

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn write_streamed(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<()>,
    ) -> Result<()> {
        Staging::write_streamed(self, rel, fill)
    }

    fn remove(&self, rel: &str) -> Result<()> {
        Staging::remove(self, rel)
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

/// Writes what is made from the whole book once its chapters are written: `nav.js`, the
/// contents page, the print index (of a book printed in parts), the theme's static files,
/// the 404 page, `.nojekyll`, the sitemap and the assets.
pub fn write_book_pages(
    site: &Site,
    renderer: &Renderer<'_>,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<()> {
    write_navigation(site, renderer, theme, sink)?;
    if site.print.is_split() {
        sink.write(PRINT_PAGE, renderer.print_index()?.as_bytes())?;
    }
    let highlight_css = write_static_files(theme, sink)?;
    write_not_found_page(theme, renderer, &highlight_css, sink)?;
    sink.write(".nojekyll", b"")?;
    if let Some(base) = &site.config.book.site_url {
        sink.write("sitemap.xml", sitemap(base, &site.book).as_bytes())?;
    }
    for asset in &site.book.assets {
        sink.copy(&asset.output, &asset.file)?;
    }
    Ok(())
}

/// Writes `nav.js` (every page's sidebar) and the contents page: what changes when a title or
/// the order of the chapters does.
pub fn write_navigation(
    site: &Site,
    renderer: &Renderer<'_>,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<()> {
    let code = theme.get(NAV_CODE).map(|f| f.text()).transpose()?;
    let script = renderer.nav_script(code.unwrap_or(""), site.has_quizzes());
    sink.write(NAV_SCRIPT, script.as_bytes())?;
    sink.write(CONTENTS_PAGE, renderer.contents_page()?.as_bytes())
}

/// Writes the theme's CSS, JS and other files to `static/`; returns `highlight.css`.
pub fn write_static_files(theme: &Theme, sink: &dyn Sink) -> Result<String> {
    let highlight_css = match theme.get("highlight.css") {
        Some(file) => file.text()?.to_owned(),
        None => Highlighter::css(),
    };
    sink.write(
        &format!("{STATIC_DIR}/highlight.css"),
        highlight_css.as_bytes(),
    )?;
    for file in theme.static_files().filter(|f| f.name != "highlight.css") {
        sink.write(&format!("{STATIC_DIR}/{}", file.name), &file.bytes)?;
    }
    Ok(highlight_css)
}

/// Writes `404.html`, which inlines the theme's CSS (with `highlight_css`), JS and favicon.
pub fn write_not_found_page(
    theme: &Theme,
    renderer: &Renderer<'_>,
    highlight_css: &str,
    sink: &dyn Sink,
) -> Result<()> {
    let theme_text = |name| theme.get(name).map(|f| f.text()).transpose();
    let inline_css = format!("{}\n{highlight_css}", theme_text("book.css")?.unwrap_or(""));
    let inline_js = theme_text("book.js")?.unwrap_or("");
    let favicon = svg_data_uri(theme_text("favicon.svg")?.unwrap_or("").trim());
    let html = renderer.not_found_page(&inline_css, inline_js, &favicon)?;
    sink.write("404.html", html.as_bytes())
}

/// `svg` as a `data:` URI, every byte but letters, digits and `-._~/:=,;'()` escaped.
fn svg_data_uri(svg: &str) -> String {
    let mut uri = String::from("data:image/svg+xml,");
    for byte in svg.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:=,;'()".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
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
