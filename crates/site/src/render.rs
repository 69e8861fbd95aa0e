//! Templates: builds tera from the theme and renders pages, the sidebar, print and 404 pages
//! from serialisable view structs.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::book::{display_duration, root_for_depth, Book, Chapter, NavItem};
use crate::config::{BookMeta, Config};
use crate::error::{Error, Location, Position, Result};
use crate::markdown::{RenderedChapter, TocEntry};
use crate::theme::Theme;

/// The name under which the generator identifies itself in pages.
pub const GENERATOR: &str = concat!("coursebook ", env!("CARGO_PKG_VERSION"));

/// Compiled templates and where each came from, for error messages.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, std::path::PathBuf>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources)
            .finish()
    }
}

impl Templates {
    /// Parses the theme's templates, naming the file (and line) of the first that fails.
    pub fn compile(theme: &Theme) -> Result<Templates> {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        let mut sources = BTreeMap::new();
        for file in theme.templates() {
            sources.insert(file.name.clone(), file.display_path());
            tera.add_raw_template(&file.name, file.text()?)
                .map_err(|e| template_error(&file.display_path(), &e))?;
        }
        Ok(Templates { tera, sources })
    }

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let path = self
            .sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.into());
        let context = Context::from_serialize(context).map_err(|e| template_error(&path, &e))?;
        self.tera
            .render(name, &context)
            .map_err(|e| template_error(&path, &e))
    }
}

/// Tera's default escaper also escapes `/`, which makes every URL unreadable; templates quote
/// attributes with `"`, so `& < > "` are the characters that matter.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::markdown::escape_attr(&mut out, text);
    out
}

/// Tera's message with its causes, positioned when tera reports a `--> line:col`.
fn template_error(path: &std::path::Path, error: &tera::Error) -> Error {
    let mut message = error.to_string();
    let mut position = None;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        position = position.or_else(|| parse_arrow(&text));
        message.push_str(": ");
        message.push_str(text.trim());
        source = cause.source();
    }
    let location = match position {
        Some(p) => Location::at(path, p),
        None => Location::file(path),
    };
    Error::Template { location, message }
}

/// Finds pest's ` --> 3:12` in a parse error.
fn parse_arrow(text: &str) -> Option<Position> {
    let after = &text[text.find("--> ")? + 4..];
    let coords: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (line, column) = coords.split_once(':')?;
    Some(Position {
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// A link to another page, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Its title.
    pub title: String,
    /// Its path from the site root (`days/etcd.html`); templates prefix `root`.
    pub path: String,
}

/// A chapter as templates see it.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Output path from the site root.
    pub path: &'a str,
    /// Course day, if any.
    pub day: Option<u32>,
    /// Duration for people (`1 h 30 min`).
    pub duration: Option<String>,
    /// Learning objectives.
    pub objectives: &'a [String],
    /// Meta description.
    pub description: Option<&'a str>,
    /// The body HTML.
    pub html: &'a str,
    /// `h2` and `h3` headings, for the in-page table of contents.
    pub toc: Vec<&'a TocEntry>,
    /// The previous page in reading order.
    pub prev: Option<PageLink>,
    /// The next page in reading order.
    pub next: Option<PageLink>,
    /// An anchor id unique across the print page.
    pub print_id: String,
}

impl<'a> PageView<'a> {
    /// The view of chapter `index` of `book`, with `html` as its body.
    pub fn new(book: &'a Book, index: usize, rendered: &'a RenderedChapter, html: &'a str) -> Self {
        let chapter = &book.chapters[index];
        let link = |c: &Chapter| PageLink {
            title: c.title.clone(),
            path: c.output.clone(),
        };
        PageView {
            title: &chapter.title,
            path: &chapter.output,
            day: chapter.front.day,
            duration: chapter.duration.map(display_duration),
            objectives: &chapter.front.objectives,
            description: chapter.front.description.as_deref(),
            html,
            toc: rendered
                .toc
                .iter()
                .filter(|t| t.level == 2 || t.level == 3)
                .collect(),
            prev: index.checked_sub(1).map(|i| link(&book.chapters[i])),
            next: book.chapters.get(index + 1).map(link),
            print_id: crate::markdown::print_id(&chapter.output),
        }
    }
}

#[derive(Serialize)]
struct PageContext<'a> {
    book: &'a BookMeta,
    has_quizzes: bool,
    root: &'a str,
    page: &'a PageView<'a>,
    sidebar: &'a str,
    canonical: Option<String>,
    generator: &'static str,
}

