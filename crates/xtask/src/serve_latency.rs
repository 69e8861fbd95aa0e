//! The dev server's rebuild latency: edits one chapter again and again while `coursebook serve`
//! runs, and times each save until its reload message arrives on the events stream.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Kills the server when the measurement ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Times `edits` saves of `chapter` (a markdown file of `book`), each from just before the
/// write to the arrival of the reload message for it.
pub fn measure(bin: &Path, book: &Path, chapter: &Path, edits: usize) -> Result<Vec<Duration>> {
    let original = std::fs::read_to_string(chapter)
        .with_context(|| format!("cannot read {}", chapter.display()))?;
    let result = run(bin, book, chapter, &original, edits);
    std::fs::write(chapter, &original)
        .with_context(|| format!("cannot restore {}", chapter.display()))?;
    result
}

fn run(
    bin: &Path,
    book: &Path,
    chapter: &Path,
    original: &str,
    edits: usize,
) -> Result<Vec<Duration>> {
    let (server, port) = start(bin, book)?;
    let mut events = subscribe(port)?;
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        drain(&mut events, Duration::from_millis(100));
        let started = Instant::now();
        std::fs::write(chapter, format!("{original}\nLatency probe {i}.\n"))?;
        wait_for(&mut events, "\"reload\"", Duration::from_secs(30))
            .with_context(|| format!("no reload message for edit {i}"))?;
        times.push(started.elapsed());
        // The pages made from every chapter (print, search index) follow with their own
        // message; each save is timed from an idle server, as an author saving now and then.
        wait_for(&mut events, "print.html", Duration::from_secs(60))
            .with_context(|| format!("no follow-up message for edit {i}"))?;
    }
    drop(server);
    Ok(times)
}

fn start(bin: &Path, book: &Path) -> Result<(Server, u16)> {
    let mut child = Command::new(bin)
        .args(["--quiet", "serve", "--port", "0"])
        .arg(book)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let Some(line) = lines.next().transpose()? else {
            bail!("coursebook serve exited before serving");
        };
        if let Some(rest) = line.strip_prefix("Serving at http://127.0.0.1:") {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap_or("")
                .parse()?;
        }
    };
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok((server, port))
}

fn subscribe(port: u16) -> Result<BufReader<TcpStream>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "GET /__coursebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    stream.set_read_timeout(Some(Duration::from_millis(50)))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while line != "\r\n" {
        line.clear();
        if reader.read_line(&mut line).is_err() && Instant::now() > deadline {
            bail!("the events stream did not answer");
        }
    }
    Ok(reader)
}

fn wait_for(events: &mut BufReader<TcpStream>, needle: &str, within: Duration) -> Result<()> {
    let deadline = Instant::now() + within;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if let Ok(n) = events.read_line(&mut line) {
            if n == 0 {
                bail!("the events stream closed");
            }
            if line.starts_with("data:") && line.contains(needle) {
                return Ok(());
            }
        }
    }
    bail!("timed out waiting for {needle}")
}

fn drain(events: &mut BufReader<TcpStream>, quiet: Duration) {
    let mut line = String::new();
    let mut last = Instant::now();
    while last.elapsed() < quiet {
        line.clear();
        if matches!(events.read_line(&mut line), Ok(n) if n > 0) {
            last = Instant::now();
        }
    }
}
