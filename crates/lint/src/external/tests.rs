//! The external-link rules against a real HTTP server on 127.0.0.1.

use std::time::Duration;

use coursebook_site::Site;

use super::settings::Settings;
use super::test_server::{closed_port, TestServer};
use super::{check, check_with};
use crate::diagnostic::{Diagnostic, Severity};
use crate::testing::site_with;

/// `Settings` of `site` with short timeouts and backoffs, and no proxy from the environment.
fn fast(site: &Site) -> Settings {
    let mut settings = Settings::from_site(site).expect("valid settings");
    settings.timeout = Duration::from_millis(500);
    settings.backoff = Duration::from_millis(5);
    settings.retry_after_cap = Duration::from_millis(20);
    settings.env_proxy = false;
    settings
}

/// The findings on a one-chapter book holding `md`, with `toml` under `[check.external]`.
fn run(md: &str, toml: &str) -> Vec<Diagnostic> {
    let (_dir, site) = site_with(&[("index.md", md)], &format!("[check.external]\n{toml}"));
    check_with(&site, &fast(&site), false)
}

fn rules(found: &[Diagnostic]) -> Vec<&'static str> {
    found.iter().map(|d| d.rule).collect()
}

#[test]
fn good_links_are_quiet() {
    let server = TestServer::start();
    let md = format!(
        "# T\n\n[a]({ok}) [b]({moved}) [c]({ok}#intro) [d]({page}#legacy) [e]({file}#x) \
         [f]({ok}#top) [g](mailto:someone@example.org)\n",
        ok = server.url("/ok"),
        moved = server.url("/moved"),
        page = server.url("/page"),
        file = server.url("/file.txt"),
    );
    assert_eq!(run(&md, ""), []);
    assert_eq!(server.hits("/ok"), 1, "one request per URL");
    assert_eq!(server.hits("/moved"), 1);
}

#[test]
fn client_errors_server_errors_and_redirect_loops_are_broken() {
    let server = TestServer::start();
    let md = format!(
        "# T\n\n<{}>\n\n<{}>\n\n<{}>\n\n<{}>\n",
        server.url("/missing"),
        server.url("/gone"),
        server.url("/error"),
        server.url("/loop"),
    );
    let found = run(&md, "retries = 1\n");
    assert_eq!(rules(&found), ["external-broken"; 4]);
    assert!(found.iter().all(|d| d.severity == Severity::Error));
    assert!(
        found[0].message.contains("404 Not Found"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("/missing"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.contains("410 Gone"),
        "{}",
        found[1].message
    );
    let error = &found[2].message;
    assert!(
        error.contains("500 Internal Server Error (after 2 attempts)"),
        "{error}"
    );
    assert!(
        found[3].message.contains("redirects"),
        "{}",
        found[3].message
    );
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("exclude")));
    assert_eq!((server.hits("/missing"), server.hits("/error")), (1, 2));
}