#[derive(Debug, Serialize)]
struct NavView {
    title: String,
    path: Option<String>,
    day: Option<u32>,
    children: Vec<NavView>,
    is_section: bool,
}

fn nav_views(book: &Book, items: &[NavItem]) -> Vec<NavView> {
    items
        .iter()
        .map(|item| match item {
            NavItem::Chapter(i) => NavView {
                title: book.chapters[*i].title.clone(),
                path: Some(book.chapters[*i].output.clone()),
                day: book.chapters[*i].front.day,
                children: Vec::new(),
                is_section: false,
            },
            NavItem::Section {
                title,
                page,
                children,
            } => NavView {
                title: title.clone(),
                path: page.map(|i| book.chapters[i].output.clone()),
                day: None,
                children: nav_views(book, children),
                is_section: true,
            },
        })
        .collect()
}

/// Renders pages of one book.
#[derive(Debug)]
pub struct Renderer<'a> {
    templates: &'a Templates,
    config: &'a Config,
    book: &'a Book,
    has_quizzes: bool,
    nav: Vec<NavView>,
    /// The sidebar rendered once per URL depth (index = depth).
    sidebars: Vec<String>,
}

impl<'a> Renderer<'a> {
    /// Prepares the sidebar for every depth the book's pages sit at; `has_quizzes` adds the
    /// Review and Progress links.
    pub fn new(
        templates: &'a Templates,
        config: &'a Config,
        book: &'a Book,
        has_quizzes: bool,
    ) -> Result<Self> {
        let max_depth = book.chapters.iter().map(Chapter::depth).max().unwrap_or(0);
        let mut renderer =
            Renderer::with_sidebars(templates, config, book, has_quizzes, Vec::new());
        renderer.sidebars = (0..=max_depth)
            .map(|depth| renderer.sidebar(&root_for_depth(depth)))
            .collect::<Result<_>>()?;
        Ok(renderer)
    }

    /// A renderer reusing `sidebars` from an earlier one ([`Renderer::sidebars`]) while the
    /// navigation has not changed: the dev server's per-save path on a big book.
    pub fn with_sidebars(
        templates: &'a Templates,
        config: &'a Config,
        book: &'a Book,
        has_quizzes: bool,
        sidebars: Vec<String>,
    ) -> Self {
        Renderer {
            templates,
            config,
            book,
            has_quizzes,
            nav: nav_views(book, &book.nav),
            sidebars,
        }
    }

    /// The sidebar rendered for each URL depth.
    pub fn sidebars(&self) -> &[String] {
        &self.sidebars
    }

    fn sidebar(&self, root: &str) -> Result<String> {
        self.templates.render(
            "sidebar.html",
            &SidebarContext {
                root,
                nav: &self.nav,
                book: &self.config.book,
            },
        )
    }

    /// The complete HTML of chapter `index`.
    pub fn page(&self, index: usize, rendered: &RenderedChapter) -> Result<String> {
        let chapter = &self.book.chapters[index];
        let depth = chapter.depth();
        let root = chapter.root();
        let view = PageView::new(self.book, index, rendered, &rendered.html);
        let sidebar = mark_current(&self.sidebars[depth], &root, &chapter.output);
        self.templates.render(
            "page.html",
            &PageContext {
                book: &self.config.book,
                has_quizzes: self.has_quizzes,
                root: &root,
                page: &view,
                sidebar: &sidebar,
                canonical: self.canonical(&chapter.output),
                generator: GENERATOR,
            },
        )
    }

