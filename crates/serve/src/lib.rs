//! `coursebook serve`: builds the book into memory, serves it on loopback, watches the sources,
//! rebuilds only what a change touched, and tells every open tab to reload once the new files
//! are in place (or shows why the change did not build).
//!
//! Modules: [`session`] (the loaded book and incremental rebuilds), [`watch`] (file events
//! into changes), [`http`] (files, events stream, path safety), [`files`] (the in-memory site).

pub mod connections;
pub mod files;
pub mod http;
pub mod session;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{broadcast, mpsc};

use files::SiteFiles;
use http::{AppState, Message};
use session::{Change, Outcome, Session};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book root (where `book.toml` is).
    pub root: PathBuf,
    /// The address to listen on; loopback unless the author asks otherwise.
    pub bind: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            open: false,
        }
    }
}

/// Why serving stopped or could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The first build failed.
    #[error(transparent)]
    Build(#[from] coursebook_site::Error),
    /// The port is taken.
    #[error("{addr} is already in use: stop the other server or pick another port with --port")]
    PortInUse {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// Listening failed otherwise.
    #[error("cannot listen on {addr}: {cause}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        cause: std::io::Error,
    },
    /// The file watcher could not start.
    #[error("cannot watch the book's files: {0}")]
    Watch(#[from] notify::Error),
    /// The async runtime could not start, or the server failed.
    #[error("server error: {0}")]
    Runtime(std::io::Error),
}

/// Serves until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let result = runtime.block_on(run(options));
    // A rebuild stuck in the filesystem must not keep the process alive after "Stopped.".
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    result
}

async fn run(options: ServeOptions) -> Result<(), ServeError> {
    let started = Instant::now();
    // Absolute, so the watcher's event paths compare with the configured directories.
    let root = std::fs::canonicalize(&options.root).map_err(|cause| {
        coursebook_site::Error::io(&options.root, "cannot open the book directory", cause)
    })?;
    let files = SiteFiles::default();
    let session = Session::load(&root, files.clone())?;
    println!(
        "Loaded {} ({} chapters) in {} ms; chapter pages are rendered as they are asked for \
         and in the background",
        session.title(),
        session.chapters(),
        started.elapsed().as_millis()
    );
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = listen(addr)?;
    let local = listener.local_addr().map_err(ServeError::Runtime)?;
    let (events, _) = broadcast::channel(64);
    let (changes, pending) = mpsc::unbounded_channel();
    let config = session.config();
    let _watcher = watch::watch(
        watch::Watched {
            root,
            content_dir: config.content_dir.clone(),
            theme_dir: config.theme_dir.clone(),
        },
        changes,
    )?;
    let state = AppState {
        files,
        events: events.clone(),
        error: Arc::new(Mutex::new(None)),
        session: Arc::new(Mutex::new(session)),
        index_generation: Arc::default(),
        index_writer: Arc::default(),
    };
    tokio::spawn(rebuild_loop(pending, state.clone()));
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {local}, not on loopback: anyone who can reach this machine \
             on port {} can read the preview (leave out --bind to keep it to this machine)",
            local.port()
        );
    }
    let url = format!("http://{local}/");
    println!("Serving at {url} (Ctrl-C to stop)");
    if options.open {
        if let Err(err) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {err}");
        }
    }
    let shutdown = async move {
        stop_signal().await;
        let _ = events.send(Message::Shutdown);
        println!("Stopped.");
    };
    connections::serve(listener, http::router(state, options.bind), shutdown).await;
    Ok(())
}

/// Ctrl-C, or a polite `kill` (SIGTERM).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn listen(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    let listener = std::net::TcpListener::bind(addr).map_err(|cause| {
        if cause.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { addr }
        } else {
            ServeError::Listen { addr, cause }
        }
    })?;
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)
}

/// Applies batches of changes one at a time (folding in any that queued meanwhile) and
/// reports each to the terminal and the tabs. Between batches, brings the pages made from
/// every chapter up to date one step at a time, so a save waits for one step at most.
async fn rebuild_loop(mut pending: mpsc::UnboundedReceiver<Vec<Change>>, state: AppState) {
    let started = Instant::now();
    loop {
        let batch = if lock(&state.session).has_stale_pages() {
            match pending.try_recv() {
                Ok(batch) => Some(batch),
                Err(mpsc::error::TryRecvError::Empty) => None,
                Err(mpsc::error::TryRecvError::Disconnected) => return,
            }
        } else {
            match pending.recv().await {
                Some(batch) => Some(batch),
                None => return,
            }
        };
        let shared = state.clone();
        let (back, result) = tokio::task::spawn_blocking(move || {
            let state = shared;
            let mut session = lock(&state.session);
            let result = match batch {
                Some(mut batch) => {
                    while let Ok(more) = pending.try_recv() {
                        batch.extend(more);
                    }
                    apply_batch(&mut session, &batch, &state, Instant::now())
                }
                None => write_derived(&mut session, &state),
            };
            drop(session);
            (pending, result)
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        pending = back;
        if let Err(err) = result {
            eprintln!("error: {err}");
        }
        let job = lock(&state.session).take_index_job();
        if let Some(job) = job {
            index_in_background(job, &state, started);
        }
    }
}

/// Builds the search index on its own thread, so that no save waits for it; an index built
/// from an older version of the book than one already written is dropped.
/// The first index written says that the whole site is ready (`started`: when loading ended).
fn index_in_background(job: coursebook_site::search::IndexJob, state: &AppState, started: Instant) {
    let generation = state.index_generation.fetch_add(1, Ordering::SeqCst) + 1;
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let script = job.script();
        let mut written = state.index_writer.lock().unwrap_or_else(|p| p.into_inner());
        if state.index_generation.load(Ordering::SeqCst) == generation {
            let path = coursebook_site::search::INDEX_PATH;
            if coursebook_site::sink::Sink::write(&state.files, path, script.as_bytes()).is_ok() {
                let _ = state.events.send(Message::Reload(vec![path.to_owned()]));
                if !*written {
                    *written = true;
                    println!(
                        "Rendered every page and the search index in {} ms",
                        started.elapsed().as_millis()
                    );
                }
            }
        }
    });
}

