//! `coursebook serve` over real sockets on 127.0.0.1: serving, live reload after an edit, the
//! error overlay and recovery, rapid saves, path traversal, a taken port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{repo_root, BookTest};

/// A running `coursebook serve`, killed when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) port: u16,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(t: &BookTest) -> Server {
        Server::start_in(&t.root())
    }

    /// Starts the server on `root` and waits until every page and the search index are made.
    pub(crate) fn start_in(root: &std::path::Path) -> Server {
        let mut server = Server::start_loading(root);
        // Every page is rendered and the search index built: events from now on are the test's.
        server.wait_for_line("Rendered every page and the search index in");
        server
    }

    /// Starts the server on `root` and returns as soon as it serves (pages still rendering).
    pub(crate) fn start_loading(root: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coursebook"))
            .args(["serve", "--port", "0"])
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start coursebook serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = BufReader::new(child.stdout.take().expect("stdout"));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stdout: lines,
        };
        let line = server.wait_for_line("Serving at http://127.0.0.1:");
        let port = line
            .rsplit(':')
            .next()
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("port in the banner");
        server.port = port;
        server
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.stdout.lock().expect("lines").clone()
    }

    pub(crate) fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(line) = self.lines().into_iter().find(|l| l.contains(needle)) {
                return line;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    e.read_to_string(&mut err).ok();
                }
                panic!("serve exited ({status}): {err}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no line with {needle:?} in {:?}", self.lines());
    }

    /// `GET path` as sent, returning the status code and body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Subscribes to the events stream.
    pub(crate) fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__coursebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("request");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        // The response head, so that later reads see only events.
        let mut line = String::new();
        while events.reader.read_line(&mut line).is_ok() && line != "\r\n" {
            line.clear();
        }
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next `data:` payload containing `needle`, within `within`.
    pub(crate) fn next_with(&mut self, needle: &str, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.contains("data:") && line.contains(needle) => {
                    return Some(line.trim().to_owned())
                }
                _ => {}
            }
        }
        None
    }
}

pub(crate) const CHAPTER: &str = "content/01-days/01-first.md";

pub(crate) fn chapter(t: &BookTest) -> String {
    std::fs::read_to_string(t.path(CHAPTER)).expect("chapter")
}

#[test]
fn serves_the_book_with_the_live_reload_script() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("EventSource(\"/__coursebook/events\")"));
    assert!(home.contains("<title>"));
    let (status, css) = server.get("/static/book.css");
    assert_eq!(status, 200);
    assert!(!css.contains("EventSource"), "only pages get the script");
    let (status, page) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(page.contains("not found") || page.contains("Not found") || page.contains("404"));
    let (status, _) = server.get("/days");
    assert_eq!(status, 301, "a folder redirects to its index");
    assert!(!t.site().exists(), "serve writes nothing to disk");
}

#[test]
fn serves_the_shipped_course() {
    let server = Server::start_in(&repo_root());
    let (status, day2) = server.get("/days/etcd.html");
    assert_eq!(status, 200);
    assert!(day2.contains("<section class=\"quiz\""));
    assert!(day2.contains("data-calc=\"quorum\""));
    for page in [
        "/",
        "/review.html",
        "/progress.html",
        "/print.html",
        "/static/coursebook-wasm.js",
    ] {
        assert_eq!(server.get(page).0, 200, "{page}");
    }
}

#[test]
fn an_edit_reloads_tabs_after_the_new_page_is_served() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    t.write(
        CHAPTER,
        format!("{}\nA freshly saved sentence.\n", chapter(&t)),
    );
    let message = events
        .next_with("\"reload\"", Duration::from_secs(10))
        .expect("a reload message");
    assert!(message.contains("days/first.html"), "{message}");
    let (_, page) = server.get("/days/first.html");
    assert!(page.contains("A freshly saved sentence."));
}

#[test]
fn a_broken_edit_shows_the_error_and_keeps_the_last_good_page() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let good = chapter(&t);
    let mut events = server.events();
    t.write(CHAPTER, "+++\ntitle = \n+++\nBroken.\n");
    let message = events
        .next_with("\"error\"", Duration::from_secs(10))
        .expect("an error message");
    assert!(message.contains("01-first.md:2"), "{message}");
    assert!(message.contains("invalid front matter"), "{message}");
    let (status, page) = server.get("/days/first.html");
    assert_eq!(status, 200);
    assert!(
        !page.contains("Broken."),
        "the last good page is still served"
    );
    // A tab opened now learns about the error at once.
    let mut late = server.events();
    assert!(late
        .next_with("\"error\"", Duration::from_secs(5))
        .is_some());
    t.write(CHAPTER, format!("{good}\nFixed again.\n"));
    events
        .next_with("\"reload\"", Duration::from_secs(10))
        .expect("a reload once fixed");
    let (_, page) = server.get("/days/first.html");
    assert!(page.contains("Fixed again."));
    let mut fresh = server.events();
    assert!(
        fresh
            .next_with("\"error\"", Duration::from_millis(800))
            .is_none(),
        "the error is cleared"
    );
}

