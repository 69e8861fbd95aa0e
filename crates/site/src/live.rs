//! A site kept loaded between rebuilds, for the dev server: the theme, templates, syntaxes and
//! every chapter's facts with the hash of its source. Replacing a chapter re-renders its page
//! and the pages whose navigation shows what changed; the pages made from every chapter (its
//! print page, the search index, the Review and Progress pages) are only marked stale, and
//! [`LiveSite::write_derived`] brings them up to date one step at a time, so a new save never
//! waits behind them.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::book::{self, Book, Chapter};
use crate::config::Config;
use crate::error::Result;
use crate::markdown::{render_chapter, Highlighter, PassContext, RenderedChapter};
use crate::nav::{LocalNav, NavMap};
use crate::print::PrintLayout;
use crate::render::{Renderer, Templates};
use crate::sink::Sink;
use crate::theme::Theme;
use crate::{output, search, study, Site};

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
    /// Chapters whose print page is out of date.
    stale_print: BTreeSet<usize>,
    /// The search index and the Review and Progress pages are out of date.
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
    /// Loads the book at `root` (without offline copies) and writes every file into `sink`.
    pub fn load(root: &Path, sink: &dyn Sink) -> Result<LiveSite> {
        let mut config = Config::load(root)?;
        config.disable_offline();
        let theme = Theme::load(&config.theme_dir)?;
        let templates = Templates::compile(&theme)?;
        let highlighter = Highlighter::new();
        let book = Book::load(&config.content_dir)?;
        let site = output::write_chapters(config, book, &templates, &highlighter, sink)?;
        crate::write_whole_book(&site, &theme, &templates, sink)?;
        let hashes = site.book.chapters.iter().map(source_hash).collect();
        Ok(LiveSite {
            site,
            theme,
            templates,
            highlighter,
            hashes,
            stale_print: BTreeSet::new(),
            stale_book: false,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.site.config
    }

    /// The loaded site.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Reads the chapters `sources` (paths inside `content/`) again and writes their pages,
    /// and the pages whose navigation shows a title they changed. A source the book does not
    /// have, or a change that moves the print layout, rewrites everything.
    pub fn replace_chapters(&mut self, sources: &[String], sink: &dyn Sink) -> Result<Rebuilt> {
        let mut changed = Vec::new();
        for source in sources {
            let Some(index) = self
                .site
                .book
                .chapters
                .iter()
                .position(|c| &c.source == source)
            else {
                return self.reload_content(sink);
            };
            let old = &self.site.book.chapters[index];
            let chapter =
                book::read_chapter(&self.site.config.content_dir, source, old.output.clone())?;
            if source_hash(&chapter) != self.hashes[index] {
                changed.push((index, chapter));
            }
        }
        if changed.is_empty() {
            return Ok(Rebuilt::Pages(Vec::new()));
        }
        let book = &self.site.book;
        let nav_changed = changed.iter().any(|(i, c)| {
            c.title != book.chapters[*i].title || c.front.day != book.chapters[*i].front.day
        });
        let before = nav_changed.then(|| NavViews::of(book));
        let had_quizzes = self.site.has_quizzes();
        for (index, chapter) in changed.iter().cloned() {
            self.hashes[index] = source_hash(&chapter);
            self.site.book.chapters[index] = chapter;
        }
        refresh_section_titles(&mut self.site.book);
        if PrintLayout::new(&self.site.book).parts() != self.site.print.parts() {
            return self.rewrite_everything(sink);
        }
        let mut indices: BTreeSet<usize> = changed.iter().map(|(i, _)| *i).collect();
        if let Some(before) = &before {
            indices.extend(before.differences(&NavViews::of(&self.site.book)));
        }
        let pages = self.rewrite_pages(&indices, sink)?;
        self.stale_print.extend(indices.iter().copied());
        self.stale_book = true;
        if nav_changed || self.site.has_quizzes() != had_quizzes {
            let renderer = self.renderer();
            output::write_navigation(&self.site, &renderer, &self.theme, sink)?;
            return Ok(Rebuilt::Everything);
        }
        Ok(Rebuilt::Pages(pages))
    }

    /// Renders the chapters `indices` again and writes their pages; returns their paths.
    fn rewrite_pages(&mut self, indices: &BTreeSet<usize>, sink: &dyn Sink) -> Result<Vec<String>> {
        let outputs = self.site.book.outputs();
        let cx = PassContext {
            outputs: &outputs,
            highlighter: &self.highlighter,
            print: &self.site.print,
        };
        let renderer = Renderer::new(
            &self.templates,
            &self.site.config,
            &self.site.book,
            &self.site.print,
        );
        let mut written = Vec::with_capacity(indices.len());
        let mut facts: Vec<(usize, RenderedChapter)> = Vec::with_capacity(indices.len());
        for &i in indices {
            let chapter = &self.site.book.chapters[i];
            let (rendered, html) = render_chapter(chapter, &cx)?;
            sink.write(
                &chapter.output,
                renderer.page(i, &rendered.toc, &html.page)?.as_bytes(),
            )?;
            written.push(chapter.output.clone());
            facts.push((i, rendered));
        }
        for (i, rendered) in facts {
            self.site.rendered[i] = rendered;
        }
        Ok(written)
    }

    /// Whether [`LiveSite::write_derived`] has work to do.
    pub fn has_stale_pages(&self) -> bool {
        self.stale_book || !self.stale_print.is_empty()
    }

    /// Brings one stale page (or group of pages) up to date: a print page, else the search
    /// index with the print index and the Review and Progress pages. Returns the site paths
    /// written, or `None` when nothing was stale.
    pub fn write_derived(&mut self, sink: &dyn Sink) -> Result<Option<Vec<String>>> {
        if let Some(&first) = self.stale_print.iter().next() {
            let Some(part) = self
                .site
                .print
                .parts()
                .iter()
                .find(|p| p.chapters.contains(&first))
                .cloned()
            else {
                self.stale_print.clear();
                return Ok(Some(Vec::new()));
            };
            self.stale_print.retain(|i| !part.chapters.contains(i));
            let renderer = self.renderer();
            let outputs = self.site.book.outputs();
            let cx = PassContext {
                outputs: &outputs,
                highlighter: &self.highlighter,
                print: &self.site.print,
            };
            let html = output::chapters::print_page(&self.site.book, &part, &cx, &renderer)?;
            sink.write(&part.output, html.as_bytes())?;
            return Ok(Some(vec![part.output]));
        }
        if !self.stale_book {
            return Ok(None);
        }
        self.stale_book = false;
        search::write_index(&self.site, sink)?;
        let mut pages = vec![search::INDEX_PATH.to_owned()];
        let renderer = self.renderer();
        if self.site.print.is_split() {
            sink.write(crate::print::PRINT_PAGE, renderer.print_index()?.as_bytes())?;
            pages.push(crate::print::PRINT_PAGE.to_owned());
        }
        if self.site.has_quizzes() {
            study::write_study_pages(&self.site, &renderer, sink)?;
            pages.extend(["review.html".to_owned(), "progress.html".to_owned()]);
        }
        Ok(Some(pages))
    }

    /// The theme's static files changed (`names`): writes them, the 404 page that inlines the
    /// CSS and JS, and `nav.js` (whose code is the theme's).
    pub fn reload_static(&mut self, sink: &dyn Sink) -> Result<()> {
        let theme = Theme::load(&self.site.config.theme_dir)?;
        let renderer = Renderer::new(
            &self.templates,
            &self.site.config,
            &self.site.book,
            &self.site.print,
        );
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
        self.rewrite_everything(sink)
    }

    /// Files were added to or removed from `content/`: discovers the book again and writes
    /// every file into `sink` (a fresh one).
    pub fn reload_content(&mut self, sink: &dyn Sink) -> Result<Rebuilt> {
        let book = Book::load(&self.site.config.content_dir)?;
        self.site.book = book;
        self.rewrite_everything(sink)
    }

    fn rewrite_everything(&mut self, sink: &dyn Sink) -> Result<Rebuilt> {
        let book = std::mem::take(&mut self.site.book);
        let site = output::write_chapters(
            self.site.config.clone(),
            book,
            &self.templates,
            &self.highlighter,
            sink,
        )?;
        crate::write_whole_book(&site, &self.theme, &self.templates, sink)?;
        self.hashes = site.book.chapters.iter().map(source_hash).collect();
        self.site = site;
        self.stale_print.clear();
        self.stale_book = false;
        Ok(Rebuilt::Everything)
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

    /// The chapters whose page shows something that differs between `self` and `other`.
    fn differences(&self, other: &NavViews) -> Vec<usize> {
        let title =
            |views: &NavViews, i: Option<usize>| i.and_then(|i| views.titles.get(i).cloned());
        (0..self.local.len().min(other.local.len()))
            .filter(|&i| {
                self.local[i] != other.local[i]
                    || title(self, i.checked_sub(1)) != title(other, i.checked_sub(1))
                    || title(self, Some(i + 1)) != title(other, Some(i + 1))
            })
            .collect()
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
