//! A site kept loaded between rebuilds, for the dev server: the theme, templates, syntaxes and
//! every chapter's facts with the hash of its source.
//!
//! Loading writes every page but the chapters' and starts serving: chapter pages are rendered
//! between saves, a batch at a time ([`LiveSite::write_derived`]), or at once when a tab asks
//! for one ([`LiveSite::make`]), so a 10,000-chapter book is served in about a second. An edit
//! re-renders only the pages that show something that changed: the edited chapter, and when a
//! title or the chapters themselves changed, the pages whose own navigation shows them. Print
//! pages are made when asked for and dropped when a chapter they hold changes; the search index
//! and the Review and Progress pages are rewritten between saves once every chapter is
//! rendered, so a save never waits behind them. Nothing is written when a change does not
//! build.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::book::{self, Book, Chapter};
use crate::config::Config;
use crate::error::Result;
use crate::markdown::links::LinkTarget;
use crate::markdown::{render_chapter, Highlighter, HtmlWanted, PassContext, RenderedChapter};
use crate::nav::{LocalNav, NavMap};
use crate::print::{PrintLayout, PRINT_PAGE};
use crate::render::{Renderer, Templates};
use crate::sink::Sink;
use crate::theme::Theme;
use crate::{offline, output, search, study, Site};

/// What a rebuild changed, for the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuilt {
    /// These pages changed.
    Pages(Vec<String>),
    /// Every page may have changed (the navigation, a template, the content's layout).
    Everything,
}

/// The site of one book, loaded, with what is stale.
pub struct LiveSite {
    site: Site,
    theme: Theme,
    templates: Templates,
    highlighter: Highlighter,
    /// Per chapter, the hash of its source (body, front matter, title, paths).
    hashes: Vec<u64>,
    /// Chapters whose page is not rendered yet (their facts are placeholders).
    pending: BTreeSet<usize>,
    /// The search index is out of date.
    stale_index: bool,
    /// The Review and Progress pages and the print index are out of date.
    stale_book: bool,
}

impl std::fmt::Debug for LiveSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSite")
            .field("root", &self.site.config.root)
            .field("chapters", &self.site.book.chapters.len())
            .finish_non_exhaustive()
    }
}

impl LiveSite {
    /// Loads the book at `root` (without offline copies) and writes into `sink` every page but
    /// the chapters': those, the search index and the study pages follow through
    /// [`LiveSite::write_derived`] and [`LiveSite::make`].
    pub fn load(root: &Path, sink: &dyn Sink) -> Result<LiveSite> {
        let mut config = Config::load(root)?;
        config.disable_offline();
        let theme = Theme::load(&config.theme_dir)?;
        let templates = Templates::compile(&theme)?;
        let highlighter = Highlighter::new();
        let book = Book::load(&config.content_dir)?;
        let mut live = LiveSite {
            site: Site {
                config,
                book: Book::default(),
                rendered: Vec::new(),
                print: PrintLayout::default(),
            },
            theme,
            templates,
            highlighter,
            hashes: Vec::new(),
            pending: BTreeSet::new(),
            stale_index: false,
            stale_book: false,
        };
        live.start(book, sink)?;
        Ok(live)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.site.config
    }

    /// The loaded site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Reads the chapters `sources` (paths inside `content/`) again and writes the pages that
    /// changed. A source the book does not have rediscovers the content.
    pub fn replace_chapters(&mut self, sources: &[String], sink: &dyn Sink) -> Result<Rebuilt> {
        let mut changed = BTreeMap::new();
        for source in sources {
            let Some(index) = self.index_of(source) else {
                return self.reload_content(sink);
            };
            let old = &self.site.book.chapters[index];
            let chapter =
                book::read_chapter(&self.site.config.content_dir, source, old.output.clone())?;
            if source_hash(&chapter) != self.hashes[index] {
                changed.insert(index, chapter);
            }
        }
        if changed.is_empty() {
            return Ok(Rebuilt::Pages(Vec::new()));
        }
        let book = &self.site.book;
        let shows_elsewhere = changed.iter().any(|(&i, c)| {
            c.title != book.chapters[i].title || c.front.day != book.chapters[i].front.day
        });
        let layout = PrintLayout::with_sizes(book, |i| match changed.get(&i) {
            Some(c) => c.body.len(),
            None => book.chapters[i].body.len(),
        });
        if shows_elsewhere || layout.parts() != self.site.print.parts() {
            let mut before = Before::of(self);
            let mut replaced = Vec::with_capacity(changed.len());
            for (i, chapter) in changed {
                replaced.push((
                    i,
                    std::mem::replace(&mut self.site.book.chapters[i], chapter),
                ));
            }
            refresh_section_titles(&mut self.site.book);
            before.restore = Restore::Chapters(replaced);
            return self.update(before, sink);
        }
        self.replace_in_place(changed, sink)
    }

