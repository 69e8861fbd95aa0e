//! A book kept loaded between rebuilds: the theme, templates, syntaxes and every rendered
//! chapter, so that saving one chapter re-renders that chapter alone (and the navigation only
//! when a title or the order changed).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use coursebook_site::markdown::{render_chapter, Highlighter, PassContext};
use coursebook_site::output::{self, Sink};
use coursebook_site::render::{Renderer, Templates};
use coursebook_site::theme::Theme;
use coursebook_site::{book, Book, Config, Error, RenderedChapter, Site};

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
pub struct Session {
    root: PathBuf,
    theme: Theme,
    templates: Templates,
    highlighter: Highlighter,
    site: Site,
    /// Per chapter, the hash of what its rendering depends on, to skip unchanged ones.
    hashes: Vec<u64>,
    /// The sidebar per URL depth, reused until the navigation changes.
    sidebars: Vec<String>,
    files: SiteFiles,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("root", &self.root)
            .field("chapters", &self.site.book.chapters.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Loads and renders the book at `root` into `files`.
    pub fn load(root: &Path, files: SiteFiles) -> Result<Session, Error> {
        let mut config = Config::load(root)?;
        config.disable_offline(); // no service worker or zip for the dev server's preview
        let theme = Theme::load(&config.theme_dir)?;
        let templates = Templates::compile(&theme)?;
        let highlighter = Highlighter::new();
        let site = Site::load(config, &highlighter)?;
        let hashes = site
            .book
            .chapters
            .iter()
            .map(|c| chapter_hash(c, &site.book))
            .collect();
        let mut session = Session {
            root: root.to_path_buf(),
            theme,
            templates,
            highlighter,
            site,
            hashes,
            sidebars: Vec::new(),
            files,
        };
        let fresh = SiteFiles::default();
        session.write_all(&fresh)?;
        session.refresh_sidebars()?;
        session.files.replace_with(&fresh);
        Ok(session)
    }

    /// The configuration (where content and theme live).
    pub fn config(&self) -> &Config {
        &self.site.config
    }

    /// The book's title.
    pub fn title(&self) -> &str {
        &self.site.config.book.title
    }

    /// Applies `change`; on error the served site is left as it was.
    pub fn apply(&mut self, change: &Change) -> Result<Outcome, Error> {
        match change {
            Change::Chapters(sources) => self.chapters(sources),
            Change::Static(names) => self.static_files(names),
            Change::Templates => self.reload_theme(),
            Change::Content => self.reload_content(),
            Change::Config => {
                *self = Session::load(&self.root, self.files.clone())?;
                Ok(Outcome::Pages(Vec::new()))
            }
        }
    }

    /// Writes the pages made from every chapter (print, Review, Progress); called after the
    /// changed chapter's own page is served, since they take longer on a big book.
    pub fn write_site_pages(&self) -> Result<Vec<String>, Error> {
        let renderer = self.renderer();
        output::write_site_pages(&self.site, &renderer, &self.files)?;
        let mut pages = vec!["print.html".to_owned()];
        if output::has_quizzes(&self.site) {
            pages.extend(["review.html".to_owned(), "progress.html".to_owned()]);
        }
        Ok(pages)
    }

    /// A renderer with the current sidebars (see [`Session::refresh_sidebars`]).
    fn renderer(&self) -> Renderer<'_> {
        Renderer::with_sidebars(
            &self.templates,
            &self.site.config,
            &self.site.book,
            output::has_quizzes(&self.site),
            self.sidebars.clone(),
        )
    }

    /// Renders the sidebars again, after the navigation or the templates changed.
    fn refresh_sidebars(&mut self) -> Result<(), Error> {
        let renderer = Renderer::new(
            &self.templates,
            &self.site.config,
            &self.site.book,
            output::has_quizzes(&self.site),
        )?;
        self.sidebars = renderer.sidebars().to_vec();
        Ok(())
    }

    fn write_all(&self, sink: &dyn Sink) -> Result<(), Error> {
        output::write_site(&self.site, &self.theme, &self.templates, sink)
    }

    fn chapters(&mut self, sources: &[String]) -> Result<Outcome, Error> {
        let mut updates = Vec::new();
        for source in sources {
            let Some(index) = self
                .site
                .book
                .chapters
                .iter()
                .position(|c| &c.source == source)
            else {
                return self.reload_content();
            };
            let old = &self.site.book.chapters[index];
            let chapter =
                book::read_chapter(&self.site.config.content_dir, source, old.output.clone())?;
            let hash = chapter_hash(&chapter, &self.site.book);
            if hash == self.hashes[index] {
                continue;
            }
            let nav_changed = chapter.title != old.title || chapter.front.day != old.front.day;
            let rendered = self.render(&chapter)?;
            updates.push((index, chapter, rendered, hash, nav_changed));
        }
        let had_quizzes = output::has_quizzes(&self.site);
        let mut nav_changed = updates.iter().any(|u| u.4);
        let mut pages = Vec::new();
        for (index, chapter, rendered, hash, _) in updates {
            pages.push(chapter.output.clone());
            self.site.book.chapters[index] = chapter;
            self.site.rendered[index] = rendered;
            self.hashes[index] = hash;
        }
        // The first or last quiz adds or removes the Review and Progress links on every page.
        nav_changed |= output::has_quizzes(&self.site) != had_quizzes;
        if nav_changed {
            self.refresh_nav();
            self.refresh_sidebars()?;
            self.write_pages_only()?;
            return Ok(Outcome::Pages(Vec::new()));
        }
        let renderer = self.renderer();
        for output_path in &pages {
            if let Some(i) = self.index_of_output(output_path) {
                output::write_page(&self.site, &renderer, i, &self.files)?;
            }
        }
        tracing::debug!(?pages, "chapter pages written");
        Ok(Outcome::Pages(pages))
    }

