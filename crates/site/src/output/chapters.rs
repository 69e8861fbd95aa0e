//! Chapter pages and print pages, rendered one print page's worth of chapters at a time (a
//! part per thread, each part's chapters shared out between threads): each chapter's page is
//! written as soon as it is rendered, its print HTML waits only for the rest of its print
//! page, and what every later stage needs (headings, links, code, search text, quizzes) is all
//! that stays in memory.

use rayon::prelude::*;

use crate::book::Book;
use crate::config::Config;
use crate::error::Result;
use crate::markdown::{
    render_chapter, Highlighter, HtmlWanted, PassContext, RenderedChapter, TocEntry,
};
use crate::print::{PrintLayout, PrintPart};
use crate::render::{Renderer, Templates};
use crate::sink::Sink;
use crate::Site;

/// Renders every chapter of `book` and writes its page, and its print page unless `html` is
/// [`HtmlWanted::Page`], into `sink`; returns the site, holding each chapter's
/// [`RenderedChapter`].
pub fn write_chapters(
    config: Config,
    book: Book,
    templates: &Templates,
    highlighter: &Highlighter,
    html: HtmlWanted,
    sink: &dyn Sink,
) -> Result<Site> {
    let print = PrintLayout::new(&book);
    let outputs = book.outputs();
    let cx = PassContext {
        outputs: &outputs,
        highlighter,
        print: &print,
        html,
    };
    let renderer = Renderer::new(templates, &config, &book, &print);
    // Parts in parallel too: a thread done with its share of one part's chapters takes the
    // next part's while another lays out the print page, instead of waiting for it.
    let rendered = print
        .parts()
        .par_iter()
        .map(|part| write_part(&book, part, &cx, &renderer, sink))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(Site {
        config,
        book,
        rendered,
        print,
    })
}

/// Renders the chapters of one print page in parallel, writes their pages, then the print page.
fn write_part(
    book: &Book,
    part: &PrintPart,
    cx: &PassContext<'_>,
    renderer: &Renderer<'_>,
    sink: &dyn Sink,
) -> Result<Vec<RenderedChapter>> {
    let done = part
        .chapters
        .clone()
        .into_par_iter()
        .map(|i| {
            let chapter = &book.chapters[i];
            let (facts, html) = render_chapter(chapter, cx)?;
            let page = renderer.page(i, &facts.toc, &html.page)?;
            sink.write(&chapter.output, page.as_bytes())?;
            Ok((facts, html.print))
        })
        .collect::<Result<Vec<_>>>()?;
    if cx.html == HtmlWanted::PageAndPrint {
        let tocs: Vec<&[TocEntry]> = done.iter().map(|(facts, _)| facts.toc.as_slice()).collect();
        let bodies: Vec<&str> = done.iter().map(|(_, body)| body.as_str()).collect();
        let html = renderer.print_part(part, &tocs, &bodies)?;
        sink.write(&part.output, html.as_bytes())?;
    }
    Ok(done.into_iter().map(|(facts, _)| facts).collect())
}

/// `part`'s print page, its chapters rendered again: what the dev server writes after an edit
/// (it keeps no chapter's HTML).
pub fn print_page(
    book: &Book,
    part: &PrintPart,
    cx: &PassContext<'_>,
    renderer: &Renderer<'_>,
) -> Result<String> {
    let done = part
        .chapters
        .clone()
        .into_par_iter()
        .map(|i| render_chapter(&book.chapters[i], cx).map(|(facts, html)| (facts.toc, html.print)))
        .collect::<Result<Vec<_>>>()?;
    let tocs: Vec<&[TocEntry]> = done.iter().map(|(toc, _)| toc.as_slice()).collect();
    let bodies: Vec<&str> = done.iter().map(|(_, body)| body.as_str()).collect();
    renderer.print_part(part, &tocs, &bodies)
}
