//! Templates: builds tera from the theme and renders pages, their bounded navigation, the
//! print, contents and 404 pages and `nav.js` from serialisable view structs.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::book::{display_duration, Book, Chapter};
use crate::config::{BookMeta, Config};
use crate::error::{Error, Location, Position, Result};
use crate::markdown::TocEntry;
use crate::nav::{self, LocalNav, NavMap, CONTENTS_PAGE};
use crate::print::{PrintLayout, PrintPart, PRINT_PAGE};
use crate::template_checks;
use crate::theme::Theme;

/// The name under which the generator identifies itself in pages.
pub const GENERATOR: &str = concat!("coursebook ", env!("CARGO_PKG_VERSION"));

/// Compiled templates and where each came from, for error messages.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, std::path::PathBuf>,
    /// Each template's text, to find the line a render error is about.
    texts: BTreeMap<String, String>,
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
        tera.register_function(template_checks::DEPTH_GUARD, template_checks::depth_guard);
        let templates = theme.templates();
        let mut sources = BTreeMap::new();
        let mut texts = BTreeMap::new();
        for file in &templates {
            sources.insert(file.name.clone(), file.display_path());
            texts.insert(file.name.clone(), file.text()?.to_owned());
        }
        template_checks::check_recursion(&texts, &sources)?;
        // In the theme's order: a template is added after the one it extends.
        for file in templates {
            let guarded = template_checks::guard_macros(&texts[&file.name]);
            tera.add_raw_template(&file.name, &guarded)
                .map_err(|e| template_error(&file.display_path(), &e))?;
        }
        Ok(Templates {
            tera,
            sources,
            texts,
        })
    }

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let path = self
            .sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.into());
        let context = Context::from_serialize(context).map_err(|e| template_error(&path, &e))?;
        self.tera.render(name, &context).map_err(|e| {
            let error = template_error(&path, &e);
            self.locate(name, error)
        })
    }

    /// A render error placed at its line: tera names the template and the variable, filter or
    /// function it missed, but not where; the first use of that name in that template is.
    fn locate(&self, top: &str, error: Error) -> Error {
        let Error::Template { location, message } = error else {
            return error;
        };
        if location.position.is_some() {
            return Error::Template { location, message };
        }
        let within = message
            .rsplit_once("while rendering '")
            .and_then(|(_, rest)| rest.split_once('\''))
            .map_or(top, |(name, _)| name);
        let missing = message
            .split_once('`')
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(name, _)| name);
        let found = (self.texts.get(within))
            .zip(missing)
            .and_then(|(text, missing)| template_checks::first_use(text, missing));
        let path = self.sources.get(within).cloned().unwrap_or(location.path);
        let location = match found {
            Some(position) => Location::at(path, position),
            None => Location::file(path),
        };
        Error::Template { location, message }
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
    /// An anchor id unique across the print edition.
    pub print_id: String,
}

impl<'a> PageView<'a> {
    /// The view of chapter `index` of `book`, with `toc` its headings and `html` its body.
    pub fn new(book: &'a Book, index: usize, toc: &'a [TocEntry], html: &'a str) -> Self {
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
            toc: toc
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
    root: &'a str,
    page: &'a PageView<'a>,
    sidebar: &'a str,
    print_page: String,
    canonical: Option<String>,
    generator: &'static str,
}

/// A print page's place in the print edition, for `print.html`.
#[derive(Debug, Serialize)]
pub struct PrintPartView<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its site path.
    pub path: &'a str,
    /// Its number, from 1.
    pub number: usize,
    /// How many print pages there are.
    pub count: usize,
    /// How many chapters it holds.
    pub chapters: usize,
    /// The title of its first chapter.
    pub first: &'a str,
    /// The title of its last chapter.
    pub last: &'a str,
}

/// Renders pages of one book.
#[derive(Debug)]
pub struct Renderer<'a> {
    templates: &'a Templates,
    config: &'a Config,
    book: &'a Book,
    nav: NavMap,
    print: &'a PrintLayout,
}

impl<'a> Renderer<'a> {
    /// A renderer for `book`, printed as `print` lays it out.
    pub fn new(
        templates: &'a Templates,
        config: &'a Config,
        book: &'a Book,
        print: &'a PrintLayout,
    ) -> Self {
        Renderer {
            templates,
            config,
            book,
            nav: NavMap::new(book),
            print,
        }
    }

