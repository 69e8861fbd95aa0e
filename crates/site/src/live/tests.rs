//! Unit tests of the incremental rebuilds, on a book written to a temporary folder and an
//! in-memory sink that records what each rebuild writes and removes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use super::*;
use crate::sink::WriteSeek;

/// An in-memory site that remembers the paths written and removed since the last `take`.
#[derive(Default)]
struct Memory {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    log: Mutex<Vec<String>>,
}

impl Memory {
    fn text(&self, rel: &str) -> Option<String> {
        let files = self.files.lock().expect("lock");
        files
            .get(rel)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The paths written (`+path`) and removed (`-path`) since the last call, sorted.
    fn take(&self) -> Vec<String> {
        let mut log = std::mem::take(&mut *self.log.lock().expect("lock"));
        log.sort();
        log.dedup();
        log
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.files
            .lock()
            .expect("lock")
            .insert(rel.to_owned(), bytes.to_vec());
        self.log.lock().expect("lock").push(format!("+{rel}"));
        Ok(())
    }

    fn write_streamed(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<()>,
    ) -> Result<()> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        fill(&mut bytes)?;
        self.write(rel, &bytes.into_inner())
    }

    fn remove(&self, rel: &str) -> Result<()> {
        self.files.lock().expect("lock").remove(rel);
        self.log.lock().expect("lock").push(format!("-{rel}"));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| crate::Error::io(from, "cannot read", e))?;
        self.write(rel, &bytes)
    }

    fn written(&self) -> Result<Vec<String>> {
        Ok(self.files.lock().expect("lock").keys().cloned().collect())
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>> {
        Ok(self
            .files
            .lock()
            .expect("lock")
            .get(rel)
            .cloned()
            .unwrap_or_default())
    }
}

/// A book of `n` chapters in one section, and its loaded site.
struct Fixture {
    dir: tempfile::TempDir,
    live: LiveSite,
    sink: Memory,
}

fn chapter_text(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n## Part\n\n{body}\n")
}

fn fixture(n: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let content = dir.path().join("content/01-part");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"Live\"\n").expect("write");
    std::fs::write(dir.path().join("content/_index.md"), "Home.\n").expect("write");
    for i in 1..=n {
        let text = chapter_text(
            &format!("Chapter {i}"),
            &format!("Text {i}. [next](c{}.md)", i + 1),
        );
        std::fs::write(content.join(format!("{i:03}-c{i}.md")), text).expect("write");
    }
    let sink = Memory::default();
    let live = LiveSite::load(dir.path(), &sink).expect("loads");
    let mut fixture = Fixture { dir, live, sink };
    fixture.settle();
    fixture.sink.take();
    fixture
}

impl Fixture {
    /// Runs every step of the work left between saves.
    fn settle(&mut self) {
        while self
            .live
            .write_derived(&self.sink)
            .expect("builds")
            .is_some()
        {}
        self.live.take_index_job();
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.dir.path().join("content").join(rel), text).expect("write");
    }
}

#[test]
fn loading_writes_the_pages_and_leaves_print_pages_for_later() {
    let f = fixture(3);
    assert!(f
        .sink
        .text("part/c2.html")
        .is_some_and(|t| t.contains("Text 2.")));
    assert!(f
        .sink
        .text("nav.js")
        .is_some_and(|t| t.contains("Chapter 3")));
    assert!(f.sink.text(PRINT_PAGE).is_none(), "made when asked for");
    let print = f
        .live
        .print_page(PRINT_PAGE)
        .expect("renders")
        .expect("exists");
    assert!(print.contains("Text 1.") && print.contains("Text 3."));
    assert_eq!(f.live.print_page("print-9.html").expect("no error"), None);
}

#[test]
fn a_body_edit_writes_that_page_alone_and_drops_its_print_page() {
    let mut f = fixture(20);
    f.write(
        "01-part/010-c10.md",
        &chapter_text("Chapter 10", "New words."),
    );
    let rebuilt = f
        .live
        .replace_chapters(&["01-part/010-c10.md".into()], &f.sink);
    assert_eq!(
        rebuilt.expect("builds"),
        Rebuilt::Pages(vec!["part/c10.html".into()])
    );
    assert_eq!(f.sink.take(), ["+part/c10.html", "-print.html"]);
    assert!(f
        .sink
        .text("part/c10.html")
        .is_some_and(|t| t.contains("New words.")));
    assert!(f.live.has_stale_pages());
    assert!(f.live.take_index_job().is_some() && f.live.take_index_job().is_none());
}