    fn render(&self, chapter: &book::Chapter) -> Result<RenderedChapter, Error> {
        let outputs = self.site.book.outputs();
        let cx = PassContext {
            outputs: &outputs,
            highlighter: &self.highlighter,
        };
        render_chapter(chapter, &cx)
    }

    fn index_of_output(&self, output: &str) -> Option<usize> {
        self.site
            .book
            .chapters
            .iter()
            .position(|c| c.output == output)
    }

    /// Section titles come from their `_index.md`: rebuild the sidebar tree's titles.
    fn refresh_nav(&mut self) {
        fn walk(items: &mut [book::NavItem], chapters: &[book::Chapter]) {
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
        walk(&mut self.site.book.nav, &self.site.book.chapters);
    }

    fn write_pages_only(&self) -> Result<(), Error> {
        let renderer = self.renderer();
        output::write_pages(&self.site, &renderer, &self.files)
    }

    fn static_files(&mut self, names: &[String]) -> Result<Outcome, Error> {
        let theme = Theme::load(&self.site.config.theme_dir)?;
        let highlight_css = output::write_static_files(&theme, &self.files)?;
        let renderer = self.renderer();
        output::write_not_found_page(&theme, &renderer, &highlight_css, &self.files)?;
        self.theme = theme;
        if names.iter().all(|n| n.ends_with(".css")) {
            let styles = names
                .iter()
                .map(|n| format!("{}/{n}", coursebook_site::STATIC_DIR));
            return Ok(Outcome::Styles(styles.collect()));
        }
        Ok(Outcome::Pages(Vec::new()))
    }

    fn reload_theme(&mut self) -> Result<Outcome, Error> {
        let theme = Theme::load(&self.site.config.theme_dir)?;
        let templates = Templates::compile(&theme)?;
        let fresh = SiteFiles::default();
        output::write_site(&self.site, &theme, &templates, &fresh)?;
        self.theme = theme;
        self.templates = templates;
        self.refresh_sidebars()?;
        self.files.replace_with(&fresh);
        Ok(Outcome::Pages(Vec::new()))
    }

    /// Rediscovers the content; chapters whose text, title and place are unchanged keep their
    /// rendering.
    fn reload_content(&mut self) -> Result<Outcome, Error> {
        let book = Book::load(&self.site.config.content_dir)?;
        let outputs = book.outputs();
        // Link targets moved: every chapter's links must be resolved again.
        let reusable: HashMap<u64, usize> = if outputs == self.site.book.outputs() {
            self.hashes
                .iter()
                .enumerate()
                .map(|(i, h)| (*h, i))
                .collect()
        } else {
            HashMap::new()
        };
        let cx = PassContext {
            outputs: &outputs,
            highlighter: &self.highlighter,
        };
        let mut rendered = Vec::with_capacity(book.chapters.len());
        let mut hashes = Vec::with_capacity(book.chapters.len());
        for chapter in &book.chapters {
            let hash = chapter_hash(chapter, &book);
            rendered.push(match reusable.get(&hash) {
                Some(&i) => self.site.rendered[i].clone(),
                None => render_chapter(chapter, &cx)?,
            });
            hashes.push(hash);
        }
        let site = Site {
            config: self.site.config.clone(),
            book,
            rendered,
        };
        let fresh = SiteFiles::default();
        output::write_site(&site, &self.theme, &self.templates, &fresh)?;
        self.site = site;
        self.hashes = hashes;
        self.refresh_sidebars()?;
        self.files.replace_with(&fresh);
        Ok(Outcome::Pages(Vec::new()))
    }
}

/// What a chapter's rendering depends on: its text, title, paths, and the book's link targets.
fn chapter_hash(chapter: &book::Chapter, book: &Book) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    chapter.body.hash(&mut hasher);
    chapter.body_line.hash(&mut hasher);
    chapter.title.hash(&mut hasher);
    chapter.output.hash(&mut hasher);
    chapter.source.hash(&mut hasher);
    chapter.front.day.hash(&mut hasher);
    chapter.front.objectives.hash(&mut hasher);
    chapter.front.description.hash(&mut hasher);
    chapter.duration.hash(&mut hasher);
    book.chapters.len().hash(&mut hasher);
    hasher.finish()
}