    /// The page's own navigation (`sidebar.html`): bounded, whatever the size of the book.
    fn sidebar(&self, root: &str, current: &str, local: &LocalNav) -> Result<String> {
        #[derive(Serialize)]
        struct SidebarContext<'n> {
            root: &'n str,
            current: &'n str,
            local: &'n LocalNav,
            book: &'n BookMeta,
        }
        self.templates.render(
            "sidebar.html",
            &SidebarContext {
                root,
                current,
                local,
                book: &self.config.book,
            },
        )
    }

    /// The complete HTML of chapter `index`, whose headings are `toc` and body `html`.
    pub fn page(&self, index: usize, toc: &[TocEntry], html: &str) -> Result<String> {
        let chapter = &self.book.chapters[index];
        let root = chapter.root();
        let view = PageView::new(self.book, index, toc, html);
        let sidebar = self.sidebar(&root, &chapter.output, &self.nav.local(self.book, index))?;
        let print_page = match self.print.page_of(&chapter.output) {
            Some(page) if self.print.is_split() => format!("{page}#{}", view.print_id),
            _ => PRINT_PAGE.to_owned(),
        };
        self.templates.render(
            "page.html",
            &PageContext {
                book: &self.config.book,
                root: &root,
                page: &view,
                sidebar: &sidebar,
                print_page,
                canonical: self.canonical(&chapter.output),
                generator: GENERATOR,
            },
        )
    }

    /// One print page: `part`'s chapters, whose headings are `tocs` and print bodies `bodies`.
    pub fn print_part(
        &self,
        part: &PrintPart,
        tocs: &[&[TocEntry]],
        bodies: &[&str],
    ) -> Result<String> {
        let chapters = part
            .chapters
            .clone()
            .zip(tocs.iter().zip(bodies))
            .map(|(i, (toc, body))| PageView::new(self.book, i, toc, body))
            .collect();
        let number = self
            .print
            .parts()
            .iter()
            .position(|p| p.output == part.output)
            .map_or(1, |i| i + 1);
        let view = self.print.is_split().then(|| self.part_view(part, number));
        self.print_context(&part.output, chapters, view, Vec::new())
    }

    /// `print.html` of a book printed in parts: the list of parts.
    pub fn print_index(&self) -> Result<String> {
        let parts = self
            .print
            .parts()
            .iter()
            .enumerate()
            .map(|(i, part)| self.part_view(part, i + 1))
            .collect();
        self.print_context(PRINT_PAGE, Vec::new(), None, parts)
    }

    fn part_view(&'a self, part: &'a PrintPart, number: usize) -> PrintPartView<'a> {
        let title = |i: usize| self.book.chapters.get(i).map_or("", |c| c.title.as_str());
        PrintPartView {
            title: &part.title,
            path: &part.output,
            number,
            count: self.print.parts().len(),
            chapters: part.chapters.len(),
            first: title(part.chapters.start),
            last: title(part.chapters.end.saturating_sub(1)),
        }
    }

    fn print_context(
        &self,
        output: &str,
        chapters: Vec<PageView<'_>>,
        part: Option<PrintPartView<'_>>,
        parts: Vec<PrintPartView<'_>>,
    ) -> Result<String> {
        #[derive(Serialize)]
        struct PrintContext<'a> {
            book: &'a BookMeta,
            root: &'a str,
            chapters: Vec<PageView<'a>>,
            part: Option<PrintPartView<'a>>,
            parts: Vec<PrintPartView<'a>>,
            sidebar: &'a str,
            print_page: &'a str,
            canonical: Option<String>,
            generator: &'static str,
        }
        let sidebar = self.sidebar("", output, &nav::top_level(self.book))?;
        self.templates.render(
            "print.html",
            &PrintContext {
                book: &self.config.book,
                root: "",
                chapters,
                part,
                parts,
                sidebar: &sidebar,
                print_page: output,
                canonical: self.canonical(output),
                generator: GENERATOR,
            },
        )
    }

    /// `contents.html`: every chapter, nested by section.
    pub fn contents_page(&self) -> Result<String> {
        #[derive(Serialize)]
        struct ContentsContext<'a> {
            book: &'a BookMeta,
            root: &'a str,
            tree: Vec<nav::TreeEntry>,
            sidebar: &'a str,
            canonical: Option<String>,
            generator: &'static str,
        }
        let sidebar = self.sidebar("", CONTENTS_PAGE, &nav::top_level(self.book))?;
        self.templates.render(
            "contents.html",
            &ContentsContext {
                book: &self.config.book,
                root: "",
                tree: nav::tree(self.book),
                sidebar: &sidebar,
                canonical: self.canonical(CONTENTS_PAGE),
                generator: GENERATOR,
            },
        )
    }

    /// `nav.js`: the chapter list as data, then the theme's renderer `code`.
    pub fn nav_script(&self, code: &str, has_quizzes: bool) -> String {
        format!(
            "/* The chapters of {}, written by coursebook: every page's sidebar. */\n{}{code}",
            self.config.book.title.replace("*/", "* /"),
            nav::script_data(self.book, has_quizzes)
        )
    }

    /// `404.html`: absolute links when `site-url` is set, and the CSS, JS and favicon inlined
    /// so it works at whatever depth the server shows it; without `site-url`, the page works
    /// out the site root from the URL, knowing the site's folders (`site_dirs`).
    pub fn not_found_page(
        &self,
        inline_css: &str,
        inline_js: &str,
        favicon: &str,
    ) -> Result<String> {
        #[derive(Serialize)]
        struct NotFoundContext<'a> {
            book: &'a BookMeta,
            root: &'a str,
            inline_css: &'a str,
            inline_js: &'a str,
            favicon: &'a str,
            site_dirs: Vec<&'a str>,
            sidebar: &'a str,
            generator: &'static str,
        }
        let mut site_dirs: Vec<&str> = self
            .book
            .chapters
            .iter()
            .filter_map(|c| c.output.split_once('/').map(|(dir, _)| dir))
            .chain([crate::book::STATIC_DIR])
            .collect();
        site_dirs.sort_unstable();
        site_dirs.dedup();
        let root = self.config.book.site_url.as_deref().unwrap_or("");
        let sidebar = self.sidebar(root, "404.html", &nav::top_level(self.book))?;
        self.templates.render(
            "404.html",
            &NotFoundContext {
                book: &self.config.book,
                root,
                inline_css,
                inline_js,
                favicon,
                site_dirs,
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
        let sidebar = self.sidebar("", output, &nav::top_level(self.book))?;
        self.templates.render(
            output,
            &RootPageContext {
                book: &self.config.book,
                has_quizzes: true,
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

/// The public URL of `output` under `base` (`index.html` maps to its folder).
pub fn page_url(base: &str, output: &str) -> String {
    let path = output.strip_suffix("index.html").unwrap_or(output);
    format!("{base}{path}")
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

#[cfg(test)]
mod nasty {
    use super::*;

    /// Compiles a theme whose `page.html` is `text` and renders it with an empty context.
    fn survives(text: &str) -> Result<String> {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("page.html"), text).expect("w");
        let started = std::time::Instant::now();
        let theme = Theme::load(dir.path())?;
        let out = Templates::compile(&theme)
            .and_then(|t| t.render("page.html", &Context::new().into_json()));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        out
    }

    #[test]
    fn deep_or_recursive_templates_are_errors_not_crashes() {
        let depth = 5_000;
        for (text, needle) in [
            ("{% if a %}".repeat(depth) + &"{% endif %}".repeat(depth), "nest more than"),
            (format!("{{{{ {}x{} }}}}", "(".repeat(depth), ")".repeat(depth)), "nest more than"),
            ("{% for i in [1] %}".repeat(depth) + &"{% endfor %}".repeat(depth), "nest more than"),
            (format!("{{{{ x{} }}}}", " | upper".repeat(depth)), "`x` not found"),
            ("{{".repeat(depth), "parse"),
            ("{% raw %}".repeat(depth), "parse"),
            (
                "{% macro m() %}{{ self::m() }}{% endmacro m %}{{ self::m() }}".to_owned(),
                "too deeply",
            ),
            (
                "{% macro a() %}{{ self::b() }}{% endmacro a %}\
                 {% macro b() %}{% if true %}{{ self::a() }}{% endif %}{% endmacro b %}{{ self::a() }}"
                    .to_owned(),
                "too deeply",
            ),
        ] {
            let err = survives(&text).expect_err(needle).to_string();
            assert!(err.contains(needle), "{needle}: {}", &err[..err.len().min(300)]);
        }
    }

    #[test]
    fn nesting_up_to_the_limit_renders() {
        let depth = template_checks::MAX_NESTING - 1;
        let text = "{% if true %}".repeat(depth)
            + &format!("{{{{ {}1{} }}}}", "(".repeat(depth), ")".repeat(depth))
            + &"{% endif %}".repeat(depth);
        assert_eq!(survives(&text).expect("renders").trim(), "1");
    }
}
