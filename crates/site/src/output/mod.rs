//! Output: writes every file of the site (pages, print page, static files, 404 page, sitemap,
//! assets) into a [`Staging`] directory that is swapped into place when complete.

mod staging;

use rayon::prelude::*;

pub use staging::{check_destination, Staging, MARKER};

use crate::book::{Book, STATIC_DIR};
use crate::error::Result;
use crate::markdown::{self, Emit, Highlighter};
use crate::render::{self, Renderer, Templates};
use crate::theme::Theme;
use crate::Site;

/// Writes every file of `site` into `staging`.
pub fn write_site(
    site: &Site,
    theme: &Theme,
    templates: &Templates,
    staging: &Staging,
) -> Result<()> {
    let has_quizzes = site.rendered.iter().any(|r| !r.quizzes.is_empty());
    let renderer = Renderer::new(templates, &site.config, &site.book, has_quizzes)?;
    write_pages(site, &renderer, staging)?;
    write_print_page(site, &renderer, staging)?;
    if has_quizzes {
        crate::study::write_study_pages(site, &renderer, staging)?;
    }
    let highlight_css = write_static_files(theme, staging)?;
    write_not_found_page(theme, &renderer, &highlight_css, staging)?;
    staging.write(".nojekyll", b"")?;
    if let Some(base) = &site.config.book.site_url {
        staging.write("sitemap.xml", sitemap(base, &site.book).as_bytes())?;
    }
    for asset in &site.book.assets {
        staging.copy(&asset.output, &asset.file)?;
    }
    Ok(())
}

fn write_pages(site: &Site, renderer: &Renderer<'_>, staging: &Staging) -> Result<()> {
    site.book
        .chapters
        .par_iter()
        .enumerate()
        .try_for_each(|(i, chapter)| {
            let html = renderer.page(i, &site.rendered[i])?;
            staging.write(&chapter.output, html.as_bytes())
        })
}

fn write_print_page(site: &Site, renderer: &Renderer<'_>, staging: &Staging) -> Result<()> {
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
fn write_static_files(theme: &Theme, staging: &Staging) -> Result<String> {
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

fn write_not_found_page(
    theme: &Theme,
    renderer: &Renderer<'_>,
    highlight_css: &str,
    staging: &Staging,
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