    /// The edit of chapters whose titles and print pages stay: their pages alone change.
    fn replace_in_place(
        &mut self,
        changed: BTreeMap<usize, Chapter>,
        sink: &dyn Sink,
    ) -> Result<Rebuilt> {
        let indices: Vec<usize> = changed.keys().copied().collect();
        let pages = {
            let outputs = self.site.book.outputs();
            let cx = self.pass_context(&outputs, &self.site.print);
            let renderer = self.renderer();
            render_pages(&indices, |i| &changed[&i], &cx, &renderer)?
        };
        let had_quizzes = self.site.has_quizzes();
        let mut written = Vec::with_capacity(pages.len());
        for ((i, chapter), (facts, html)) in changed.into_iter().zip(pages) {
            sink.write(&chapter.output, html.as_bytes())?;
            written.push(chapter.output.clone());
            self.drop_print_page(&chapter.output, sink)?;
            self.hashes[i] = source_hash(&chapter);
            self.site.book.chapters[i] = chapter;
            self.site.rendered[i] = facts;
            self.pending.remove(&i);
        }
        self.mark_stale();
        if self.site.has_quizzes() != had_quizzes {
            // The first or last quiz shows or hides the Review and Progress links (nav.js).
            output::write_navigation(&self.site, &self.renderer(), &self.theme, sink)?;
            return Ok(Rebuilt::Everything);
        }
        Ok(Rebuilt::Pages(written))
    }

    /// Files were added to or removed from `content/`: discovers the book again and writes
    /// the pages that changed.
    pub fn reload_content(&mut self, sink: &dyn Sink) -> Result<Rebuilt> {
        let book = Book::load(&self.site.config.content_dir)?;
        let mut before = Before::of(self);
        before.restore = Restore::Book(std::mem::replace(&mut self.site.book, book));
        self.update(before, sink)
    }

