//! Offline reading: the whole site as a zip for reading from disk (`<book id>.zip`), and the
//! service worker `sw.js` that caches the build for readers of the published site.
//! Both are made from every file the build wrote, so [`write()`] runs last.
//!
//! `sw.js` is the worker's code (`offline/sw.js`, which explains how it never serves a mix of
//! two builds) after a generated line,
//!
//! ```text
//! const BUILD = {"version":"<16 hex>","precache":[["404.html","<16 hex>"], …],"onDemand":[…]};
//! ```
//!
//! listing every file of the site but `sw.js`, the zip and dotfiles (`.nojekyll`), as URLs
//! relative to the site root, each with the start of its SHA-256. A site of up to
//! [`PRECACHE_LIMIT`] bytes is precached whole when the worker installs, so a reader who opened
//! one page can read every page offline. A larger site precaches what every page needs (the
//! static files with the search index, `nav.js`, the home, contents and 404 pages) and caches
//! the other files as they are read: a 10,000-chapter course is hundreds of megabytes, too much
//! to download unasked, and its readers who want all of it offline take the zip. The zip is
//! never cached: it is a download. `version` is the start of the SHA-256 of both lists, so any
//! change to any file is a new version, and two builds of the same book give the same `sw.js`.
//!
//! The zip holds the same files but itself, under a folder named after the book (`book.id`);
//! its entries are sorted and dated 1980-01-01, so it is byte-identical between builds too. It
//! never holds the same bytes twice: the print pages, which repeat every chapter, are replaced
//! by a short page saying where the print edition is. It is written to disk as it is made,
//! never held whole in memory. The zip's name is checked here against the book's files;
//! `sw.js` is in [`crate::book::RESERVED_OUTPUTS`]. With `service-worker` off, `sw.js` is
//! [`RETIRED_WORKER`].

use std::io::Write;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::sink::Sink;
use crate::Site;

/// The service worker's site path. Its scope is the folder it is in: the site root.
pub const SERVICE_WORKER: &str = "sw.js";

/// The worker's code, run after the generated `const BUILD = …;` line.
const WORKER: &str = include_str!("offline/sw.js");

/// `sw.js` when `service-worker` is off. A browser keeps a worker it installed, answering from
/// its cache, for as long as the worker's URL does not bring a new script, so turning the
/// worker off, or previewing with `coursebook serve` where a built site was served before,
/// must publish one that deletes the site's caches, unregisters itself and reloads its pages.
/// No page registers it.
pub const RETIRED_WORKER: &str = "\
// This site has no offline service worker: this one, written by coursebook, removes an earlier one.
'use strict';
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const prefix = 'coursebook ' + self.registration.scope + ' ';
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => caches.delete(n)));
    await self.registration.unregister();
    const pages = await self.clients.matchAll({ type: 'window' });
    await Promise.all(pages.map((page) => page.navigate(page.url).catch(() => null)));
  })());
});
";

/// Hex digits kept of each SHA-256 (64 bits: enough to tell builds and files apart).
const HASH_CHARS: usize = 16;

/// What a relative URL must escape in a file name so that it names that file.
const URL_ESCAPES: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?');

/// A site of up to this many bytes (the zip aside) is precached whole by the service worker.
pub const PRECACHE_LIMIT: u64 = 32 << 20;

/// Writes the download (when `download` is on) and then `sw.js` (when `service-worker` is on;
/// else [`RETIRED_WORKER`]), from every file already in `sink`. Files are read back one at a
/// time (hashed, and deflated for the zip), so the site is never held in memory whole.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<()> {
    let book = &site.config.book;
    if !book.service_worker {
        sink.write(SERVICE_WORKER, RETIRED_WORKER.as_bytes())?;
    }
    if !book.service_worker && book.download.is_none() {
        return Ok(());
    }
    let mut paths = sink.written()?;
    paths.retain(|path| is_site_file(path));
    let files = match &book.download {
        Some(name) => {
            if let Some(asset) = site.book.assets.iter().find(|a| &a.output == name) {
                return Err(Error::ReservedOutput {
                    file: asset.file.clone(),
                    output: name.clone(),
                });
            }
            let stub = print_stub(site);
            let read = |path: &str| match crate::print::is_print_output(path) {
                true => Ok(stub.clone().into_bytes()),
                false => sink.read(path),
            };
            let (mut files, mut size) = (Vec::new(), 0);
            sink.write_streamed(name, &mut |out| {
                (files, size) = zip_site(out, &book.id, &paths, &read, |path, bytes| {
                    // The worker caches the site's own print pages, not the zip's stubs.
                    match crate::print::is_print_output(path) {
                        true => sink.read(path).map(|real| SiteFile::of(path, &real)),
                        false => Ok(SiteFile::of(path, bytes)),
                    }
                })?;
                Ok(())
            })?;
            if size > LARGEST_PUBLISHABLE_FILE {
                tracing::warn!(
                    "the download {name} is {} MB, and GitHub refuses files over {} MB: publish \
                     the site elsewhere, or set `download = false` in [build] of book.toml",
                    size / 1_000_000,
                    LARGEST_PUBLISHABLE_FILE / 1_000_000
                );
            }
            files
        }
        None => paths
            .par_iter()
            .map(|path| Ok(SiteFile::of(path, &sink.read(path)?)))
            .collect::<Result<Vec<_>>>()?,
    };
    if book.service_worker {
        sink.write(SERVICE_WORKER, service_worker(&files).as_bytes())?;
    }
    Ok(())
}

