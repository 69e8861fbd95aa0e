//! The dev server at work: how long `coursebook serve` takes to start and how much memory it
//! holds, and how long a save takes until its reload message arrives on the events stream (one
//! chapter edited again and again, then a change of its title, which every open page shows).

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

/// What one serve session measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    /// From starting the process to its "Serving at" line.
    pub startup: Duration,
    /// Each save of the chapter's text, until its page's reload message.
    pub edits: Vec<Duration>,
    /// A change of the chapter's title, until every page is told to reload.
    pub title_edit: Duration,
    /// The server's peak resident memory (Linux's `VmHWM`), when it could be read.
    pub peak_rss: Option<u64>,
}

/// Starts the server on `book`, times `edits` saves of `chapter` (a markdown file of the book),
/// each from just before the write to the arrival of the reload message for it, then one change
/// of its title.
pub fn measure(bin: &Path, book: &Path, chapter: &Path, edits: usize) -> Result<Served> {
    let original = std::fs::read_to_string(chapter)
        .with_context(|| format!("cannot read {}", chapter.display()))?;
    let result = run(bin, book, chapter, &original, edits);
    std::fs::write(chapter, &original)
        .with_context(|| format!("cannot restore {}", chapter.display()))?;
    result
}

fn run(bin: &Path, book: &Path, chapter: &Path, original: &str, edits: usize) -> Result<Served> {
    let started = Instant::now();
    let (server, port) = start(bin, book)?;
    let startup = started.elapsed();
    let mut events = subscribe(port)?;
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        drain(&mut events, Duration::from_millis(100));
        let started = Instant::now();
        std::fs::write(chapter, format!("{original}\nLatency probe {i}.\n"))?;
        wait_for(&mut events, "\"reload\"", Duration::from_secs(30))
            .with_context(|| format!("no reload message for edit {i}"))?;
        times.push(started.elapsed());
        // The search index, built from every chapter, follows with its own message; each save
        // is timed from an idle server, as an author saving now and then.
        wait_for(&mut events, "search-index.js", Duration::from_secs(60))
            .with_context(|| format!("no follow-up message for edit {i}"))?;
    }
    drain(&mut events, Duration::from_millis(100));
    let retitled = original.replacen("title = \"", "title = \"Renamed ", 1);
    let started = Instant::now();
    std::fs::write(chapter, retitled)?;
    wait_for(&mut events, "\"paths\":[]", Duration::from_secs(60))
        .context("no reload of every page after a title change")?;
    let title_edit = started.elapsed();
    wait_for(&mut events, "search-index.js", Duration::from_secs(60))
        .context("no follow-up message for the title change")?;
    let peak_rss = peak_rss(server.0.id());
    drop(server);
    Ok(Served {
        startup,
        edits: times,
        title_edit,
        peak_rss,
    })
}

/// The peak resident memory of process `pid`, from `/proc/<pid>/status` (Linux only).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
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
