//! What an external link's destination becomes before it is fetched: the URL to request (no
//! fragment, non-ASCII percent-encoded), its host (for the per-host limit) and its fragment.
//!
//! The authority is checked here, before any network code sees it, so that odd URLs become a
//! finding instead of a DNS lookup of a strange name or a panic deeper down.

use std::net::Ipv6Addr;

/// An external link, ready to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    /// The URL to request: scheme, authority, path and query, without the fragment.
    pub url: String,
    /// The host, lowercased (the per-host limit's key).
    pub host: String,
    /// The text after `#`, if any.
    pub fragment: Option<String>,
}

/// What a link destination is to the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// An `http:`/`https:` URL (or `//host`, read as https).
    Web(Address),
    /// Another scheme (`mailto:`, `tel:`, `ftp:`): not checked.
    OtherScheme,
    /// An http(s) URL that cannot be requested, and why.
    Invalid(String),
    /// A host name with non-ASCII letters, which would need IDNA (punycode) to look up.
    InternationalHost,
}

/// Parses the destination `dest` of an external link.
pub(crate) fn parse(dest: &str) -> Parsed {
    let dest = dest.trim();
    let with_scheme;
    let dest = if dest.starts_with("//") {
        with_scheme = format!("https:{dest}");
        with_scheme.as_str()
    } else {
        dest
    };
    let Some((scheme, rest)) = dest.split_once("://") else {
        return Parsed::OtherScheme;
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Parsed::OtherScheme;
    }
    let (without_fragment, fragment) = match rest.split_once('#') {
        Some((before, after)) => (before, Some(after.to_owned())),
        None => (rest, None),
    };
    let authority_end = without_fragment
        .find(['/', '?'])
        .unwrap_or(without_fragment.len());
    let (authority, path) = without_fragment.split_at(authority_end);
    let host = match host_of(authority) {
        Ok(host) => host,
        Err(parsed) => return parsed,
    };
    let path = if path.is_empty() { "/" } else { path };
    Parsed::Web(Address {
        url: format!("{scheme}://{authority}{}", encode_path(path)),
        host,
        fragment,
    })
}

/// The lowercased host of `authority` (`user@host:port`), or why it cannot be requested.
fn host_of(authority: &str) -> Result<String, Parsed> {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => ipv6_host(bracketed)?,
        None => {
            let (host, port) = match host_port.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (host_port, None),
            };
            check_name(host)?;
            (host, port)
        }
    };
    if let Some(port) = port {
        if !port.is_empty() && port.parse::<u16>().is_err() {
            return Err(invalid(&format!(
                "port `{port}` is not a number from 0 to 65535"
            )));
        }
    }
    Ok(host.to_ascii_lowercase())
}

/// The address and port of `[v6addr]:port` (after the `[`).
fn ipv6_host(bracketed: &str) -> Result<(&str, Option<&str>), Parsed> {
    let Some((ip, after)) = bracketed.split_once(']') else {
        return Err(invalid("an unclosed `[` in the host"));
    };
    if ip.parse::<Ipv6Addr>().is_err() {
        return Err(invalid("a bracketed host that is not an IPv6 address"));
    }
    match after {
        "" => Ok((ip, None)),
        _ => match after.strip_prefix(':') {
            Some(port) => Ok((ip, Some(port))),
            None => Err(invalid("text after the IPv6 address")),
        },
    }
}

/// Whether `host` is a name or IPv4 address that can be looked up as written.
fn check_name(host: &str) -> Result<(), Parsed> {
    if host.is_empty() {
        return Err(invalid("no host"));
    }
    if !host.is_ascii() {
        return Err(Parsed::InternationalHost);
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if !host.chars().all(valid) {
        return Err(invalid(&format!(
            "host `{host}` has characters a host name cannot have"
        )));
    }
    Ok(())
}

fn invalid(reason: &str) -> Parsed {
    Parsed::Invalid(reason.to_owned())
}

/// `path` with spaces, non-ASCII and other bytes a request line cannot carry percent-encoded,
/// as a browser sends them.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic()
            && !matches!(
                byte,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn web(dest: &str) -> Address {
        match parse(dest) {
            Parsed::Web(address) => address,
            other => panic!("{dest}: {other:?}"),
        }
    }

    #[test]
    fn splits_url_host_and_fragment() {
        let a = web("https://Kubernetes.io/docs/x?y=1#Setup");
        assert_eq!(a.url, "https://Kubernetes.io/docs/x?y=1");
        assert_eq!(a.host, "kubernetes.io");
        assert_eq!(a.fragment.as_deref(), Some("Setup"));
        assert_eq!(web("HTTP://a.org").url, "http://a.org/");
        assert_eq!(web("//a.org/p").url, "https://a.org/p");
        assert_eq!(web("http://u:p@127.0.0.1:8080/").host, "127.0.0.1");
        assert_eq!(web("http://[::1]:80/").host, "::1");
    }

    #[test]
    fn encodes_what_a_request_line_cannot_carry() {
        assert_eq!(web("https://a.org/é b").url, "https://a.org/%C3%A9%20b");
        assert_eq!(web("https://a.org/%41").url, "https://a.org/%41");
    }

    #[test]
    fn other_schemes_are_skipped() {
        for dest in [
            "mailto:a@b.org",
            "tel:+100",
            "ftp://a.org/x",
            "javascript:void(0)",
        ] {
            assert_eq!(parse(dest), Parsed::OtherScheme, "{dest}");
        }
    }

    #[test]
    fn odd_authorities_are_invalid_not_fetched() {
        for dest in [
            "http://",
            "http:///path",
            "http://[::1",
            "http://[nope]/",
            "http://[::1]x/",
            "http://a.org:99999/",
            "http://a.org:-1/",
            "http://a b.org/",
            "http://a.org%2F/",
            "http://a:b:80/",
        ] {
            assert!(
                matches!(parse(dest), Parsed::Invalid(_)),
                "{dest}: {:?}",
                parse(dest)
            );
        }
        assert_eq!(parse("https://bücher.example/"), Parsed::InternationalHost);
    }

    proptest! {
        #[test]
        fn never_panics(dest in ".*") {
            let _ = parse(&dest);
            let _ = parse(&format!("http://{dest}"));
        }
    }
}
