//! Text helpers shared by validation and grading: answer normalisation, which answers are exact
//! (paths, keys, field names), the words of a prompt, singular nouns and derived ids.

/// `text` as compared for short answers: trimmed, inner whitespace collapsed, surrounding
/// backticks and quotes, trailing `.`, `!`, `?`, `,` and `;` and a leading article removed, and
/// ASCII letters lowercased unless `exact`. (Full Unicode case folding would add its tables to
/// the page's wasm; authors list accented variants in `answers` when they matter.)
pub(crate) fn normalise(text: &str, exact: bool) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let punctuation = ['.', '!', '?', ',', ';'];
    let trimmed = collapsed
        .trim_end_matches(punctuation)
        .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '“' | '”' | '‘' | '’'))
        .trim_end_matches(punctuation)
        .trim();
    let trimmed = without_article(trimmed);
    if exact {
        trimmed.to_owned()
    } else {
        trimmed.to_ascii_lowercase()
    }
}

/// `text` without a leading `a `, `an ` or `the `.
fn without_article(text: &str) -> &str {
    for article in ["a ", "an ", "the "] {
        if text.len() > article.len()
            && text.is_char_boundary(article.len())
            && text[..article.len()].eq_ignore_ascii_case(article)
        {
            return text[article.len()..].trim_start();
        }
    }
    text
}

/// Whether an answer is a path, key, field name or identifier, where case matters
/// (`/etc/kubernetes/pki`, `/registry/pods`, `spec.nodeName`, `system:serviceaccount:a:b`,
/// `KUBECONFIG=x`), rather than words (`kube-scheduler`, `the kubelet`, `CoreDNS`).
pub(crate) fn looks_exact(answer: &str) -> bool {
    let answer = answer.trim();
    let camel = answer
        .trim_start_matches('.')
        .starts_with(|c: char| c.is_ascii_lowercase())
        && answer.chars().any(|c| c.is_ascii_uppercase());
    camel || answer.contains(['/', ':', '_', '=', '$', '{'])
}

/// The words of a prompt, lower case and singular, for the words a learner may add around a
/// short answer (`the admin ClusterRole`) or use as a count's unit. The words on either side of
/// an `or` are left out: they are likely the choices the question offers (`iptables or ipvs`).
pub(crate) fn prompt_words(prompt: &str) -> Vec<String> {
    let tokens: Vec<String> = prompt
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-').to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let choice =
        |i: usize| (i > 0 && tokens[i - 1] == "or") || tokens.get(i + 1).is_some_and(|t| t == "or");
    let mut words: Vec<String> = tokens
        .iter()
        .enumerate()
        .filter(|(i, w)| w.len() >= 2 && w.chars().any(|c| c.is_ascii_alphabetic()) && !choice(*i))
        .map(|(_, w)| singular(w))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// An English noun in the singular, near enough to compare (`nodes` -> `node`,
/// `addresses` -> `address`, `policies` -> `policy`).
pub(crate) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && stem.len() > 1 => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// An id derived from the prompt alone, so reordering questions keeps it: `q-` and eight hex
/// digits of the prompt's 32-bit FNV-1a hash (whitespace-normalised).
pub(crate) fn derived_id(prompt: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    let collapsed = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed
        .trim_end_matches('.')
        .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '“' | '”' | '‘' | '’'))
        .trim();
    for byte in trimmed.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("q-{hash:08x}")
}

/// A plain decimal number: `-12`, `3.5`, `.5`, `1e6`, `2.5E-3`.
///
/// Written out rather than `str::parse::<f64>()` because the standard parser's tables add 20 KB
/// to the page's WebAssembly; the result may differ from it in the last bit, which grading's
/// tolerance absorbs.
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = || whole.bytes().chain(fraction.bytes());
    if (whole.is_empty() && fraction.is_empty()) || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits().fold(0f64, |v, b| v * 10.0 + f64::from(b - b'0'));
    let exponent: i32 = match exponent {
        Some(e) if e.len() <= 5 => e.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    let scale = exponent - i32::try_from(fraction.len()).ok()?;
    let magnitude = value * 10f64.powi(scale);
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_like_the_standard_parser() {
        for text in [
            "0",
            "2",
            "-2",
            "+7",
            "3.5",
            ".5",
            "5.",
            "0.3333333333",
            "1048576",
            "1e6",
            "2.5E-3",
            "-0.001",
            "33.335",
            "123456789.125",
        ] {
            let ours = parse_decimal(text).expect(text);
            let std: f64 = text.parse().expect(text);
            assert!(
                (ours - std).abs() <= std.abs() * 1e-15,
                "{text}: {ours} vs {std}"
            );
        }
        for text in [
            "", "-", ".", "e5", "1e", "1.2.3", "12a", "1e999999", "--1", "1,000",
        ] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
    }

    #[test]
    fn normalises_case_space_quotes_punctuation_and_articles() {
        assert_eq!(normalise("  The   Scheduler. ", false), "scheduler");
        assert_eq!(normalise("`kube-proxy`", false), "kube-proxy");
        assert_eq!(normalise("\"etcd\"", true), "etcd");
        assert_eq!(normalise("ETCD", true), "ETCD");
        assert_eq!(normalise("Größe", false), "größe");
        assert_eq!(normalise("a kubelet!", false), "kubelet");
        assert_eq!(normalise("kubelet?!", false), "kubelet");
        assert_eq!(
            normalise("an", false),
            "an",
            "a word alone is not an article"
        );
        assert_eq!(normalise("The", false), "the");
    }

    #[test]
    fn paths_keys_and_fields_are_exact_words_are_not() {
        for exact in [
            "/etc/kubernetes/pki",
            "/registry/configmaps/default/test",
            "spec.nodeName",
            ".spec.nodeName",
            "nodeName",
            "system:serviceaccount:default:pod-reader",
            "KUBECONFIG=/x",
            "cluster_cidr",
        ] {
            assert!(looks_exact(exact), "{exact}");
        }
        for words in [
            "kube-scheduler",
            "the kubelet",
            "CoreDNS",
            "Bound",
            "iptables mode",
            "kubernetes.default.svc.cluster.local",
            "169.254.1.1",
            "0 2 * * *",
        ] {
            assert!(!looks_exact(words), "{words}");
        }
    }

    #[test]
    fn prompt_words_are_singular_and_lower_case() {
        assert_eq!(
            prompt_words("Which built-in ClusterRole gives `admin` access to Roles? (2 nodes)"),
            [
                "access",
                "admin",
                "built-in",
                "clusterrole",
                "give",
                "node",
                "role",
                "to",
                "which"
            ]
        );
        assert_eq!(
            prompt_words("Which mode: iptables or ipvs?"),
            ["mode", "or", "which"]
        );
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("members"), "member");
        assert_eq!(singular("membersss"), "membersss");
        assert_eq!(singular("gi"), "gi");
    }

    #[test]
    fn derived_ids_depend_on_the_prompt_only() {
        let a = derived_id("What is quorum?");
        assert_eq!(a, derived_id("What  is quorum?\n"));
        assert_ne!(a, derived_id("What is a quorum?"));
        assert!(a.starts_with("q-") && a.len() == 10, "{a}");
    }
}
