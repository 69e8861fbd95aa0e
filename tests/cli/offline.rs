//! Offline reading: the service worker `sw.js` and the download `<book id>.zip` that a build
//! writes last, from every other file of the site, and the `[build]` keys that turn them off.

use std::io::Read;

use sha2::{Digest, Sha256};

use crate::support::{tree, BookTest};

/// The basic fixture's title as a slug: the zip's name and folder.
const ZIP: &str = "fixture-course.zip";

/// The generated `const BUILD = {…};` line of a `sw.js`, parsed.
fn build_of(sw: &str) -> serde_json::Value {
    let line = sw
        .lines()
        .find_map(|l| l.strip_prefix("const BUILD = "))
        .expect("a `const BUILD = …;` line");
    serde_json::from_str(line.strip_suffix(';').expect(";")).expect("JSON")
}

fn version(t: &BookTest) -> String {
    build_of(&t.read_site("sw.js"))["version"]
        .as_str()
        .expect("version")
        .to_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Files a learner gets offline: everything but the worker and dotfiles.
fn offline_files(site: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    tree(site)
        .into_iter()
        .filter(|(name, _)| name != "sw.js" && !name.starts_with('.'))
        .collect()
}

#[test]
fn the_worker_lists_every_other_file_with_its_hash_and_a_version() {
    let t = BookTest::new("basic");
    t.build();
    let build = build_of(&t.read_site("sw.js"));
    let version = build["version"].as_str().expect("version");
    assert_eq!(version.len(), 16);
    assert!(version.chars().all(|c| c.is_ascii_hexdigit()), "{version}");
    let listed: Vec<(String, String)> =
        serde_json::from_value(build["precache"].clone()).expect("[[path, hash]]");
    assert_eq!(
        build["onDemand"],
        serde_json::json!([]),
        "a small site is precached whole"
    );
    let expected: Vec<(String, String)> = offline_files(&t.site())
        .iter()
        .filter(|(name, _)| name != ZIP)
        .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)[..16].to_owned()))
        .collect();
    assert_eq!(listed, expected, "every file but the zip");
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    for file in ["index.html", "404.html", "static/offline.js", "nav.js"] {
        assert!(names.contains(&file), "{file} is not cached: {names:?}");
    }
    let home = t.read_site("index.html");
    assert!(
        home.contains("<script src=\"static/offline.js\" data-service-worker></script>"),
        "the pages register the worker"
    );
    let day = t.read_site("days/first.html");
    assert!(day.contains("<script src=\"../static/offline.js\" data-service-worker>"));
    assert!(
        home.contains(&format!(
            "<a href=\"{ZIP}\" download>Download for offline reading</a>"
        )),
        "the home page offers the download"
    );
    assert!(
        !day.contains("Download for offline reading"),
        "only the home page's footer"
    );
}

#[test]
fn the_zip_holds_the_site_under_the_book_folder() {
    let t = BookTest::new("basic");
    t.build();
    let zip = std::fs::read(t.site().join(ZIP)).expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let site: Vec<(String, Vec<u8>)> = offline_files(&t.site())
        .into_iter()
        .filter(|(name, _)| name != ZIP)
        .collect();
    assert_eq!(archive.len(), site.len());
    for (i, (name, bytes)) in site.iter().enumerate() {
        let mut entry = archive.by_index(i).expect("entry");
        assert_eq!(
            entry.name(),
            format!("fixture-course/{name}"),
            "sorted entries"
        );
        let modified = entry.last_modified().expect("date");
        assert_eq!(
            (modified.year(), modified.month(), modified.day()),
            (1980, 1, 1)
        );
        let mut inside = Vec::new();
        entry.read_to_end(&mut inside).expect("read");
        if name == "print.html" {
            let stub = String::from_utf8(inside).expect("utf-8");
            assert!(
                stub.contains("leaves it out"),
                "the print edition is not repeated: {stub}"
            );
            assert!(stub.len() < 2000);
        } else {
            assert!(&inside == bytes, "{name} differs in the zip");
        }
    }
}

#[test]
fn two_builds_give_the_same_worker_and_zip() {
    let t = BookTest::new("basic");
    let a = t.scratch().join("a");
    let b = t.scratch().join("b");
    for dest in [&a, &b] {
        t.run(&["build", "--dest-dir", dest.to_str().expect("utf-8")])
            .success();
    }
    for name in ["sw.js", ZIP] {
        let first = std::fs::read(a.join(name)).expect(name);
        assert!(
            first == std::fs::read(b.join(name)).expect(name),
            "{name} differs"
        );
    }
}