    /// Moves the served pages from `before` to the book now loaded: renders the chapters
    /// whose page differs from the one served (their text, their navigation, their links'
    /// targets or their print page changed), writes them, removes the pages of chapters that
    /// are gone, and writes the navigation. When a chapter does not build, nothing is written
    /// and the book goes back to what `before` restores.
    fn update(&mut self, before: Before, sink: &dyn Sink) -> Result<Rebuilt> {
        let book = &self.site.book;
        let print = PrintLayout::new(book);
        let outputs = book.outputs();
        let after = NavViews::of(book);
        let plans: Vec<Plan> = (book.chapters.iter().enumerate())
            .map(|(i, chapter)| {
                let Some(&j) = before.index.get(chapter.source.as_str()) else {
                    return Plan::Later;
                };
                if before.pending.contains(&j) {
                    return Plan::Later;
                }
                let same = before.hashes[j] == source_hash(chapter)
                    && before.views.page(j) == after.page(i)
                    && before.print.page_of(&chapter.output) == print.page_of(&chapter.output)
                    && links_resolve_alike(&self.site.rendered[j], &before.outputs, &outputs);
                if same {
                    Plan::Reuse(j)
                } else {
                    Plan::Render
                }
            })
            .collect();
        let fresh: Vec<usize> = (0..book.chapters.len())
            .filter(|&i| plans[i] == Plan::Render)
            .collect();
        let pages = {
            let cx = self.pass_context(&outputs, &print);
            let renderer = Renderer::new(&self.templates, &self.site.config, book, &print);
            render_pages(&fresh, |i| &book.chapters[i], &cx, &renderer)
        };
        let pages = match pages {
            Ok(pages) => pages,
            Err(err) => {
                self.restore(before.restore);
                return Err(err);
            }
        };
        let mut pages = pages.into_iter();
        let mut rendered = Vec::with_capacity(plans.len());
        let mut to_write = Vec::with_capacity(fresh.len());
        let mut pending = BTreeSet::new();
        for (i, plan) in plans.iter().enumerate() {
            match plan {
                Plan::Reuse(j) => {
                    rendered.push(std::mem::replace(
                        &mut self.site.rendered[*j],
                        placeholder(),
                    ));
                }
                Plan::Render => match pages.next() {
                    Some((facts, html)) => {
                        to_write.push((self.site.book.chapters[i].output.clone(), html));
                        rendered.push(facts);
                    }
                    None => {
                        pending.insert(i);
                        rendered.push(placeholder());
                    }
                },
                Plan::Later => {
                    pending.insert(i);
                    rendered.push(placeholder());
                }
            }
        }
        self.pending = pending;
        let nav_changed = before.views.titles != after.titles || before.nav != self.site.book.nav;
        let layout_changed = print.parts() != before.print.parts();
        self.site.rendered = rendered;
        self.site.print = print;
        self.hashes = self.site.book.chapters.iter().map(source_hash).collect();
        let mut written = Vec::with_capacity(to_write.len());
        for (output, html) in to_write {
            sink.write(&output, html.as_bytes())?;
            written.push(output);
        }
        let kept: HashSet<&String> = outputs.values().collect();
        for gone in before.outputs.values().filter(|o| !kept.contains(o)) {
            sink.remove(gone)?;
        }
        for asset in &self.site.book.assets {
            sink.copy(&asset.output, &asset.file)?;
        }
        if layout_changed {
            for part in before.print.parts() {
                sink.remove(&part.output)?;
            }
        }
        let pending_outputs: Vec<String> = (self.pending.iter())
            .map(|&i| self.site.book.chapters[i].output.clone())
            .collect();
        for output in written.iter().chain(&pending_outputs) {
            self.drop_print_page(output, sink)?;
        }
        self.mark_stale();
        let renderer = self.renderer();
        output::write_navigation(&self.site, &renderer, &self.theme, sink)?;
        let highlight_css = output::write_static_files(&self.theme, sink)?;
        output::write_not_found_page(&self.theme, &renderer, &highlight_css, sink)?;
        if nav_changed || layout_changed {
            return Ok(Rebuilt::Everything);
        }
        Ok(Rebuilt::Pages(written))
    }

    /// Whether [`LiveSite::write_derived`] has work to do.
    pub fn has_stale_pages(&self) -> bool {
        !self.pending.is_empty() || self.stale_book
    }

    /// Chapter pages rendered by one step of [`LiveSite::write_derived`].
    const BATCH: usize = 128;

    /// One step of bringing the site up to date between saves: the next chapter pages not
    /// rendered yet, else the print index and the Review and Progress pages. Returns the site
    /// paths to announce to open tabs (none for chapter pages rendered for the first time:
    /// no tab shows them), or `None` when nothing was stale. A chapter that does not build is
    /// left unrendered (its page answers 404 until it is fixed) and its error returned.
    pub fn write_derived(&mut self, sink: &dyn Sink) -> Result<Option<Vec<String>>> {
        if !self.pending.is_empty() {
            let batch: Vec<usize> = self.pending.iter().copied().take(Self::BATCH).collect();
            self.render_later(&batch, sink)?;
            return Ok(Some(Vec::new()));
        }
        if !std::mem::take(&mut self.stale_book) {
            return Ok(None);
        }
        let mut pages = Vec::new();
        let renderer = self.renderer();
        // The first render of every chapter may have found the book's first quiz.
        output::write_navigation(&self.site, &renderer, &self.theme, sink)?;
        if self.site.print.is_split() {
            sink.write(PRINT_PAGE, renderer.print_index()?.as_bytes())?;
            pages.push(PRINT_PAGE.to_owned());
        }
        if self.site.has_quizzes() {
            study::write_study_pages(&self.site, &renderer, sink)?;
            pages.extend(["review.html".to_owned(), "progress.html".to_owned()]);
        }
        Ok(Some(pages))
    }

