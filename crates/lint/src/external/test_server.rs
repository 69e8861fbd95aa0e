//! A tiny threaded HTTP/1.1 server on 127.0.0.1 for the external-link tests: fixed routes for
//! each kind of answer, a count of requests per path, and the most requests it ever had in
//! flight at once.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server has seen.
#[derive(Default)]
struct Seen {
    hits: Mutex<BTreeMap<String, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    stop: AtomicBool,
}

/// A running server; it stops when dropped.
pub(super) struct TestServer {
    addr: SocketAddr,
    seen: Arc<Seen>,
}

/// The page with ids `intro` (an element) and `legacy` (an `<a name>`).
const PAGE: &str =
    r#"<!doctype html><html><body><h1 id="intro">Intro</h1><a name="legacy"></a></body></html>"#;

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub(super) fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let seen = Arc::new(Seen::default());
        let shared = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let seen = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &seen));
            }
        });
        TestServer { addr, seen }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub(super) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many requests asked for `path`.
    pub(super) fn hits(&self, path: &str) -> usize {
        let hits = self.seen.hits.lock().expect("hits");
        hits.get(path).copied().unwrap_or(0)
    }

    /// How many requests asked for anything.
    pub(super) fn total_hits(&self) -> usize {
        self.seen.hits.lock().expect("hits").values().sum()
    }

    /// The most requests that were being answered at the same time.
    pub(super) fn max_in_flight(&self) -> usize {
        self.seen.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.seen.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees `stop`.
        let _ = TcpStream::connect(self.addr);
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub(super) fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Answers one request, then closes the connection.
fn serve(mut stream: TcpStream, seen: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(path) = read_path(&mut stream) else {
        return;
    };
    *seen
        .hits
        .lock()
        .expect("hits")
        .entry(path.clone())
        .or_default() += 1;
    if let Some(kind) = path.strip_prefix("/endless") {
        stream_without_end(&mut stream, kind == "-slow");
        return;
    }
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let response = respond(&path);
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// An HTML page that never ends (no length, never closed): `intro` is its first id, then
/// paragraphs follow until the client hangs up — quickly, or a few bytes at a time when `slow`.
fn stream_without_end(stream: &mut TcpStream, slow: bool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n\
                <!doctype html><html><body><h1 id=\"intro\">Intro</h1>";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let filler = "<p>more</p>".repeat(if slow { 1 } else { 4096 });
    while stream.write_all(filler.as_bytes()).is_ok() {
        if slow {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The path of the request line, after reading the whole head.
fn read_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    head.split_whitespace().nth(1).map(str::to_owned)
}

/// The whole response to `path`.
fn respond(path: &str) -> String {
    match path {
        "/ok" | "/page" => reply("200 OK", "text/html; charset=utf-8", "", PAGE),
        "/file.txt" => reply("200 OK", "text/plain", "", "intro"),
        "/moved" => reply(
            "301 Moved Permanently",
            "text/plain",
            "Location: /page\r\n",
            "",
        ),
        "/loop" => reply("302 Found", "text/plain", "Location: /loop\r\n", ""),
        "/gone" => reply("410 Gone", "text/plain", "", ""),
        "/error" => reply("500 Internal Server Error", "text/plain", "", ""),
        "/busy" => reply(
            "429 Too Many Requests",
            "text/plain",
            "Retry-After: 1\r\n",
            "",
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_millis(1500));
            reply("200 OK", "text/plain", "", "late")
        }
        path if path.starts_with("/hold") => {
            std::thread::sleep(Duration::from_millis(150));
            reply("200 OK", "text/plain", "", "held")
        }
        _ => reply("404 Not Found", "text/plain", "", "no such page"),
    }
}

fn reply(status: &str, content_type: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n{body}",
        body.len()
    )
}