#[test]
fn a_hundred_rapid_saves_end_in_few_rebuilds_and_the_last_text() {
    let t = BookTest::new("basic");
    let mut server = Server::start(&t);
    let base = chapter(&t);
    for i in 0..100 {
        t.write(CHAPTER, format!("{base}\nSave number {i}.\n"));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, page) = server.get("/days/first.html");
        if page.contains("Save number 99.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last save is never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.wait_for_line("rebuilt");
    std::thread::sleep(Duration::from_millis(300));
    let rebuilds = server
        .lines()
        .iter()
        .filter(|l| l.starts_with("rebuilt"))
        .count();
    assert!(
        (1..=30).contains(&rebuilds),
        "{rebuilds} rebuilds for 100 saves"
    );
}

#[test]
fn paths_outside_the_site_are_refused() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/static/..%2f..%2fbook.toml",
        "/days/%2e%2e/%2e%2e/book.toml",
        "/..%5cbook.toml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("[book]"), "{path} leaked book.toml");
        assert!(!body.contains("root:"), "{path} leaked a system file");
    }
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let t = BookTest::new("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    t.run(&["serve", "--port", &port])
        .failure(&["already in use", "--port"]);
}

#[test]
fn a_theme_created_while_serving_is_watched_and_css_edits_swap_styles() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    t.write("theme/book.css", "body { color: rgb(1, 2, 3); }\n");
    events
        .next_with("\"reload\"", Duration::from_secs(10))
        .expect("a new theme reloads every page");
    let (_, css) = server.get("/static/book.css");
    assert!(css.contains("rgb(1, 2, 3)"));
    std::thread::sleep(Duration::from_millis(100));
    t.write("theme/book.css", "body { color: rgb(4, 5, 6); }\n");
    let message = events
        .next_with("\"styles\"", Duration::from_secs(10))
        .expect("a stylesheet swap");
    assert!(message.contains("static/book.css"), "{message}");
    let (_, css) = server.get("/static/book.css");
    assert!(css.contains("rgb(4, 5, 6)"));
}

#[test]
fn built_sites_never_contain_the_live_reload_script() {
    let t = BookTest::new("basic");
    t.build();
    for (path, bytes) in crate::support::tree(&t.site()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__coursebook"),
            "{path} has the live-reload script"
        );
    }
}

#[test]
fn ctrl_c_stops_cleanly_even_with_a_tab_connected() {
    let t = BookTest::new("basic");
    let mut server = Server::start(&t);
    let _tab = server.events();
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    server.wait_for_line("Stopped.");
}

#[test]
fn a_large_book_is_served_at_once_and_every_page_answers_while_the_rest_renders() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content/01-part")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Big\"\n").expect("book.toml");
    for i in 1..=600 {
        let text = format!(
            "+++\ntitle = \"Chapter {i}\"\n+++\n\n## Words\n\nUnique word zq{i}x.\n\n\
             ```bash\nkubectl get pods -n ns{i} -o wide\n```\n"
        );
        std::fs::write(root.join(format!("content/01-part/{i:03}-c{i}.md")), text)
            .expect("chapter");
    }
    let server = Server::start_loading(root);
    // Asked for before the background rendering reaches it: made on demand.
    let (status, page) = server.get("/part/c600.html");
    assert_eq!(status, 200);
    assert!(page.contains("zq600x"), "{page}");
    let (status, print) = server.get("/print.html");
    assert_eq!(status, 200);
    assert!(print.contains("zq1x") && print.contains("zq600x"));
    // Every page is rendered in the background, then the search index is built.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, index) = server.get("/static/search-index.js");
        if status == 200 && index.contains("zq300x") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no search index with every chapter"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, second) = server.get("/part/c2.html");
    assert_eq!(status, 200);
    assert!(second.contains("zq2x"));
    let (status, _) = server.get("/part/c601.html");
    assert_eq!(status, 404);
}
