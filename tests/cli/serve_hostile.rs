//! `coursebook serve` against hostile surroundings, over real sockets on 127.0.0.1: foreign
//! `Host` headers, clients that never finish a request, FIFOs and moved folders in `content/`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::serve::{chapter, Server, CHAPTER};
use crate::support::BookTest;

/// Sends `request` as it is and returns the response's status code.
fn status_of(server: &Server, request: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).ok();
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Polls `path` until its body contains `needle`.
fn eventually_serves(server: &Server, path: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = server.get(path);
        if status == 200 && body.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never served {needle:?} (last: {status})"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(server: &mut Server) {
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status();
    assert!(sent.expect("kill").success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn requests_for_foreign_host_names_are_refused() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let port = server.port;
    for host in [
        "evil.example",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
        "192.168.1.20",
    ] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n");
        assert_eq!(status_of(&server, &request), 403, "{host}");
    }
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n");
        assert_eq!(status_of(&server, &request), 200, "{host}");
    }
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: loc")
        .expect("half a request");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let started = Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (EOF, maybe after a 408) instead of waiting forever.
    let closed = stream.read_to_end(&mut rest);
    assert!(
        closed.is_ok(),
        "the read timed out: the connection was kept"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // Others are still served meanwhile.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn content_moved_away_and_back_is_watched_again() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let content = t.path("content");
    let aside = t.path("content-aside");
    std::fs::rename(&content, &aside).expect("move away");
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(&aside, &content).expect("move back");
    std::thread::sleep(Duration::from_millis(300));
    t.write(
        "content/01-days/09-late.md",
        "+++\ntitle = \"Late\"\n+++\nA chapter written after the move.\n",
    );
    eventually_serves(&server, "/days/late.html", "after the move");
    t.write(
        CHAPTER,
        format!("{}\nEdited after the move.\n", chapter(&t)),
    );
    eventually_serves(&server, "/days/first.html", "Edited after the move.");
}

#[test]
fn content_deleted_and_recreated_is_watched_again() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let content = t.path("content");
    let kept = t.scratch().join("kept-content");
    std::fs::rename(&content, &kept).expect("take content away");
    std::thread::sleep(Duration::from_millis(300));
    std::fs::create_dir(&content).expect("recreate");
    std::fs::write(
        content.join("01-new.md"),
        "+++\ntitle = \"New\"\n+++\nBrand new home.\n",
    )
    .expect("chapter");
    eventually_serves(&server, "/", "Brand new home.");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_content_is_an_error_and_later_edits_still_apply() {
    let t = BookTest::new("basic");
    let mut server = Server::start(&t);
    for name in ["content/01-days/05-pipe.md", "content/01-days/pipe.png"] {
        let made = Command::new("mkfifo").arg(t.path(name)).status();
        assert!(made.expect("mkfifo").success());
        std::thread::sleep(Duration::from_millis(300));
        t.write(CHAPTER, format!("{}\nStill alive {name}.\n", chapter(&t)));
        std::thread::sleep(Duration::from_millis(300));
        std::fs::remove_file(t.path(name)).expect("remove fifo");
        eventually_serves(&server, "/days/first.html", &format!("Still alive {name}."));
    }
    stop(&mut server);
    let mut err = String::new();
    if let Some(mut e) = server.child.stderr.take() {
        e.read_to_string(&mut err).ok();
    }
    assert!(err.contains("FIFO"), "the FIFO was not reported: {err}");
}

#[test]
fn listening_beyond_loopback_warns() {
    let t = BookTest::new("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursebook"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .current_dir(t.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut stderr = child.stderr.take().expect("stderr");
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&line).contains("network")
        && !String::from_utf8_lossy(&line).contains("loopback")
    {
        match stderr.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => break,
        }
    }
    child.kill().ok();
    child.wait().ok();
    let text = String::from_utf8_lossy(&line);
    assert!(
        text.contains("warning") && text.contains("loopback"),
        "{text}"
    );
}

#[test]
fn a_template_that_includes_itself_is_reported_and_serving_goes_on() {
    let t = BookTest::new("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    t.write("theme/page.html", "<p>\n{% include \"page.html\" %}\n");
    let error = events
        .next_with("\"error\"", Duration::from_secs(10))
        .expect("an error message");
    assert!(error.contains("include each other"), "{error}");
    assert_eq!(server.get("/days/first.html").0, 200);
    std::fs::remove_file(t.path("theme/page.html")).expect("rm");
    t.write(CHAPTER, format!("{}\nBack to normal.\n", chapter(&t)));
    eventually_serves(&server, "/days/first.html", "Back to normal.");
}
