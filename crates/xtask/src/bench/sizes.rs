//! What a built site weighs: its total bytes, its search index, and the scripts its heaviest
//! page loads (`<script src>` files, raw and gzipped as a server sends them).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use flate2::write::GzEncoder;

/// The weights of one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sizes {
    /// Every file's bytes.
    pub total: u64,
    /// The search index (its largest file, e.g. `searchindex.js`), if the site has one.
    pub search_index: Option<(String, u64)>,
    /// The site's largest file (GitHub Pages refuses a file over 100 MB).
    pub largest: Option<(String, u64)>,
    /// The page loading the most script bytes, and what it loads.
    pub page: Option<PageScripts>,
}

/// The scripts one page loads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageScripts {
    /// The page, relative to the site.
    pub page: String,
    /// Each script, relative to the site.
    pub scripts: Vec<String>,
    /// Their raw bytes.
    pub raw: u64,
    /// Their bytes gzipped at level 9, each on its own.
    pub gzip: u64,
}

/// A script another script adds to the page when the page holds one of `markers`.
#[derive(Debug, Clone, Copy)]
pub struct LazyScript {
    /// The file name of the script that loads it, e.g. `quiz.js`.
    pub loader: &'static str,
    /// Snippets of HTML that make the loader load it.
    pub markers: &'static [&'static str],
    /// Its file name, beside the loader.
    pub script: &'static str,
}

/// coursebook's `quiz.js` loads the WebAssembly bundle on pages with a quiz, a calculator, or
/// the review and progress pages (its `needsWasm`).
pub const COURSEBOOK_LAZY: &[LazyScript] = &[LazyScript {
    loader: "quiz.js",
    markers: &[
        "class=\"quiz\"",
        "class=\"calc",
        "id=\"review\"",
        "id=\"progress\"",
        "class=\"question",
    ],
    script: "coursebook-wasm.js",
}];

/// Measures the site in `site`, whose scripts load `lazy` ones.
pub fn measure(site: &Path, lazy: &[LazyScript]) -> Result<Sizes> {
    let mut files = Vec::new();
    walk(site, &mut files)?;
    files.sort();
    let mut total = 0;
    let mut search_index: Option<(String, u64)> = None;
    let mut largest: Option<(String, u64)> = None;
    for file in &files {
        let len = std::fs::metadata(file)?.len();
        total += len;
        let rel = relative(site, file);
        if largest.as_ref().is_none_or(|(_, n)| len > *n) {
            largest = Some((rel.clone(), len));
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel).to_ascii_lowercase();
        let is_index = name.starts_with("search") && name.contains("index");
        if is_index && search_index.as_ref().is_none_or(|(_, n)| len > *n) {
            search_index = Some((rel, len));
        }
    }
    Ok(Sizes {
        total,
        search_index,
        largest,
        page: heaviest_page(site, &files, lazy)?,
    })
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn relative(site: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(site).unwrap_or(file);
    rel.to_string_lossy().replace('\\', "/")
}

/// The HTML page whose `<script src>` files weigh the most (the first such page in path order).
fn heaviest_page(
    site: &Path,
    files: &[PathBuf],
    lazy: &[LazyScript],
) -> Result<Option<PageScripts>> {
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut best: Option<(u64, String, Vec<String>)> = None;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(file).unwrap_or_default();
        let page = relative(site, file);
        let mut scripts = script_sources(&page, &html);
        add_lazy(&mut scripts, &html, lazy);
        let mut raw = 0;
        for script in &scripts {
            let len = *sizes
                .entry(script.clone())
                .or_insert_with(|| std::fs::metadata(site.join(script)).map_or(0, |m| m.len()));
            raw += len;
        }
        if best.as_ref().is_none_or(|(b, _, _)| raw > *b) {
            best = Some((raw, page, scripts));
        }
    }
    let Some((raw, page, scripts)) = best else {
        return Ok(None);
    };
    let mut gzip = 0;
    for script in &scripts {
        if let Ok(bytes) = std::fs::read(site.join(script)) {
            gzip += gzipped_len(&bytes)?;
        }
    }
    Ok(Some(PageScripts {
        page,
        scripts,
        raw,
        gzip,
    }))
}

/// The local files the `<script src="...">` tags of `html` (the page at `page`) load, relative
/// to the site; absolute URLs are left out.
pub fn script_sources(page: &str, html: &str) -> Vec<String> {
    let base = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for tag in html.split("<script").skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let Some(src) = attribute(tag, "src") else {
            continue;
        };
        let src = src.split(['?', '#']).next().unwrap_or("");
        if src.is_empty() || src.contains("://") || src.starts_with("//") || src.starts_with('/') {
            continue;
        }
        if let Some(path) = normalise(&base.join(src)) {
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    out
}

fn add_lazy(scripts: &mut Vec<String>, html: &str, lazy: &[LazyScript]) {
    for l in lazy {
        let loader = scripts
            .iter()
            .find(|s| s.rsplit('/').next() == Some(l.loader))
            .cloned();
        if let (Some(loader), true) = (loader, l.markers.iter().any(|m| html.contains(m))) {
            let dir = loader.rsplit_once('/').map_or("", |(d, _)| d);
            let script = if dir.is_empty() {
                l.script.to_owned()
            } else {
                format!("{dir}/{}", l.script)
            };
            if !scripts.contains(&script) {
                scripts.push(script);
            }
        }
    }
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = rest[at + name.len()..].trim_start();
        if let (true, Some(value)) = (before_ok, after.strip_prefix('=')) {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            return if quote == '"' || quote == '\'' {
                value[1..].split(quote).next()
            } else {
                value.split(|c: char| c.is_ascii_whitespace()).next()
            };
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// `a/../b/./c` -> `b/c`; `None` when it climbs out of the site.
fn normalise(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => {}
        }
    }
    Some(parts.join("/"))
}

/// Gzipped size at level 9, as a server compresses it.
pub fn gzipped_len(bytes: &[u8]) -> Result<u64> {
    let mut gzip = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes)?;
    Ok(gzip.finish()?.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_sources_resolve_against_the_page() {
        let html = r#"<script>var x = 1;</script>
            <script src="../static/book.js"></script><script defer src='../quiz.js?v=1'>
            <script type="module" src="https://cdn.example/x.js"></script>
            <script data-src="x.js" src=../a/./b.js></script><script src="../static/book.js">"#;
        assert_eq!(
            script_sources("days/etcd.html", html),
            ["static/book.js", "quiz.js", "a/b.js"]
        );
        assert!(script_sources("a.html", r#"<script src="../../x.js">"#).is_empty());
    }

    #[test]
    fn the_quiz_script_loads_the_bundle_on_quiz_pages() {
        let mut scripts = vec!["static/book.js".to_owned(), "static/quiz.js".to_owned()];
        add_lazy(&mut scripts, "<p>no quiz</p>", COURSEBOOK_LAZY);
        assert_eq!(scripts.len(), 2);
        add_lazy(
            &mut scripts,
            r#"<div class="quiz" data-x>"#,
            COURSEBOOK_LAZY,
        );
        assert_eq!(scripts[2], "static/coursebook-wasm.js");
    }
}