/// A file of the site as the service worker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Its site path.
    pub path: String,
    /// Its [`file_hash`].
    pub hash: String,
    /// Its size in bytes.
    pub size: u64,
}

impl SiteFile {
    /// `bytes`, the file at `path`.
    pub fn of(path: &str, bytes: &[u8]) -> SiteFile {
        SiteFile {
            path: path.to_owned(),
            hash: file_hash(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// What the zip holds in place of each print page: where the print edition is.
fn print_stub(site: &Site) -> String {
    let mut title = String::new();
    crate::markdown::escape_attr(&mut title, &site.config.book.title);
    let online = match &site.config.book.site_url {
        Some(base) => {
            let mut url = String::new();
            crate::markdown::escape_attr(&mut url, &format!("{base}{}", crate::print::PRINT_PAGE));
            format!(" or open <a href=\"{url}\">the print edition online</a>")
        }
        None => String::new(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Print edition · {title}</title>\n\
         <link rel=\"stylesheet\" href=\"static/book.css\">\n</head>\n<body>\n\
         <main id=\"content\" class=\"content\">\n<h1>Print edition</h1>\n\
         <p>The print edition of {title} repeats every chapter, so the download leaves it out to \
         stay small. Print a chapter from its own page with your browser's print command{online}, \
         or go back to <a href=\"index.html\">the start</a> or <a href=\"contents.html\">the \
         contents</a>.</p>\n</main>\n</body>\n</html>\n",
        lang = site.config.book.language,
    )
}

/// Whether `path` belongs in the offline copies: not `sw.js` (useless from disk, and the
/// worker fetches itself) and no dotfile (`.nojekyll` tells GitHub Pages how to publish).
fn is_site_file(path: &str) -> bool {
    path != SERVICE_WORKER && !path.split('/').any(|part| part.starts_with('.'))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The start of the SHA-256 of `bytes`, as `sw.js` lists it.
pub fn file_hash(bytes: &[u8]) -> String {
    let mut hash = sha256_hex(bytes);
    hash.truncate(HASH_CHARS);
    hash
}

/// `sw.js` for the site made of `files` (sorted by path): the whole site precached when it
/// weighs at most [`PRECACHE_LIMIT`], else only what every page needs.
pub fn service_worker(files: &[SiteFile]) -> String {
    let total: u64 = files.iter().map(|f| f.size).sum();
    let whole = total <= PRECACHE_LIMIT;
    let (mut precache, mut on_demand) = (Vec::new(), Vec::new());
    let mut all = String::new();
    for file in files {
        let url = utf8_percent_encode(&file.path, URL_ESCAPES).to_string();
        all.push_str(&format!("{url}\0{}\n", file.hash));
        let entry = (url, file.hash.as_str());
        if whole || is_shell(&file.path) {
            precache.push(entry);
        } else {
            on_demand.push(entry);
        }
    }
    let mut version = sha256_hex(all.as_bytes());
    version.truncate(HASH_CHARS);
    let precache = serde_json::to_string(&precache).unwrap_or_default();
    let on_demand = serde_json::to_string(&on_demand).unwrap_or_default();
    format!(
        "// The offline service worker of this build of the site, written by coursebook.\n\
         'use strict';\n\
         const BUILD = {{\"version\":\"{version}\",\"precache\":{precache},\"onDemand\":{on_demand}}};\n{WORKER}"
    )
}

/// What every page needs, precached even on a large site: the theme's files and the search
/// index, the navigation, and the home, contents and 404 pages.
fn is_shell(path: &str) -> bool {
    path.starts_with(&format!("{}/", crate::book::STATIC_DIR))
        || [
            crate::nav::NAV_SCRIPT,
            crate::nav::CONTENTS_PAGE,
            "index.html",
            "404.html",
        ]
        .contains(&path)
}

/// The version in a `sw.js` written by [`service_worker`].
pub fn version_of(service_worker: &str) -> Option<&str> {
    let start = service_worker.find("\"version\":\"")? + "\"version\":\"".len();
    service_worker.get(start..start + HASH_CHARS)
}

/// The deflate level of the zip. Measured on a 10,000-chapter book (620 MB of site, two
/// cores): level 1 makes a 97.5 MB zip in 1.5 s, level 2 an 81.5 MB one in 2 s, level 3 a
/// 77 MB one in 2.8 s, level 6 a 75 MB one in 4.8 s.
const ZIP_LEVEL: i64 = 2;

/// GitHub refuses files larger than this: a bigger download is written, with a warning.
const LARGEST_PUBLISHABLE_FILE: u64 = 100_000_000;

/// Files read and deflated at once: enough to keep every core busy, few enough that only a
/// sliver of the site is in memory.
const ZIP_BATCH: usize = 64;

/// Writes the files at `paths` (read with `read`) as a zip into `out`, each under `<folder>/`,
/// in the order given, dated 1980-01-01; returns what `listed` makes of each file (path and
/// the bytes read) and the zip's size. Files are deflated each on its own, a batch at a time
/// in parallel and at level 2 (`ZIP_LEVEL`), and each batch's entries are copied into the zip
/// in order before the next batch is read.
pub fn zip_site(
    out: &mut dyn crate::sink::WriteSeek,
    folder: &str,
    paths: &[String],
    read: &(dyn Fn(&str) -> Result<Vec<u8>> + Sync),
    listed: impl Fn(&str, &[u8]) -> Result<SiteFile> + Sync,
) -> Result<(Vec<SiteFile>, u64)> {
    use zip::write::ZipWriter;
    let mut zip = ZipWriter::new(out);
    let mut files = Vec::with_capacity(paths.len());
    for batch in paths.chunks(ZIP_BATCH) {
        let entries = batch
            .par_iter()
            .map(|path| {
                let bytes = read(path)?;
                Ok((listed(path, &bytes)?, zip_entry(folder, path, &bytes)?))
            })
            .collect::<Result<Vec<_>>>()?;
        for (file, entry) in entries {
            let mut one = zip::ZipArchive::new(entry).map_err(|e| zip_error(folder, e))?;
            let raw = one.by_index_raw(0).map_err(|e| zip_error(folder, e))?;
            zip.raw_copy_file(raw).map_err(|e| zip_error(folder, e))?;
            files.push(file);
        }
    }
    let out = zip.finish().map_err(|e| zip_error(folder, e))?;
    let size = out
        .seek(std::io::SeekFrom::End(0))
        .map_err(|e| Error::io(std::path::Path::new(folder), "cannot zip", e))?;
    Ok((files, size))
}

/// A one-entry zip holding `bytes` deflated as `<folder>/<path>`.
fn zip_entry(folder: &str, path: &str, bytes: &[u8]) -> Result<std::io::Cursor<Vec<u8>>> {
    use zip::write::{SimpleFileOptions, ZipWriter};
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(ZIP_LEVEL))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut one = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    one.start_file(format!("{folder}/{path}"), options)
        .map_err(|e| zip_error(folder, e))?;
    one.write_all(bytes)
        .map_err(|e| Error::io(std::path::Path::new(path), "cannot zip", e))?;
    one.finish().map_err(|e| zip_error(folder, e))
}

fn zip_error(folder: &str, error: zip::result::ZipError) -> Error {
    Error::io(
        std::path::Path::new(folder),
        "cannot zip",
        std::io::Error::other(error),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<SiteFile> {
        list.iter()
            .map(|(p, b)| SiteFile::of(p, b.as_bytes()))
            .collect()
    }

    fn zip_of(folder: &str, list: &[(&str, &str)]) -> Vec<u8> {
        let paths: Vec<String> = list.iter().map(|(p, _)| (*p).to_owned()).collect();
        let read = |path: &str| {
            let (_, text) = list.iter().find(|(p, _)| *p == path).expect("listed");
            Ok(text.as_bytes().to_vec())
        };
        let mut out = std::io::Cursor::new(Vec::new());
        let (listed, size) = zip_site(&mut out, folder, &paths, &read, |p, b| {
            Ok(SiteFile::of(p, b))
        })
        .expect("zip");
        assert_eq!(size, out.get_ref().len() as u64, "the size is the zip's");
        assert_eq!(listed, files(list), "the zip pass lists every file");
        out.into_inner()
    }

    fn build_line(sw: &str) -> serde_json::Value {
        let json = sw
            .lines()
            .find_map(|line| line.strip_prefix("const BUILD = "))
            .and_then(|b| b.strip_suffix(';'))
            .expect("const BUILD = …;");
        serde_json::from_str(json).expect("JSON")
    }

    #[test]
    fn the_worker_lists_every_file_with_its_hash_and_a_version() {
        let sw = service_worker(&files(&[
            ("404.html", "nf"),
            ("img/a b#1.png", "png"),
            ("index.html", "home"),
        ]));
        let value = build_line(&sw);
        let listed = value["precache"].as_array().expect("precache");
        assert_eq!(listed.len(), 3, "a small site is precached whole");
        assert_eq!(value["onDemand"], serde_json::json!([]));
        assert_eq!(
            listed[1][0], "img/a%20b%231.png",
            "escaped so the URL names the file"
        );
        let home = &sha256_hex(b"home")[..HASH_CHARS];
        assert_eq!(listed[2], serde_json::json!(["index.html", home]));
        let version = version_of(&sw).expect("version");
        assert_eq!(value["version"], version);
        assert!(version.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(
            sw.contains("self.addEventListener('fetch'"),
            "the worker code follows"
        );
    }

    #[test]
    fn a_large_site_precaches_what_every_page_needs_and_the_rest_on_demand() {
        let mut list: Vec<SiteFile> = ["404.html", "contents.html", "index.html", "nav.js"]
            .iter()
            .map(|p| SiteFile::of(p, b"x"))
            .collect();
        list.push(SiteFile::of("static/search-index.js", b"idx"));
        for i in 0..3 {
            let mut page = SiteFile::of(&format!("part/c{i}.html"), b"page");
            page.size = PRECACHE_LIMIT / 2;
            list.push(page);
        }
        list.sort_by(|a, b| a.path.cmp(&b.path));
        let value = build_line(&service_worker(&list));
        let paths = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|e| e[0].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(
            paths("precache"),
            [
                "404.html",
                "contents.html",
                "index.html",
                "nav.js",
                "static/search-index.js"
            ]
        );
        assert_eq!(
            paths("onDemand"),
            ["part/c0.html", "part/c1.html", "part/c2.html"]
        );
    }

    #[test]
    fn the_version_changes_with_any_byte_or_name_and_only_then() {
        let base = [("a.html", "one"), ("static/b.css", "two")];
        let v = |list: &[(&str, &str)]| {
            version_of(&service_worker(&files(list)))
                .expect("version")
                .to_owned()
        };
        assert_eq!(v(&base), v(&base));
        assert_ne!(v(&base), v(&[("a.html", "one"), ("static/b.css", "two!")]));
        assert_ne!(v(&base), v(&[("a.html", "one"), ("static/c.css", "two")]));
        assert_ne!(v(&base), v(&base[..1]));
    }

    #[test]
    fn the_zip_is_deterministic_and_holds_the_files_under_the_book_folder() {
        let site = [("index.html", "home"), ("static/book.css", "body{}")];
        let zip = zip_of("my-course", &site);
        assert_eq!(zip, zip_of("my-course", &site));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("archive");
        let names: Vec<&str> = archive.file_names().collect();
        assert_eq!(names, ["my-course/index.html", "my-course/static/book.css"]);
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("my-course/static/book.css").expect("entry"),
            &mut text,
        )
        .expect("read");
        assert_eq!(text, "body{}");
    }

    #[test]
    fn dotfiles_and_the_worker_stay_out_of_the_offline_copies() {
        assert!(is_site_file("index.html"));
        assert!(is_site_file("static/sw.js"));
        assert!(!is_site_file("sw.js"));
        assert!(!is_site_file(".nojekyll"));
        assert!(!is_site_file("img/.hidden/x.png"));
    }
}
