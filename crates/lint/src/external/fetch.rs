//! Fetching one URL: a GET with a timeout, following redirects, retried with a growing backoff
//! on timeouts, connection errors, 429 (honouring a short `Retry-After`) and 5xx, and read into
//! an [`Outcome`].
//!
//! Built on ureq 3 with this thin layer rather than lychee-lib or reqwest: ureq is small,
//! blocking and needs no async runtime (a pool of plain threads does the concurrency and the
//! per-host limit, see `pool`), and it does TLS with rustls for the https links authors write,
//! with no system OpenSSL. Everything the issue asks for beyond one request (retries, the cache,
//! fragments, the per-host limit) is a few lines on top, which lychee-lib would bring along with
//! tokio and a much larger dependency tree.

use std::collections::BTreeSet;
use std::io::{ErrorKind, Read};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ureq::http::Response;
use ureq::{Agent, Body};

use super::fragment::ids_in;
use super::settings::Settings;

/// The most of a page read to look for a fragment's id; a larger (or endless) page is read up
/// to here and its fragments are looked for in that part, saying so when one is not found.
pub(crate) const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// What fetching a URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// A 2xx answer (after redirects).
    Ok {
        /// The final status.
        status: u16,
        /// Whether the page is HTML (only HTML pages have fragments to check).
        html: bool,
        /// The ids the page defines, when it was read for them.
        ids: Option<BTreeSet<String>>,
        /// Why only the start of the page was read for its ids (too large, endless, too slow,
        /// cut short), when it was: a fragment not among `ids` may still be further on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partial: Option<String>,
    },
    /// The link is wrong: 4xx, 5xx after retries, refused connection, unknown host.
    Broken {
        /// What happened, e.g. `404 Not Found`.
        reason: String,
    },
    /// The link could not be checked now: 429 or timeouts after retries.
    Unavailable {
        /// What happened.
        reason: String,
    },
}

/// One try's result: final, or worth trying again after `wait` (when the server said).
enum Attempt {
    Done(Outcome),
    Retry {
        outcome: Outcome,
        wait: Option<Duration>,
    },
}

/// Fetches URLs with one shared agent (and its connection pool).
pub(crate) struct Fetcher {
    agent: Agent,
    retries: u32,
    backoff: Duration,
    retry_after_cap: Duration,
    timeout: Duration,
    max_redirects: u32,
}