#[test]
fn too_many_requests_is_a_warning_after_retries() {
    let server = TestServer::start();
    let found = run(&format!("<{}>\n", server.url("/busy")), "retries = 2\n");
    assert_eq!(rules(&found), ["external-unavailable"]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(
        found[0]
            .message
            .contains("429 Too Many Requests (after 3 attempts)"),
        "{}",
        found[0].message
    );
    assert_eq!(server.hits("/busy"), 3);
}

#[test]
fn a_slow_server_is_a_warning() {
    let server = TestServer::start();
    let found = run(&format!("<{}>\n", server.url("/slow")), "retries = 0\n");
    assert_eq!(rules(&found), ["external-unavailable"]);
    assert!(
        found[0].message.contains("no answer within 500ms"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_closed_port_is_broken() {
    let url = format!("http://127.0.0.1:{}/x", closed_port());
    let found = run(&format!("<{url}>\n"), "retries = 1\n");
    assert_eq!(rules(&found), ["external-broken"]);
    assert!(
        found[0].message.contains("connection refused"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_fragment_missing_from_the_page_is_reported() {
    let server = TestServer::start();
    let md = format!(
        "# T\n\n[a]({page}#nowhere) [b]({page}#intro) [c]({moved}#gone)\n",
        page = server.url("/page"),
        moved = server.url("/moved"),
    );
    let found = run(&md, "");
    assert_eq!(rules(&found), ["external-missing-fragment"; 2]);
    assert!(
        found[0].message.contains("`nowhere`"),
        "{}",
        found[0].message
    );
    assert!(found[1].message.contains("`gone`"), "{}", found[1].message);
}

#[test]
fn every_link_to_a_broken_url_is_reported_where_it_is() {
    let server = TestServer::start();
    let url = server.url("/missing");
    let (_dir, site) = site_with(
        &[
            (
                "index.md",
                &format!("# A\n\nSee [x]({url}) and [é]({url}#f).\n"),
            ),
            ("b.md", &format!("# B\n\n<{url}>\n")),
        ],
        "",
    );
    let found = check_with(&site, &fast(&site), false);
    assert_eq!(server.hits("/missing"), 1, "fetched once");
    let places: Vec<_> = found
        .iter()
        .map(|d| {
            let file = d
                .file
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (file, d.line, d.column, d.width)
        })
        .collect();
    let width = url.chars().count();
    assert!(
        places.contains(&("index.md".into(), 3, 9, width)),
        "{places:?}"
    );
    assert!(
        places.contains(&("index.md".into(), 3, 19 + width, width + 2)),
        "{places:?}"
    );
    assert!(places.contains(&("b.md".into(), 3, 2, width)), "{places:?}");
    assert_eq!(found.len(), 3);
}

#[test]
fn the_cache_spares_a_second_run_and_expires() {
    let server = TestServer::start();
    let md = format!("<{}>\n\n<{}>\n", server.url("/ok"), server.url("/missing"));
    let (dir, site) = site_with(&[("index.md", &md)], "");
    let settings = fast(&site);
    assert_eq!(
        rules(&check_with(&site, &settings, false)),
        ["external-broken"]
    );
    assert_eq!(
        rules(&check_with(&site, &settings, false)),
        ["external-broken"]
    );
    assert_eq!(server.hits("/ok"), 1, "a good result is reused");
    assert_eq!(server.hits("/missing"), 2, "a broken one is not");

    let path = dir.path().join(".coursebook-cache/links.json");
    let text = std::fs::read_to_string(&path).expect("cache written");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    for entry in json["entries"]
        .as_object_mut()
        .expect("entries")
        .values_mut()
    {
        entry["checked_at"] = 0.into();
    }
    std::fs::write(&path, json.to_string()).expect("write");
    check_with(&site, &settings, false);
    assert_eq!(server.hits("/ok"), 2, "an expired entry is fetched again");

    std::fs::write(&path, "\u{0}garbage").expect("write");
    assert_eq!(
        rules(&check_with(&site, &settings, false)),
        ["external-broken"]
    );
    assert_eq!(server.hits("/ok"), 3, "a corrupt cache is ignored");
    let text = std::fs::read_to_string(&path).expect("cache kept");
    assert_eq!(
        text, "\u{0}garbage",
        "a file that is not a cache is never replaced"
    );
    let err = check(&site, false).expect_err("refused before fetching");
    assert!(
        err.to_string().contains("is not a coursebook link cache"),
        "{err}"
    );
}

#[test]
fn a_cached_page_without_ids_is_fetched_again_for_a_fragment() {
    let server = TestServer::start();
    let page = server.url("/page");
    let (_dir, first) = site_with(&[("index.md", &format!("<{page}>\n"))], "");
    check_with(&first, &fast(&first), false);
    let cache = first.config.root.join(".coursebook-cache");
    let (_dir2, second) = site_with(&[("index.md", &format!("[a]({page}#nowhere)\n"))], "");
    let mut settings = fast(&second);
    settings.cache = cache.join("links.json");
    assert_eq!(
        rules(&check_with(&second, &settings, false)),
        ["external-missing-fragment"]
    );
    assert_eq!(server.hits("/page"), 2);
}

#[test]
fn excluded_urls_are_not_fetched() {
    let server = TestServer::start();
    let md = format!(
        "<{}>\n\n<{}>\n",
        server.url("/missing"),
        server.url("/gone")
    );
    let found = run(&md, "exclude = ['/missing$']\n");
    assert_eq!(rules(&found), ["external-broken"]);
    assert!(found[0].message.contains("/gone"));
    assert_eq!(server.hits("/missing"), 0);
}

#[test]
fn the_per_host_limit_holds() {
    let server = TestServer::start();
    let md: String = (0..8)
        .map(|i| format!("<{}>\n\n", server.url(&format!("/hold{i}"))))
        .collect();
    let found = run(&md, "concurrency = 8\nper-host = 2\n");
    assert_eq!(found, []);
    assert_eq!(server.total_hits(), 8);
    assert_eq!(server.max_in_flight(), 2);
}

#[test]
fn odd_urls_never_panic_and_never_leave_the_machine() {
    let server = TestServer::start();
    let md = format!(
        "# T\n\n[a](http://) [b](http://[::1) [c](http://127.0.0.1:99999/) [d](https://bücher.example/) \
         [e](http://127.0.0.1:0/) [f](<http://127.0.0.1:{port}/é b>) [g](HTTP://127.0.0.1:{port}/ok#) \
         [h](http://a.org%2F/) [i](ftp://127.0.0.1/) [j](http://user@127.0.0.1:{port}/ok?q=%zz)\n",
        port = server.url("").trim_start_matches("http://127.0.0.1:"),
    );
    let found = run(&md, "retries = 0\n");
    let ids = rules(&found);
    assert_eq!(
        ids.iter()
            .filter(|id| **id == "external-unavailable")
            .count(),
        1,
        "{found:#?}"
    );
    assert!(ids.iter().all(|id| id.starts_with("external-")));
    assert!(found.iter().any(|d| d.message.contains("not a valid URL")));
    assert!(
        server.hits("/%C3%A9%20b") == 1,
        "non-ASCII paths are sent encoded"
    );
}

#[test]
fn check_reads_book_toml_and_rejects_bad_values() {
    let server = TestServer::start();
    let md = format!("<{}>\n", server.url("/ok"));
    let (_dir, site) = site_with(&[("index.md", &md)], "[check.external]\ntimeout = 1\n");
    assert_eq!(check(&site, false).expect("runs"), []);
    let (_dir, site) = site_with(&[("index.md", &md)], "[check.external]\nexclude = ['[']\n");
    let err = check(&site, false).expect_err("invalid regex");
    assert!(err.to_string().contains("book.toml:4:1"), "{err}");
}

#[test]
fn the_caret_goes_under_the_url_in_characters() {
    use super::span;
    let line = "« [é](https://a.org/x) »";
    assert_eq!(span(Some(line), 4, "https://a.org/x"), (7, 15));
    // A reference definition on another line: the link's own start.
    assert_eq!(span(Some("see [é][r] here"), 5, "https://a.org/x"), (5, 1));
    assert_eq!(span(None, 3, "https://a.org/x"), (3, 1));
    assert_eq!(span(Some("ab"), 99, "x"), (3, 1));
}

#[test]
fn a_page_without_end_is_read_in_part_and_says_so() {
    let server = TestServer::start();
    for path in ["/endless", "/endless-slow"] {
        let url = server.url(path);
        // An id in the part that was read is found; one that is not gets a warning that says
        // the page was not read whole, never silence.
        let started = std::time::Instant::now();
        let found = run(&format!("# T\n\n[a]({url}#intro) [b]({url}#nowhere)\n"), "");
        assert!(started.elapsed() < Duration::from_secs(10), "{path}");
        assert_eq!(rules(&found), ["external-unavailable"], "{path}: {found:?}");
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0].message.contains("#nowhere"),
            "{}",
            found[0].message
        );
        let why = if path == "/endless" {
            "larger than 16 MB"
        } else {
            "still arriving"
        };
        assert!(
            found[0].message.contains(why),
            "{path}: {}",
            found[0].message
        );
    }
}
