//! `#fragment`s of external links: the ids a fetched HTML page defines, and whether a fragment
//! names one of them.
//!
//! The scan is a small tag reader rather than an HTML parser: it only needs the `id` of every
//! element and the `name` of every `<a>`, and it must never fail or panic on whatever a server
//! sends back.

use std::collections::BTreeSet;

/// The ids `html` defines: every element's `id` and every `<a>`'s `name`.
pub(crate) fn ids_in(html: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let is_anchor = rest[..name_len].eq_ignore_ascii_case("a");
        rest = read_attributes(&rest[name_len..], |name, value| {
            let names_element =
                name.eq_ignore_ascii_case("id") || (is_anchor && name.eq_ignore_ascii_case("name"));
            if names_element && !value.is_empty() {
                ids.insert(decode_entities(value));
            }
        });
    }
    ids
}

/// Reads the attributes of a tag up to its `>`, calling `found(name, raw value)` for each;
/// returns the text after the tag.
fn read_attributes(mut rest: &str, mut found: impl FnMut(&str, &str)) -> &str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return rest.get(1..).unwrap_or("");
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            // A stray `=` (the only delimiter left at the start) is read as a name of its own.
            .max(1);
        let name = &rest[..name_len];
        rest = rest[name.len()..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(after_equals) = rest.strip_prefix('=') else {
            found(name, "");
            continue;
        };
        let (value, after) = read_value(after_equals.trim_start());
        found(name, value);
        rest = after;
    }
}

/// An attribute value (quoted or not) and the text after it.
fn read_value(text: &str) -> (&str, &str) {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let body = &text[1..];
            match body.find(quote) {
                Some(end) => (&body[..end], &body[end + 1..]),
                None => (body, ""),
            }
        }
        _ => {
            let end = text
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    }
}

/// Decodes the few character references that appear in ids.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether `fragment` (as written after `#`, maybe percent-encoded) needs no element: the top
/// of the page, a text fragment, or a GitHub line anchor (made by script, not in the HTML).
pub(crate) fn is_always_valid(fragment: &str, host: &str) -> bool {
    fragment.is_empty()
        || fragment.eq_ignore_ascii_case("top")
        || fragment.starts_with(":~:")
        || (host.eq_ignore_ascii_case("github.com") && is_line_anchor(fragment))
}

/// `L10` or `L10-L20`.
fn is_line_anchor(fragment: &str) -> bool {
    let is_line = |part: &str| {
        part.strip_prefix('L')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    match fragment.split_once('-') {
        Some((from, to)) => is_line(from) && is_line(to),
        None => is_line(fragment),
    }
}

/// Whether the page with `ids` has the element `fragment` points to. GitHub renders the ids of
/// a README's headings with a `user-content-` prefix that its script strips.
pub(crate) fn has_fragment(ids: &BTreeSet<String>, fragment: &str) -> bool {
    let decoded = percent_decode(fragment);
    [fragment, decoded.as_str()]
        .iter()
        .any(|id| ids.contains(*id) || ids.contains(&format!("user-content-{id}")))
}

/// `%XX` sequences decoded as UTF-8 (lossily); anything malformed is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        });
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(html: &str) -> Vec<String> {
        ids_in(html).into_iter().collect()
    }

    #[test]
    fn finds_ids_of_any_element_and_names_of_anchors() {
        let html = r#"<h2 id="intro">x</h2><a name=legacy></a><div ID='Upper' class="id"><input name="no">"#;
        assert_eq!(ids(html), ["Upper", "intro", "legacy"]);
    }

    #[test]
    fn skips_comments_and_decodes_entities() {
        assert_eq!(ids(r#"<!-- <p id="hidden"> --><p id="a&amp;b">"#), ["a&b"]);
    }

    #[test]
    fn survives_truncated_markup() {
        assert_eq!(ids(r#"<p id="open"#), ["open"]);
        assert!(ids("<").is_empty());
        assert!(ids("<!--").is_empty());
        assert!(ids("<p id=").is_empty());
        assert_eq!(ids("<é id=x><p é=1 id=y>"), ["y"]);
    }

    #[test]
    fn matches_encoded_and_github_prefixed_fragments() {
        let page = ids_in(r#"<h2 id="é"><h2 id="user-content-setup">"#);
        assert!(has_fragment(&page, "%C3%A9"));
        assert!(has_fragment(&page, "setup"));
        assert!(!has_fragment(&page, "other"));
        assert!(!has_fragment(&page, "%zz%"));
    }

    #[test]
    fn some_fragments_need_no_element() {
        assert!(is_always_valid("", "a.org"));
        assert!(is_always_valid("top", "a.org"));
        assert!(is_always_valid(":~:text=hello", "a.org"));
        assert!(is_always_valid("L10-L20", "github.com"));
        assert!(!is_always_valid("L10", "a.org"));
        assert!(!is_always_valid("Lx", "github.com"));
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(html in ".*", fragment in ".*") {
            let found = ids_in(&html);
            let _ = has_fragment(&found, &fragment);
            let _ = is_always_valid(&fragment, "github.com");
        }

        #[test]
        fn never_panics_on_tag_soup(html in "[<>!=\"' a-zé/-]{0,64}") {
            let _ = ids_in(&html);
        }
    }
}
