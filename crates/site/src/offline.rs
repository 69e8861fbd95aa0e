//! Offline reading: the whole site as a zip for reading from disk (`<book id>.zip`), and the
//! service worker `sw.js` that caches the complete build for readers of the published site.
//! Both are made from every file the build wrote, so [`write()`] runs last.
//!
//! `sw.js` is the worker's code (`offline/sw.js`, which explains how it never serves a mix of
//! two builds) after a generated line,
//!
//! ```text
//! const BUILD = {"version":"<16 hex>","files":[["404.html","<16 hex>"], …]};
//! ```
//!
//! listing every file of the site, the zip included, but `sw.js` itself and dotfiles
//! (`.nojekyll`), as URLs relative to the site root, each with the start of its SHA-256.
//! `version` is the start of the SHA-256 of that list, so any change to any file is a new
//! version, and two builds of the same book give the same `sw.js`. The zip holds the same files
//! but itself, under a folder named after the book (`book.id`); its entries are sorted and dated
//! 1980-01-01, so it is byte-identical between builds too. The zip's name is checked here
//! against the book's files; `sw.js` is in [`crate::book::RESERVED_OUTPUTS`]. With
//! `service-worker` off, `sw.js` is [`RETIRED_WORKER`].

use std::io::Write;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::output::Sink;
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
    let hashes = match &book.download {
        Some(name) => {
            if let Some(asset) = site.book.assets.iter().find(|a| &a.output == name) {
                return Err(Error::ReservedOutput {
                    file: asset.file.clone(),
                    output: name.clone(),
                });
            }
            let (zip, mut hashes) = zip_site(&book.id, &paths, |path| sink.read(path))?;
            sink.write(name, &zip)?;
            hashes.push((name.clone(), file_hash(&zip)));
            hashes.sort();
            hashes
        }
        None => paths
            .par_iter()
            .map(|path| Ok((path.clone(), file_hash(&sink.read(path)?))))
            .collect::<Result<Vec<_>>>()?,
    };
    if book.service_worker {
        sink.write(SERVICE_WORKER, service_worker(&hashes).as_bytes())?;
    }
    Ok(())
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

/// A site path with its [`file_hash`].
pub type FileHash = (String, String);

/// The start of the SHA-256 of `bytes`, as `sw.js` lists it.
pub fn file_hash(bytes: &[u8]) -> String {
    let mut hash = sha256_hex(bytes);
    hash.truncate(HASH_CHARS);
    hash
}

/// `sw.js` for the site made of `files`: sorted site paths with their [`file_hash`].
pub fn service_worker(files: &[(String, String)]) -> String {
    let listed: Vec<(String, &str)> = files
        .iter()
        .map(|(path, hash)| {
            (
                utf8_percent_encode(path, URL_ESCAPES).to_string(),
                hash.as_str(),
            )
        })
        .collect();
    let mut all = String::new();
    for (url, hash) in &listed {
        all.push_str(&format!("{url}\0{hash}\n"));
    }
    let mut version = sha256_hex(all.as_bytes());
    version.truncate(HASH_CHARS);
    let listed = serde_json::to_string(&listed).unwrap_or_default();
    format!(
        "// The offline service worker of this build of the site, written by coursebook.\n\
         'use strict';\n\
         const BUILD = {{\"version\":\"{version}\",\"files\":{listed}}};\n{WORKER}"
    )
}

/// The version in a `sw.js` written by [`service_worker`].
pub fn version_of(service_worker: &str) -> Option<&str> {
    let start = service_worker.find("\"version\":\"")? + "\"version\":\"".len();
    service_worker.get(start..start + HASH_CHARS)
}

/// Files read and deflated at once: enough to keep every core busy, few enough that only a
/// sliver of the site is in memory beside the zip.
const ZIP_BATCH: usize = 64;

/// The files at `paths` (read with `read`) as a zip, each under `<folder>/`, in the order
/// given, dated 1980-01-01; and each file's [`file_hash`]. Files are deflated each on its own,
/// a batch at a time in parallel and at the fastest level (a 100 MB site takes about a second
/// of CPU; level 6 would save a fifth to a quarter of the size for five times that), and each
/// batch's entries are copied into the zip in order before the next batch is read.
pub fn zip_site(
    folder: &str,
    paths: &[String],
    read: impl Fn(&str) -> Result<Vec<u8>> + Sync,
) -> Result<(Vec<u8>, Vec<FileHash>)> {
    use std::io::Cursor;
    use zip::write::ZipWriter;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let mut hashes = Vec::with_capacity(paths.len());
    for batch in paths.chunks(ZIP_BATCH) {
        let entries = batch
            .par_iter()
            .map(|path| {
                let bytes = read(path)?;
                Ok((file_hash(&bytes), zip_entry(folder, path, &bytes)?))
            })
            .collect::<Result<Vec<_>>>()?;
        for (path, (hash, entry)) in batch.iter().zip(entries) {
            let mut one = zip::ZipArchive::new(entry).map_err(|e| zip_error(folder, e))?;
            let raw = one.by_index_raw(0).map_err(|e| zip_error(folder, e))?;
            zip.raw_copy_file(raw).map_err(|e| zip_error(folder, e))?;
            hashes.push((path.clone(), hash));
        }
    }
    let zip = zip.finish().map_err(|e| zip_error(folder, e))?.into_inner();
    Ok((zip, hashes))
}

/// A one-entry zip holding `bytes` deflated as `<folder>/<path>`.
fn zip_entry(folder: &str, path: &str, bytes: &[u8]) -> Result<std::io::Cursor<Vec<u8>>> {
    use zip::write::{SimpleFileOptions, ZipWriter};
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
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

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, b)| ((*p).to_owned(), file_hash(b.as_bytes())))
            .collect()
    }

    fn zip_of(folder: &str, list: &[(&str, &str)]) -> Vec<u8> {
        let paths: Vec<String> = list.iter().map(|(p, _)| (*p).to_owned()).collect();
        let read = |path: &str| {
            let (_, text) = list.iter().find(|(p, _)| *p == path).expect("listed");
            Ok(text.as_bytes().to_vec())
        };
        let (zip, hashes) = zip_site(folder, &paths, read).expect("zip");
        assert_eq!(hashes, files(list), "the zip pass hashes every file");
        zip
    }

    #[test]
    fn the_worker_lists_every_file_with_its_hash_and_a_version() {
        let sw = service_worker(&files(&[
            ("404.html", "nf"),
            ("img/a b#1.png", "png"),
            ("index.html", "home"),
        ]));
        let json = sw
            .lines()
            .find_map(|line| line.strip_prefix("const BUILD = "))
            .and_then(|b| b.strip_suffix(';'))
            .expect("const BUILD = …;");
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        let listed = value["files"].as_array().expect("files");
        assert_eq!(listed.len(), 3);
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
