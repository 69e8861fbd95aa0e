//! Text helpers shared by validation and grading: answer normalisation and derived ids.

/// `text` as compared for short answers: trimmed, inner whitespace collapsed, surrounding
/// backticks and quotes and a trailing full stop removed, and ASCII letters lowercased unless
/// `case_sensitive`. (Full Unicode case folding would add its tables to the page's wasm;
/// authors list accented variants in `answers` when they matter.)
pub(crate) fn normalise(text: &str, case_sensitive: bool) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed
        .trim_end_matches('.')
        .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '“' | '”' | '‘' | '’'))
        .trim();
    if case_sensitive {
        trimmed.to_owned()
    } else {
        trimmed.to_ascii_lowercase()
    }
}

/// An id derived from the prompt alone, so reordering questions keeps it: `q-` and eight hex
/// digits of the prompt's 32-bit FNV-1a hash (whitespace-normalised).
pub(crate) fn derived_id(prompt: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in normalise(prompt, true).bytes() {
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
    fn normalises_case_space_quotes_and_full_stop() {
        assert_eq!(normalise("  The   Scheduler. ", false), "the scheduler");
        assert_eq!(normalise("`kube-proxy`", false), "kube-proxy");
        assert_eq!(normalise("\"etcd\"", true), "etcd");
        assert_eq!(normalise("ETCD", true), "ETCD");
        assert_eq!(normalise("Größe", false), "größe");
    }

    #[test]
    fn derived_ids_depend_on_the_prompt_only() {
        let a = derived_id("What is quorum?");
        assert_eq!(a, derived_id("What  is quorum?\n"));
        assert_ne!(a, derived_id("What is a quorum?"));
        assert!(a.starts_with("q-") && a.len() == 10, "{a}");
    }
}