    /// Renders the pending chapters `indices` and writes their pages; the first error is
    /// returned after the others are written (the failed ones stay out of the pending set).
    fn render_later(&mut self, indices: &[usize], sink: &dyn Sink) -> Result<()> {
        let results: Vec<Result<(RenderedChapter, String)>> = {
            let outputs = self.site.book.outputs();
            let cx = self.pass_context(&outputs, &self.site.print);
            let renderer = self.renderer();
            let book = &self.site.book;
            indices
                .par_iter()
                .map(|&i| {
                    let (facts, html) = render_chapter(&book.chapters[i], &cx)?;
                    let page = renderer.page(i, &facts.toc, &html.page)?;
                    Ok((facts, page))
                })
                .collect()
        };
        let mut first_error = None;
        for (&i, result) in indices.iter().zip(results) {
            self.pending.remove(&i);
            match result {
                Ok((facts, html)) => {
                    sink.write(&self.site.book.chapters[i].output, html.as_bytes())?;
                    self.site.rendered[i] = facts;
                }
                Err(err) => first_error = first_error.or(Some(err)),
            }
        }
        if self.pending.is_empty() {
            self.mark_stale();
        }
        first_error.map_or(Ok(()), Err)
    }

    /// The file at site path `rel` when it is made on demand: a print page, or the page of a
    /// chapter not rendered yet (written to `sink` too); `None` for any other path.
    pub fn make(&mut self, rel: &str, sink: &dyn Sink) -> Result<Option<String>> {
        if self.is_made_from_every_chapter(rel) {
            return self.finish_now(rel, sink);
        }
        if crate::print::is_print_output(rel) {
            return self.print_page(rel);
        }
        let index =
            (self.pending.iter().copied()).find(|&i| self.site.book.chapters[i].output == rel);
        let Some(index) = index else {
            return Ok(None);
        };
        self.render_later(&[index], sink)?;
        let files = sink.read(rel)?;
        Ok(Some(String::from_utf8_lossy(&files).into_owned()))
    }

    /// Whether `rel` is written once every chapter is rendered: the Review and Progress pages,
    /// the search index, the print index of a book printed in parts.
    fn is_made_from_every_chapter(&self, rel: &str) -> bool {
        matches!(rel, "review.html" | "progress.html" | search::INDEX_PATH)
            || (rel == PRINT_PAGE && self.site.print.is_split())
    }

