//! The theme: templates and static files embedded in the binary, each overridable by a file of
//! the same name in the book's own `theme/` folder.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::book::readable::Readable;

use crate::error::{Error, Result};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../theme/", $name)))),*]
    };
}

/// Every file of the default theme; templates in the order tera must load them (a parent, or
/// the macros a template imports, before the template).
pub(crate) const DEFAULT_FILES: &[(&str, &[u8])] = embedded!(
    "base.html",
    "macros.html",
    "sidebar.html",
    "page.html",
    "print.html",
    "contents.html",
    "review.html",
    "progress.html",
    "404.html",
    "book.css",
    "book.js",
    "quiz.js",
    "search.js",
    "search-panel.js",
    "coursebook-wasm.js",
    "coursebook-search-wasm.js",
    "offline.js",
    "nav.js",
    "favicon.svg",
);

/// The theme's sidebar renderer: written to the site root as `nav.js` after the book's chapter
/// list ([`crate::nav`]), not copied to `static/`.
pub const NAV_CODE: &str = "nav.js";

/// One theme file and where it came from.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Its name, e.g. `page.html` or `fonts/x.woff2`.
    pub name: String,
    /// The bytes.
    pub bytes: Cow<'static, [u8]>,
    /// The book's override file, or `None` for the built-in default.
    pub override_path: Option<PathBuf>,
}

impl ThemeFile {
    /// A path for messages: the override, or `theme/<name> (built-in)`.
    pub fn display_path(&self) -> PathBuf {
        match &self.override_path {
            Some(p) => p.clone(),
            None => PathBuf::from(format!("<built-in theme>/{}", self.name)),
        }
    }

    /// The contents as text (templates, CSS, JS must be UTF-8).
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes).map_err(|e| Error::Template {
            location: crate::error::Location::file(self.display_path()),
            message: format!("not valid UTF-8: {e}"),
        })
    }
}

/// The resolved theme of one book.
#[derive(Debug, Clone)]
pub struct Theme {
    files: Vec<ThemeFile>,
}

impl Theme {
    /// The built-in theme with the book's overrides from `theme_dir` (which may not exist).
    pub fn load(theme_dir: &Path) -> Result<Theme> {
        let mut files: Vec<ThemeFile> = DEFAULT_FILES
            .iter()
            .map(|(name, bytes)| ThemeFile {
                name: (*name).to_owned(),
                bytes: Cow::Borrowed(*bytes),
                override_path: None,
            })
            .collect();
        if theme_dir.is_dir() {
            let walk = WalkDir::new(theme_dir)
                .follow_links(true)
                .sort_by_file_name();
            // Hidden files and folders (`.git`, editor swap files) are no part of the theme.
            let visible = walk.into_iter().filter_entry(|e| {
                e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
            });
            for entry in visible {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(theme_dir).to_path_buf();
                    Error::io(
                        &path,
                        "cannot list",
                        e.into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("loop")),
                    )
                })?;
                let path = entry.path();
                if path == theme_dir
                    || crate::book::readable::check(theme_dir, path)? != Readable::File
                {
                    continue;
                }
                let Ok(rel) = path.strip_prefix(theme_dir) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                if name.split('/').any(|part| part.starts_with('.')) || name == "README.md" {
                    continue;
                }
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, "cannot read", e))?;
                let file = ThemeFile {
                    name: name.clone(),
                    bytes: Cow::Owned(bytes),
                    override_path: Some(path.to_path_buf()),
                };
                match files.iter_mut().find(|f| f.name == name) {
                    Some(slot) => *slot = file,
                    None => files.push(file),
                }
            }
        }
        Ok(Theme { files })
    }

    /// The file called `name`; the defaults guarantee every built-in name exists.
    pub fn get(&self, name: &str) -> Option<&ThemeFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Every template, in the order tera must load them: the built-in names in their order,
    /// with a book's extra templates (partials it includes) just before `page.html`.
    pub fn templates(&self) -> Vec<&ThemeFile> {
        let is_builtin = |name: &str| DEFAULT_FILES.iter().any(|(n, _)| *n == name);
        let mut ordered = Vec::new();
        for (name, _) in DEFAULT_FILES.iter().filter(|(n, _)| n.ends_with(".html")) {
            if *name == "page.html" {
                ordered.extend(
                    self.files
                        .iter()
                        .filter(|f| f.name.ends_with(".html") && !is_builtin(&f.name)),
                );
            }
            ordered.extend(self.get(name));
        }
        ordered
    }

    /// Files copied to the site's `static/` folder: everything but templates and the sidebar
    /// renderer.
    pub fn static_files(&self) -> impl Iterator<Item = &ThemeFile> {
        self.files
            .iter()
            .filter(|f| !f.name.ends_with(".html") && f.name != NAV_CODE)
    }
}