/// The session, even when a rebuild panicked while holding it (it is replaced whole).
pub(crate) fn lock(session: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    session.lock().unwrap_or_else(|p| p.into_inner())
}

/// One step of bringing the derived pages up to date, announced to the tabs showing them.
fn write_derived(session: &mut Session, state: &AppState) -> Result<(), coursebook_site::Error> {
    let started = Instant::now();
    match session.write_derived() {
        Ok(Some(pages)) if !pages.is_empty() => {
            tracing::debug!(?pages, elapsed = ?started.elapsed(), "derived pages written");
            let _ = state.events.send(Message::Reload(pages));
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(err) => {
            let message = err.to_string();
            set_error(state, Some(message.clone()));
            let _ = state.events.send(Message::Error(message));
            Err(err)
        }
    }
}

fn apply_batch(
    session: &mut Session,
    batch: &[Change],
    state: &AppState,
    started: Instant,
) -> Result<(), coursebook_site::Error> {
    tracing::debug!(?batch, "rebuilding");
    let plan = merge(batch);
    let mut pages: Option<Vec<String>> = Some(Vec::new());
    let mut styles = Vec::new();
    let result: Result<(), coursebook_site::Error> = plan.iter().try_for_each(|change| {
        match session.apply(change)? {
            Outcome::Pages(p) if p.is_empty() => pages = None,
            Outcome::Pages(p) => {
                if let Some(all) = pages.as_mut() {
                    all.extend(p);
                }
            }
            Outcome::Styles(s) => styles.extend(s),
        }
        Ok(())
    });
    if let Err(err) = result {
        let message = err.to_string();
        set_error(state, Some(message.clone()));
        let _ = state.events.send(Message::Error(message));
        return Err(err);
    }
    set_error(state, None);
    let what = describe(&pages, &styles);
    match pages {
        Some(p) if p.is_empty() => {
            let _ = state.events.send(Message::Styles(styles));
        }
        Some(p) => {
            let _ = state.events.send(Message::Reload(p));
        }
        None => {
            let _ = state.events.send(Message::Reload(Vec::new()));
        }
    }
    println!("rebuilt {what} in {} ms", started.elapsed().as_millis());
    Ok(())
}

fn describe(pages: &Option<Vec<String>>, styles: &[String]) -> String {
    match pages {
        None => "every page".to_owned(),
        Some(p) if p.is_empty() && styles.is_empty() => "nothing (no change)".to_owned(),
        Some(p) if p.is_empty() => styles.join(", "),
        Some(p) => p.join(", "),
    }
}

fn set_error(state: &AppState, error: Option<String>) {
    let mut slot = state.error.lock().unwrap_or_else(|p| p.into_inner());
    *slot = error;
}

/// Folds several batches into one plan, keeping the dearest change of each kind.
fn merge(batch: &[Change]) -> Vec<Change> {
    if batch.contains(&Change::Config) {
        return vec![Change::Config];
    }
    let mut plan = Vec::new();
    let mut statics: Vec<String> = Vec::new();
    let mut chapters: Vec<String> = Vec::new();
    for change in batch {
        match change {
            Change::Static(names) => statics.extend(names.iter().cloned()),
            Change::Chapters(sources) => chapters.extend(sources.iter().cloned()),
            _ => {}
        }
    }
    statics.dedup();
    chapters.sort();
    chapters.dedup();
    if batch.contains(&Change::Templates) {
        plan.push(Change::Templates);
    } else if !statics.is_empty() {
        plan.push(Change::Static(statics));
    }
    if batch.contains(&Change::Content) {
        plan.push(Change::Content);
    } else if !chapters.is_empty() {
        plan.push(Change::Chapters(chapters));
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_merge_into_the_dearest_plan() {
        let a = Change::Chapters(vec!["a.md".into()]);
        let b = Change::Chapters(vec!["b.md".into(), "a.md".into()]);
        assert_eq!(
            merge(&[a.clone(), b]),
            vec![Change::Chapters(vec!["a.md".into(), "b.md".into()])]
        );
        assert_eq!(merge(&[a.clone(), Change::Content]), vec![Change::Content]);
        assert_eq!(
            merge(&[
                Change::Static(vec!["x.css".into()]),
                Change::Templates,
                a.clone()
            ]),
            vec![Change::Templates, a.clone()]
        );
        assert_eq!(merge(&[a, Change::Config]), vec![Change::Config]);
    }
}