    /// Renders every pending chapter now and writes the pages made from all of them, for a tab
    /// that asked for one before the background work got there; returns the file `rel`.
    fn finish_now(&mut self, rel: &str, sink: &dyn Sink) -> Result<Option<String>> {
        let pending: Vec<usize> = self.pending.iter().copied().collect();
        if !pending.is_empty() {
            self.render_later(&pending, sink)?;
        }
        while self.write_derived(sink)?.is_some() {}
        if let Some(job) = self.take_index_job() {
            job.write(sink)?;
        }
        let written = sink.written()?;
        if !written.iter().any(|w| w == rel) {
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(&sink.read(rel)?).into_owned()))
    }

    /// What the search index is made from, when it is out of date and every chapter is
    /// rendered: build it on another thread ([`search::IndexJob::write`]), so that rebuilds
    /// never wait for it.
    pub fn take_index_job(&mut self) -> Option<search::IndexJob> {
        if !self.pending.is_empty() {
            return None;
        }
        std::mem::take(&mut self.stale_index).then(|| search::IndexJob::of(&self.site))
    }

    /// The print page at site path `output`, rendered now (its chapters are rendered again:
    /// the dev server keeps no chapter's HTML), or `None` when there is no such print page.
    pub fn print_page(&self, output: &str) -> Result<Option<String>> {
        let Some(part) = self.site.print.parts().iter().find(|p| p.output == output) else {
            return Ok(None);
        };
        let outputs = self.site.book.outputs();
        let mut cx = self.pass_context(&outputs, &self.site.print);
        cx.html = HtmlWanted::PageAndPrint;
        output::chapters::print_page(&self.site.book, part, &cx, &self.renderer()).map(Some)
    }

    /// The theme's static files changed: writes them, the 404 page that inlines the CSS and
    /// JS, and `nav.js` (whose code is the theme's).
    pub fn reload_static(&mut self, sink: &dyn Sink) -> Result<()> {
        let theme = Theme::load(&self.site.config.theme_dir)?;
        let renderer = self.renderer();
        let highlight_css = output::write_static_files(&theme, sink)?;
        output::write_not_found_page(&theme, &renderer, &highlight_css, sink)?;
        output::write_navigation(&self.site, &renderer, &theme, sink)?;
        self.theme = theme;
        Ok(())
    }

    /// The templates changed: compiles them and writes every file into `sink` (a fresh one,
    /// swapped in by the caller, so that a failure leaves the served site whole).
    pub fn reload_theme(&mut self, sink: &dyn Sink) -> Result<Rebuilt> {
        let theme = Theme::load(&self.site.config.theme_dir)?;
        let templates = Templates::compile(&theme)?;
        self.theme = theme;
        self.templates = templates;
        let book = std::mem::take(&mut self.site.book);
        self.start(book, sink)
    }

    /// Moves to `book` and writes every file but the chapter pages, which all become pending.
    fn start(&mut self, book: Book, sink: &dyn Sink) -> Result<Rebuilt> {
        let print = PrintLayout::new(&book);
        let count = book.chapters.len();
        let site = Site {
            config: self.site.config.clone(),
            book,
            rendered: (0..count).map(|_| placeholder()).collect(),
            print,
        };
        let renderer = Renderer::new(&self.templates, &site.config, &site.book, &site.print);
        output::write_book_pages(&site, &renderer, &self.theme, sink)?;
        offline::write(&site, sink)?;
        self.hashes = site.book.chapters.iter().map(source_hash).collect();
        self.site = site;
        self.pending = (0..count).collect();
        self.stale_index = false;
        self.stale_book = false;
        Ok(Rebuilt::Everything)
    }

    /// Puts back the book a failed update replaced.
    fn restore(&mut self, restore: Restore) {
        match restore {
            Restore::Book(book) => self.site.book = book,
            Restore::Chapters(chapters) => {
                for (i, chapter) in chapters {
                    self.site.book.chapters[i] = chapter;
                }
                refresh_section_titles(&mut self.site.book);
            }
            Restore::Nothing => {}
        }
    }

    fn mark_stale(&mut self) {
        self.stale_index = true;
        self.stale_book = true;
    }

    fn index_of(&self, source: &str) -> Option<usize> {
        self.site
            .book
            .chapters
            .iter()
            .position(|c| c.source == source)
    }

    /// Removes the print page holding the chapter at `chapter_output`: it is made again when
    /// asked for.
    fn drop_print_page(&self, chapter_output: &str, sink: &dyn Sink) -> Result<()> {
        match self.site.print.page_of(chapter_output) {
            Some(page) => sink.remove(page),
            None => Ok(()),
        }
    }

    fn pass_context<'a>(
        &'a self,
        outputs: &'a BTreeMap<String, String>,
        print: &'a PrintLayout,
    ) -> PassContext<'a> {
        PassContext {
            outputs,
            highlighter: &self.highlighter,
            print,
            html: HtmlWanted::Page,
        }
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer::new(
            &self.templates,
            &self.site.config,
            &self.site.book,
            &self.site.print,
        )
    }
}

/// Renders the chapters `indices` (read with `chapter`) in parallel: each one's facts and page.
/// Nothing is written, so a chapter that does not build leaves the served site as it was.
fn render_pages<'c>(
    indices: &[usize],
    chapter: impl Fn(usize) -> &'c Chapter + Sync,
    cx: &PassContext<'_>,
    renderer: &Renderer<'_>,
) -> Result<Vec<(RenderedChapter, String)>> {
    indices
        .par_iter()
        .map(|&i| {
            let (facts, html) = render_chapter(chapter(i), cx)?;
            let page = renderer.page(i, &facts.toc, &html.page)?;
            Ok((facts, page))
        })
        .collect()
}