#[test]
fn a_content_change_is_a_new_version() {
    let t = BookTest::new("basic");
    t.build();
    let before = version(&t);
    let old = t.read_site("sw.js");
    let chapter = t.path("content/01-days/02-second.md");
    let text = std::fs::read_to_string(&chapter).expect("chapter");
    t.write(
        "content/01-days/02-second.md",
        format!("{text}\nOne more line.\n"),
    );
    t.build();
    let after = version(&t);
    assert_ne!(before, after);
    let hash = |sw: &str, name: &str| {
        let build = build_of(sw);
        let files = build["precache"].as_array().expect("precache").clone();
        files.into_iter().find(|f| f[0] == name).expect(name)[1].clone()
    };
    let new = t.read_site("sw.js");
    assert_ne!(
        hash(&old, "days/second.html"),
        hash(&new, "days/second.html")
    );
    assert_eq!(hash(&old, "static/book.css"), hash(&new, "static/book.css"));
}

/// Whether `sw.js` is the worker that removes an earlier one (and caches nothing).
fn is_retired(sw: &str) -> bool {
    sw.contains("self.registration.unregister()")
        && !sw.contains("'fetch'")
        && !sw.contains("BUILD")
}

#[test]
fn the_service_worker_and_the_download_turn_off_one_by_one() {
    let t = BookTest::new("basic");
    let toml = std::fs::read_to_string(t.path("book.toml")).expect("book.toml");

    t.write(
        "book.toml",
        format!("{toml}\n[build]\nservice-worker = false\n"),
    );
    t.build();
    assert!(
        is_retired(&t.read_site("sw.js")),
        "sw.js removes a worker that browsers installed from an earlier build"
    );
    assert!(t.site().join(ZIP).is_file(), "the download stays");
    let home = t.read_site("index.html");
    assert!(
        home.contains("<script src=\"static/offline.js\"></script>"),
        "no worker"
    );
    assert!(home.contains("Download for offline reading"));

    t.write("book.toml", format!("{toml}\n[build]\ndownload = false\n"));
    t.build();
    assert!(!t.site().join(ZIP).exists());
    let listed = build_of(&t.read_site("sw.js"))["files"].to_string();
    assert!(!listed.contains(".zip"), "{listed}");
    assert!(!t
        .read_site("index.html")
        .contains("Download for offline reading"));

    t.write(
        "book.toml",
        format!("{toml}\n[build]\nservice-worker = false\ndownload = false\n"),
    );
    t.build();
    assert!(is_retired(&t.read_site("sw.js")) && !t.site().join(ZIP).exists());
    assert!(!t.read_site("index.html").contains("offline.js"));
}

#[test]
fn the_progress_page_offers_the_download_and_says_how_progress_travels() {
    let t = BookTest::new("quizzes");
    t.build();
    let progress = t.read_site("progress.html");
    assert!(
        progress.contains("<a href=\"quiz-fixture.zip\" download>Download for offline reading</a>")
    );
    assert!(
        progress.contains("Export and import are how you carry your progress between them"),
        "{progress}"
    );
}

#[test]
fn unknown_build_keys_are_still_errors() {
    let t = BookTest::new("basic");
    let toml = std::fs::read_to_string(t.path("book.toml")).expect("book.toml");
    t.write(
        "book.toml",
        format!("{toml}\n[build]\nservice_worker = false\n"),
    );
    let line = toml.lines().count() + 3;
    t.run(&["build"])
        .failure(&[&format!("book.toml:{line}:1:"), "service_worker"]);
}

#[test]
fn content_files_cannot_take_the_offline_names() {
    let t = BookTest::new("basic");
    t.write("content/sw.js", "self.skipWaiting()");
    t.run(&["build"])
        .failure(&["sw.js", "coursebook writes itself"]);
    std::fs::remove_file(t.path("content/sw.js")).expect("rm");
    t.write(&format!("content/{ZIP}"), "PK");
    t.run(&["build"])
        .failure(&[ZIP, "coursebook writes itself"]);
}

#[test]
fn the_dev_server_registers_no_worker_and_has_no_zip() {
    let t = BookTest::new("basic");
    let files = coursebook_serve::files::SiteFiles::default();
    let mut session =
        coursebook_serve::session::Session::load(&t.root(), files.clone()).expect("session");
    let home = session
        .make("index.html")
        .expect("builds")
        .expect("index.html");
    assert!(!String::from_utf8_lossy(&home).contains("offline.js"));
    assert!(!files.contains(ZIP));
    let sw = files.get("sw.js").expect("sw.js");
    assert!(
        is_retired(&String::from_utf8_lossy(&sw)),
        "a worker left by a site served earlier on the same port removes itself"
    );
}