    /// `print.html`: every chapter in reading order, emitted for the site root.
    pub fn print_page(&self, rendered: &[RenderedChapter], bodies: &[String]) -> Result<String> {
        #[derive(Serialize)]
        struct PrintContext<'a> {
            book: &'a BookMeta,
            has_quizzes: bool,
            root: &'a str,
            chapters: Vec<PageView<'a>>,
            sidebar: &'a str,
            canonical: Option<String>,
            generator: &'static str,
        }
        let chapters = (0..self.book.chapters.len())
            .map(|i| PageView::new(self.book, i, &rendered[i], &bodies[i]))
            .collect();
        self.templates.render(
            "print.html",
            &PrintContext {
                book: &self.config.book,
                has_quizzes: self.has_quizzes,
                root: "",
                chapters,
                sidebar: &self.sidebars[0],
                canonical: self.canonical("print.html"),
                generator: GENERATOR,
            },
        )
    }

    /// `404.html`: absolute links when `site-url` is set, and the CSS and JS inlined so it
    /// works at whatever depth the server shows it.
    pub fn not_found_page(&self, inline_css: &str, inline_js: &str) -> Result<String> {
        #[derive(Serialize)]
        struct NotFoundContext<'a> {
            book: &'a BookMeta,
            has_quizzes: bool,
            root: &'a str,
            inline_css: &'a str,
            inline_js: &'a str,
            sidebar: &'a str,
            generator: &'static str,
        }
        let root = self.config.book.site_url.as_deref().unwrap_or("");
        let sidebar = match &self.config.book.site_url {
            Some(_) => self.sidebar(root)?,
            None => self.sidebars[0].clone(),
        };
        self.templates.render(
            "404.html",
            &NotFoundContext {
                book: &self.config.book,
                has_quizzes: self.has_quizzes,
                root,
                inline_css,
                inline_js,
                sidebar: &sidebar,
                generator: GENERATOR,
            },
        )
    }

    /// A page of the site root that is not a chapter (`review.html`, `progress.html`), from
    /// the template of the same name; `data` is available to it as `data`.
    pub fn root_page(&self, output: &str, title: &str, data: &impl Serialize) -> Result<String> {
        #[derive(Serialize)]
        struct RootPageContext<'a, T> {
            book: &'a BookMeta,
            has_quizzes: bool,
            root: &'a str,
            title: &'a str,
            data: &'a T,
            sidebar: &'a str,
            canonical: Option<String>,
            generator: &'static str,
        }
        let sidebar = mark_current(&self.sidebars[0], "", output);
        self.templates.render(
            output,
            &RootPageContext {
                book: &self.config.book,
                has_quizzes: self.has_quizzes,
                root: "",
                title,
                data,
                sidebar: &sidebar,
                canonical: self.canonical(output),
                generator: GENERATOR,
            },
        )
    }

    fn canonical(&self, output: &str) -> Option<String> {
        self.config
            .book
            .site_url
            .as_ref()
            .map(|base| page_url(base, output))
    }
}

#[derive(Serialize)]
struct SidebarContext<'n> {
    root: &'n str,
    nav: &'n [NavView],
    book: &'n BookMeta,
}

/// The public URL of `output` under `base` (`index.html` maps to its folder).
pub fn page_url(base: &str, output: &str) -> String {
    let path = output.strip_suffix("index.html").unwrap_or(output);
    format!("{base}{path}")
}

/// Marks the sidebar link to `output` as the current page.
fn mark_current(sidebar: &str, root: &str, output: &str) -> String {
    let needle = format!("href=\"{root}{output}\"");
    sidebar.replacen(
        &needle,
        &format!("{needle} class=\"active\" aria-current=\"page\""),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_in_tera_errors_give_positions() {
        assert_eq!(
            parse_arrow("Failed\n --> 3:12\n  |"),
            Some(Position {
                line: 3,
                column: 12
            })
        );
        assert_eq!(parse_arrow("no arrow"), None);
    }

    #[test]
    fn current_page_is_marked_once() {
        let s = "<a href=\"../days/a.html\">A</a><a href=\"../days/b.html\">B</a>";
        let marked = mark_current(s, "../", "days/b.html");
        assert!(marked.contains("href=\"../days/b.html\" class=\"active\" aria-current=\"page\""));
        assert_eq!(marked.matches("active").count(), 1);
    }

    #[test]
    fn page_urls_drop_index_html() {
        assert_eq!(page_url("https://x.io/c/", "index.html"), "https://x.io/c/");
        assert_eq!(
            page_url("https://x.io/c/", "days/index.html"),
            "https://x.io/c/days/"
        );
        assert_eq!(
            page_url("https://x.io/c/", "days/a.html"),
            "https://x.io/c/days/a.html"
        );
    }
}
