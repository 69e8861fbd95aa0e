//! The HTTP side: the site's files from memory (with the live-reload script injected into
//! pages), the server-sent events stream that tells tabs to reload, and refusal of any path
//! that would leave the site.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::files::SiteFiles;
use crate::session::Session;

/// The path of the events stream; nothing in a site can live under it.
pub const EVENTS_PATH: &str = "/__coursebook/events";

const LIVE_RELOAD: &str = include_str!("livereload.js");

/// A message to every open tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Reload tabs showing these pages (all tabs when empty).
    Reload(Vec<String>),
    /// Swap these stylesheets.
    Styles(Vec<String>),
    /// The last rebuild failed with this message.
    Error(String),
    /// The server is stopping: end the streams.
    Shutdown,
}

impl Message {
    fn to_json(&self) -> Option<String> {
        let value = match self {
            Message::Reload(paths) => serde_json::json!({"type": "reload", "paths": paths}),
            Message::Styles(paths) => serde_json::json!({"type": "styles", "paths": paths}),
            Message::Error(message) => serde_json::json!({"type": "error", "message": message}),
            Message::Shutdown => return None,
        };
        Some(value.to_string())
    }
}

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The served site.
    pub files: SiteFiles,
    /// Rebuild messages.
    pub events: broadcast::Sender<Message>,
    /// The failure of the last rebuild, shown to tabs that connect while it lasts.
    pub error: Arc<Mutex<Option<String>>>,
    /// The loaded book, which makes print pages, and chapter pages not rendered yet, when they
    /// are asked for.
    pub session: Arc<Mutex<Session>>,
    /// The number of the newest search index being built (see `index_in_background`).
    pub index_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Held while a finished search index is checked and written; whether one was written.
    pub index_writer: Arc<Mutex<bool>>,
}

/// The router for a server listening on `bind`: the events stream, and every other path from
/// the site.
pub fn router(state: AppState, bind: IpAddr) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(site_file))
        .layer(axum::middleware::from_fn(move |request, next| {
            refuse_foreign_hosts(bind, request, next)
        }))
        .with_state(state)
}

/// Answers only requests addressed to this server as `localhost`, a loopback address or the
/// address it listens on: a page on another site whose DNS name is made to point at 127.0.0.1
/// (DNS rebinding) gets nothing.
async fn refuse_foreign_hosts(
    bind: IpAddr,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match host {
        Some(host) if host_allowed(host, bind) => next.run(request).await,
        _ => (
            StatusCode::FORBIDDEN,
            "coursebook serve answers requests for localhost or the address it listens on only\n",
        )
            .into_response(),
    }
}

/// Whether a `Host` header names this server in a way DNS cannot redirect: `localhost` (and
/// its subdomains, which resolve to loopback), a loopback address, or the address `bind` the
/// server listens on (any IP address when that is `0.0.0.0` or `::`), with any port.
pub fn host_allowed(host: &str, bind: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((address, rest)) if rest.is_empty() || rest.starts_with(':') => address,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || bind.is_unspecified() || ip == bind,
        Err(_) => false,
    }
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let current = state
        .error
        .lock()
        .map(|e| e.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    let first = current.map(Message::Error);
    let updates = BroadcastStream::new(receiver).filter_map(Result::ok);
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .map_while(|m| m.to_json())
        .map(|json| Ok(Event::default().data(json)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn site_file(State(state): State<AppState>, uri: Uri) -> Response {
    let Some(rel) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    if let Some(bytes) = state.files.get(&rel) {
        return file_response(StatusCode::OK, &rel, &bytes);
    }
    if rel.ends_with(".html") || rel == coursebook_site::search::INDEX_PATH {
        // A print page, a chapter the server has not rendered yet, or a page made from every
        // chapter before the background work got there: made now.
        let session = Arc::clone(&state.session);
        let path = rel.clone();
        let made = tokio::task::spawn_blocking(move || crate::lock(&session).make(&path))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        match made {
            Ok(Some(bytes)) => return file_response(StatusCode::OK, &rel, &bytes),
            Ok(None) => {}
            Err(err) => {
                let message = format!("cannot make {rel}: {err}\n");
                return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response();
            }
        }
    }
    let as_dir = format!("{rel}/index.html");
    if !rel.is_empty() && state.files.contains(&as_dir) {
        let location = format!("/{rel}/");
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    match state.files.get("404.html") {
        Some(page) => file_response(StatusCode::NOT_FOUND, "404.html", &page),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The site path for a request path: percent-decoded, `index.html` for folders; `None` for a
/// path that is not valid UTF-8 or that would leave the site (`..`, `.`, backslashes, NUL).
pub fn site_path(request: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(request)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || decoded.contains("//") {
        return None;
    }
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Some(format!("{rel}index.html"));
    }
    Some(rel.to_owned())
}

fn file_response(status: StatusCode, rel: &str, bytes: &[u8]) -> Response {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let body = if mime.subtype() == "html" {
        Body::from(inject(bytes))
    } else {
        Body::from(bytes.to_vec())
    };
    (
        status,
        [
            (header::CONTENT_TYPE, mime.essence_str().to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The page with the live-reload script before `</body>` (or at the end).
pub fn inject(page: &[u8]) -> Vec<u8> {
    let script = format!("<script>{LIVE_RELOAD}</script>\n");
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + script.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/days/").as_deref(), Some("days/index.html"));
        assert_eq!(
            site_path("/days/etcd.html").as_deref(),
            Some("days/etcd.html")
        );
        assert_eq!(
            site_path("/my%20page.html").as_deref(),
            Some("my page.html")
        );
        for bad in [
            "/../book.toml",
            "/%2e%2e/book.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/static/../../book.toml",
            "/./index.html",
            "/a%5c..%5cb",
            "/a%00b",
            "//etc/passwd",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_hosts_dns_cannot_redirect_are_answered() {
        let loopback = IpAddr::from([127, 0, 0, 1]);
        let everywhere = IpAddr::from([0, 0, 0, 0]);
        let lan = IpAddr::from([192, 168, 1, 20]);
        for good in [
            "localhost",
            "localhost:3000",
            "LOCALHOST.:3000",
            "app.localhost:8080",
            "127.0.0.1:3000",
            "127.0.0.2",
            "[::1]:3000",
        ] {
            assert!(host_allowed(good, loopback), "{good}");
        }
        for bad in [
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.20",
            "[fe80::1]",
            "[::1",
            "[::1]x",
            "",
        ] {
            assert!(!host_allowed(bad, loopback), "{bad}");
        }
        assert!(host_allowed("192.168.1.20:3000", lan));
        assert!(!host_allowed("10.0.0.1", lan));
        assert!(host_allowed("10.0.0.1:3000", everywhere));
        assert!(host_allowed("[fe80::1]:3000", everywhere));
        assert!(!host_allowed("evil.example", everywhere));
    }

    #[test]
    fn the_script_goes_before_the_closing_body() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(page).expect("utf-8");
        let script = text.find("<script>").expect("script");
        assert!(script < text.find("</body>").expect("body"));
        assert!(text.contains("EventSource(\"/__coursebook/events\")"));
        let bare = String::from_utf8(inject(b"<p>no body</p>")).expect("utf-8");
        assert!(bare.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn messages_serialise_for_the_client() {
        assert_eq!(
            Message::Reload(vec!["a.html".into()]).to_json().as_deref(),
            Some(r#"{"paths":["a.html"],"type":"reload"}"#)
        );
        assert_eq!(Message::Shutdown.to_json(), None);
    }
}