#[test]
fn a_title_edit_rewrites_the_pages_that_show_it_and_the_navigation_only() {
    let mut f = fixture(30);
    f.write(
        "01-part/015-c15.md",
        &chapter_text("Renamed", "Text 15. [next](c16.md)"),
    );
    let rebuilt = f
        .live
        .replace_chapters(&["01-part/015-c15.md".into()], &f.sink);
    assert_eq!(
        rebuilt.expect("builds"),
        Rebuilt::Everything,
        "every tab reloads nav.js"
    );
    let log = f.sink.take();
    assert!(log.contains(&"+nav.js".to_owned()) && log.contains(&"+contents.html".to_owned()));
    let pages: Vec<&String> = log.iter().filter(|p| p.starts_with("+part/")).collect();
    let window = 2 * crate::nav::WINDOW + 1;
    assert!(
        pages.len() <= window,
        "{} pages rewritten: {pages:?}",
        pages.len()
    );
    assert!(
        pages.contains(&&"+part/c14.html".to_owned()),
        "the previous page shows it"
    );
    assert!(
        !log.contains(&"+part/c1.html".to_owned()),
        "a page far away is left alone"
    );
    assert!(f
        .sink
        .text("part/c14.html")
        .is_some_and(|t| t.contains("Renamed")));
}

#[test]
fn a_new_chapter_and_a_deleted_one_touch_their_neighbours_and_the_navigation() {
    let mut f = fixture(30);
    f.write(
        "01-part/031-c31.md",
        &chapter_text("Chapter 31", "Brand new."),
    );
    std::fs::remove_file(f.dir.path().join("content/01-part/005-c5.md")).expect("remove");
    assert_eq!(
        f.live.reload_content(&f.sink).expect("builds"),
        Rebuilt::Everything
    );
    f.settle();
    let log = f.sink.take();
    assert!(
        log.contains(&"+part/c31.html".to_owned()),
        "the new page, between saves: {log:?}"
    );
    assert!(log.contains(&"-part/c5.html".to_owned()), "{log:?}");
    assert!(
        log.contains(&"+part/c4.html".to_owned()),
        "c4 has link to c5: {log:?}"
    );
    assert!(!log.contains(&"+part/c15.html".to_owned()), "{log:?}");
    assert!(f
        .sink
        .text("part/c31.html")
        .is_some_and(|t| t.contains("Brand new.")));
    assert!(f.sink.text("part/c5.html").is_none());
    assert!(f
        .sink
        .text("nav.js")
        .is_some_and(|t| t.contains("Chapter 31") && !t.contains("\"Chapter 5\"")));
}

#[test]
fn an_edit_that_does_not_build_writes_nothing_and_the_next_good_one_works() {
    let mut f = fixture(5);
    let broken = "+++\ntitle = \"Other\"\n+++\n\n```quiz\n[[question]]\nkind = \"single\"\n```\n";
    f.write("01-part/003-c3.md", broken);
    assert!(f
        .live
        .replace_chapters(&["01-part/003-c3.md".into()], &f.sink)
        .is_err());
    assert_eq!(f.sink.take(), Vec::<String>::new(), "nothing written");
    assert_eq!(
        f.live.site().book.chapters[3].title,
        "Chapter 3",
        "the book is put back"
    );
    f.write("01-part/003-c3.md", &chapter_text("Fixed", "Good again."));
    f.live
        .replace_chapters(&["01-part/003-c3.md".into()], &f.sink)
        .expect("builds");
    assert!(f
        .sink
        .text("part/c3.html")
        .is_some_and(|t| t.contains("Good again.")));
    assert!(
        f.sink
            .text("part/c2.html")
            .is_some_and(|t| t.contains("Fixed")),
        "the pager"
    );
}