impl Fetcher {
    /// A fetcher with `settings`' timeout, redirects, retries and proxy choice.
    pub(crate) fn new(settings: &Settings) -> Fetcher {
        let mut config = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(settings.timeout))
            .max_redirects(settings.max_redirects)
            .max_idle_connections_per_host(settings.per_host)
            .user_agent(format!(
                "coursebook-link-check/{}",
                env!("CARGO_PKG_VERSION")
            ));
        if !settings.env_proxy {
            config = config.proxy(None);
        }
        Fetcher {
            agent: Agent::new_with_config(config.build()),
            retries: settings.retries,
            backoff: settings.backoff,
            retry_after_cap: settings.retry_after_cap,
            timeout: settings.timeout,
            max_redirects: settings.max_redirects,
        }
    }

    /// Fetches `url` (on `host`), reading the page's ids when `want_ids` and it is HTML.
    pub(crate) fn fetch(&self, url: &str, host: &str, want_ids: bool) -> Outcome {
        tracing::debug!("fetching {url} (host {host})");
        // Unit tests must never reach the network beyond their own server.
        #[cfg(test)]
        if host != "127.0.0.1" {
            return broken("tests only fetch 127.0.0.1".to_owned());
        }
        let mut attempts = 1;
        loop {
            match self.attempt(url, want_ids) {
                Attempt::Done(outcome) => return outcome,
                Attempt::Retry { outcome, .. } if attempts > self.retries => {
                    return after_attempts(outcome, attempts)
                }
                Attempt::Retry { wait, .. } => {
                    let backoff = self.backoff.saturating_mul(1 << (attempts - 1).min(10));
                    std::thread::sleep(wait.map_or(backoff, |w| w.min(self.retry_after_cap)));
                    attempts += 1;
                }
            }
        }
    }

    fn attempt(&self, url: &str, want_ids: bool) -> Attempt {
        let request = self
            .agent
            .get(url)
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        match request.call() {
            Ok(response) => self.answer(response, want_ids),
            Err(err) => self.failure(err),
        }
    }

    /// The outcome of a response (the last one, after redirects).
    fn answer(&self, mut response: Response<Body>, want_ids: bool) -> Attempt {
        let status = response.status();
        let described = match status.canonical_reason() {
            Some(reason) => format!("{} {reason}", status.as_u16()),
            None => status.as_u16().to_string(),
        };
        match status.as_u16() {
            200..=299 => self.page(&mut response, want_ids),
            429 => Attempt::Retry {
                outcome: Outcome::Unavailable { reason: described },
                wait: retry_after(&response),
            },
            500..=599 => Attempt::Retry {
                outcome: broken(described),
                wait: None,
            },
            _ => Attempt::Done(broken(described)),
        }
    }

    /// A 2xx page, read for its ids when they are wanted and it is HTML.
    fn page(&self, response: &mut Response<Body>, want_ids: bool) -> Attempt {
        let status = response.status().as_u16();
        let html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
        if !(html && want_ids) {
            return Attempt::Done(Outcome::Ok {
                status,
                html,
                ids: None,
                partial: None,
            });
        }
        // Read at most MAX_PAGE_BYTES, in chunks, keeping what came before an error: a page that
        // streams without end, or too slowly, is checked in the part that arrived.
        let mut reader = response
            .body_mut()
            .with_config()
            .limit(MAX_PAGE_BYTES as u64 + 1)
            .reader();
        let mut bytes = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        let partial = loop {
            if bytes.len() >= MAX_PAGE_BYTES {
                break Some(format!(
                    "is larger than {} MB (or never ends)",
                    MAX_PAGE_BYTES >> 20
                ));
            }
            let room = chunk.len().min(MAX_PAGE_BYTES - bytes.len());
            match reader.read(&mut chunk[..room]) {
                Ok(0) => break None,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) if bytes.is_empty() && io_is_timeout(&err) => {
                    return self.failure(ureq::Error::Io(err));
                }
                Err(err) if io_is_timeout(&err) => {
                    break Some(format!(
                        "was still arriving after {}",
                        humantime::format_duration(self.timeout)
                    ))
                }
                Err(err) => break Some(format!("was cut short ({err})")),
            }
        };
        if let Some(why) = &partial {
            tracing::debug!(
                "read {} bytes of the page for its ids: it {why}",
                bytes.len()
            );
        }
        Attempt::Done(Outcome::Ok {
            status,
            html,
            ids: Some(ids_in(&String::from_utf8_lossy(&bytes))),
            partial,
        })
    }

    /// The outcome of a request that got no response.
    fn failure(&self, err: ureq::Error) -> Attempt {
        let retry = |outcome| Attempt::Retry {
            outcome,
            wait: None,
        };
        if is_timeout(&err) {
            let reason = format!(
                "no answer within {}",
                humantime::format_duration(self.timeout)
            );
            return retry(Outcome::Unavailable { reason });
        }
        match err {
            ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
                retry(broken("connection refused".to_owned()))
            }
            ureq::Error::Io(io) => retry(broken(format!("connection error: {io}"))),
            ureq::Error::ConnectionFailed => retry(broken("connection failed".to_owned())),
            ureq::Error::HostNotFound => {
                Attempt::Done(broken("host not found (DNS lookup failed)".to_owned()))
            }
            ureq::Error::TooManyRedirects => Attempt::Done(broken(format!(
                "more than {} redirects",
                self.max_redirects
            ))),
            other => Attempt::Done(broken(other.to_string())),
        }
    }
}

fn broken(reason: String) -> Outcome {
    Outcome::Broken { reason }
}

/// Whether a read of the body stopped on the timeout (ureq wraps its own error in the I/O one).
fn io_is_timeout(err: &std::io::Error) -> bool {
    err.kind() == ErrorKind::TimedOut
        || err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)))
}

fn is_timeout(err: &ureq::Error) -> bool {
    match err {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock),
        _ => false,
    }
}

/// A `Retry-After` given in seconds (an HTTP date is ignored: the usual backoff applies).
fn retry_after(response: &Response<Body>) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// `outcome`, its reason saying how many attempts were made.
fn after_attempts(outcome: Outcome, attempts: u32) -> Outcome {
    let suffix = |reason: String| match attempts {
        1 => reason,
        n => format!("{reason} (after {n} attempts)"),
    };
    match outcome {
        Outcome::Broken { reason } => Outcome::Broken {
            reason: suffix(reason),
        },
        Outcome::Unavailable { reason } => Outcome::Unavailable {
            reason: suffix(reason),
        },
        ok => ok,
    }
}