/// What stands in for a chapter's facts while they move between two versions of the site.
fn placeholder() -> RenderedChapter {
    RenderedChapter {
        toc: Vec::new(),
        links: Vec::new(),
        snippets: Vec::new(),
        search_text: Default::default(),
        quizzes: Vec::new(),
    }
}

/// Whether every link of `facts` resolves to the same file under `old` and `new` outputs.
fn links_resolve_alike(
    facts: &RenderedChapter,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> bool {
    facts.links.iter().all(|link| match &link.target {
        LinkTarget::Chapter { source: path, .. }
        | LinkTarget::MissingChapter { path }
        | LinkTarget::Asset { path }
        | LinkTarget::MissingAsset { path } => old.get(path) == new.get(path),
        LinkTarget::External | LinkTarget::SamePage { .. } | LinkTarget::OutsideContent => true,
    })
}

/// What [`LiveSite::update`] does with a chapter of the new book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Its served page (chapter `j` of the old book) is still right.
    Reuse(usize),
    /// Its served page changed: render it now.
    Render,
    /// It has no served page yet (new, or not rendered yet): render it later.
    Later,
}

/// What the served pages were made from: enough to tell which pages a new book changes, and
/// to put the old book back if the new one does not build.
struct Before {
    views: NavViews,
    pending: BTreeSet<usize>,
    outputs: BTreeMap<String, String>,
    index: HashMap<String, usize>,
    hashes: Vec<u64>,
    print: PrintLayout,
    nav: Vec<book::NavItem>,
    restore: Restore,
}

/// What puts the old book back.
enum Restore {
    /// The whole old book.
    Book(Book),
    /// The old versions of chapters replaced in place, by index.
    Chapters(Vec<(usize, Chapter)>),
    /// Nothing was replaced yet.
    Nothing,
}

impl Before {
    fn of(live: &LiveSite) -> Before {
        let book = &live.site.book;
        Before {
            views: NavViews::of(book),
            outputs: book.outputs(),
            index: (book.chapters.iter().enumerate())
                .map(|(i, c)| (c.source.clone(), i))
                .collect(),
            hashes: live.hashes.clone(),
            pending: live.pending.clone(),
            print: live.site.print.clone(),
            nav: book.nav.clone(),
            restore: Restore::Nothing,
        }
    }
}

/// What each page shows of other chapters: its own navigation and its neighbours' titles.
struct NavViews {
    titles: Vec<String>,
    local: Vec<LocalNav>,
}

impl NavViews {
    fn of(book: &Book) -> NavViews {
        let map = NavMap::new(book);
        NavViews {
            titles: book.chapters.iter().map(|c| c.title.clone()).collect(),
            local: (0..book.chapters.len())
                .map(|i| map.local(book, i))
                .collect(),
        }
    }

    /// What page `i` shows of the book around it.
    fn page(&self, i: usize) -> (&LocalNav, Option<&String>, Option<&String>) {
        let title = |j: Option<usize>| j.and_then(|j| self.titles.get(j));
        (&self.local[i], title(i.checked_sub(1)), title(Some(i + 1)))
    }
}

/// Section titles come from their `_index.md`: the tree's titles after chapters changed.
fn refresh_section_titles(book: &mut Book) {
    fn walk(items: &mut [book::NavItem], chapters: &[Chapter]) {
        for item in items {
            if let book::NavItem::Section {
                title,
                page,
                children,
            } = item
            {
                if let Some(i) = page {
                    title.clone_from(&chapters[*i].title);
                }
                walk(children, chapters);
            }
        }
    }
    walk(&mut book.nav, &book.chapters);
}

/// What a chapter's rendering depends on of its own source.
fn source_hash(chapter: &Chapter) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    chapter.body.hash(&mut hasher);
    chapter.body_line.hash(&mut hasher);
    chapter.title.hash(&mut hasher);
    chapter.output.hash(&mut hasher);
    chapter.source.hash(&mut hasher);
    chapter.front.hash(&mut hasher);
    chapter.duration.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests;
