//! Numbers as learners write them, with units: `1,048,576`, `0,5` (a decimal comma), `three`,
//! `twenty-five`, `300s`, `5 minutes`, `23h30m`, `8 GiB`, `1500 millicores`, `1.5 cores`, and
//! count nouns (`3 members`, `3 nodes`). Units of time, bytes and CPU convert into each other
//! within their kind; other words are count nouns.

use crate::text::{parse_decimal, singular};

/// A unit's kind and size in the kind's base unit (seconds, bytes, cores).
type Measure = (u8, f64);

const TIME: u8 = 0;
const BYTES: u8 = 1;
const CPU: u8 = 2;

/// Every spelling of a measure unit, with its kind and size.
const UNITS: &[(&str, u8, f64)] = &[
    ("ms", TIME, 0.001),
    ("millisecond", TIME, 0.001),
    ("s", TIME, 1.0),
    ("sec", TIME, 1.0),
    ("second", TIME, 1.0),
    ("m", TIME, 60.0),
    ("min", TIME, 60.0),
    ("minute", TIME, 60.0),
    ("h", TIME, 3600.0),
    ("hr", TIME, 3600.0),
    ("hour", TIME, 3600.0),
    ("d", TIME, 86_400.0),
    ("day", TIME, 86_400.0),
    ("w", TIME, 604_800.0),
    ("week", TIME, 604_800.0),
    ("y", TIME, 31_536_000.0),
    ("yr", TIME, 31_536_000.0),
    ("year", TIME, 31_536_000.0),
    ("b", BYTES, 1.0),
    ("byte", BYTES, 1.0),
    ("k", BYTES, 1e3),
    ("kb", BYTES, 1e3),
    ("kilobyte", BYTES, 1e3),
    ("M", BYTES, 1e6),
    ("mb", BYTES, 1e6),
    ("megabyte", BYTES, 1e6),
    ("g", BYTES, 1e9),
    ("gb", BYTES, 1e9),
    ("gigabyte", BYTES, 1e9),
    ("t", BYTES, 1e12),
    ("tb", BYTES, 1e12),
    ("terabyte", BYTES, 1e12),
    ("ki", BYTES, 1024.0),
    ("kib", BYTES, 1024.0),
    ("kibibyte", BYTES, 1024.0),
    ("mi", BYTES, 1_048_576.0),
    ("mib", BYTES, 1_048_576.0),
    ("mebibyte", BYTES, 1_048_576.0),
    ("gi", BYTES, 1_073_741_824.0),
    ("gib", BYTES, 1_073_741_824.0),
    ("gibibyte", BYTES, 1_073_741_824.0),
    ("ti", BYTES, 1_099_511_627_776.0),
    ("tib", BYTES, 1_099_511_627_776.0),
    ("tebibyte", BYTES, 1_099_511_627_776.0),
    ("m", CPU, 0.001),
    ("millicore", CPU, 0.001),
    ("millicpu", CPU, 0.001),
    ("core", CPU, 1.0),
    ("cpu", CPU, 1.0),
    ("vcpu", CPU, 1.0),
];

/// Count nouns that name the same things.
const SYNONYMS: &[&[&str]] = &[
    &["member", "node", "server", "instance"],
    &["address", "ip"],
];

const SMALL: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The measures a unit word can be (`m`: minutes or millicores).
/// Case counts where it must (`M` mega, `m` milli), and only there.
fn measures(unit: &str) -> Vec<Measure> {
    let unit = singular(unit.trim());
    let find = |unit: &str| -> Vec<Measure> {
        UNITS
            .iter()
            .filter(|(name, _, _)| *name == unit)
            .map(|(_, kind, size)| (*kind, *size))
            .collect()
    };
    let exact = find(&unit);
    if exact.is_empty() {
        find(&unit.to_ascii_lowercase())
    } else {
        exact
    }
}

/// How a learner's answer compares with the key.
#[derive(Debug, PartialEq)]
pub(crate) enum Reading {
    /// The value in the key's unit.
    Value(f64),
    /// Why it is not a number (or not in the key's unit).
    Refused(String),
}

/// Reads `text` as a value in `unit` (the key's), accepting any measure unit of the same kind,
/// and for a count (a unit that is no measure, or none) the unit's own word, its synonyms and
/// the prompt's `words`.
pub(crate) fn read(text: &str, unit: Option<&str>, words: &[String]) -> Reading {
    let text = text.trim().trim_end_matches(['.', '!', '?']).trim_end();
    let Some(terms) = terms(text) else {
        return Reading::Refused(format!("`{text}` is not a number"));
    };
    let key_measures = unit.map(measures).unwrap_or_default();
    if let [(value, given)] = terms.as_slice() {
        if given.is_empty() {
            return Reading::Value(*value);
        }
        if key_measures.is_empty() && is_count_word(given, unit, words) {
            return Reading::Value(*value);
        }
    }
    // Measures: every term's unit of one kind the key's unit has (`23h30m` in hours).
    for (kind, key_size) in key_measures {
        let total: Option<f64> = terms
            .iter()
            .map(|(value, given)| {
                measures(given)
                    .into_iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, size)| value * size)
            })
            .sum();
        if let Some(total) = total {
            return Reading::Value(total / key_size);
        }
    }
    let given = terms
        .iter()
        .map(|(_, u)| u.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Reading::Refused(match unit {
        Some(unit) => format!("the unit is {unit}, not `{given}`"),
        None => format!("type just the number, without `{given}`"),
    })
}

fn is_count_word(given: &str, unit: Option<&str>, words: &[String]) -> bool {
    let given = singular(&given.to_ascii_lowercase());
    let unit = unit.map(|u| singular(&u.to_ascii_lowercase()));
    unit.as_deref() == Some(given.as_str())
        || words.contains(&given)
        || SYNONYMS.iter().any(|group| {
            group.contains(&given.as_str()) && unit.as_deref().is_some_and(|u| group.contains(&u))
        })
}

/// `text` as terms of a number and a unit (`23h30m` -> [(23, "h"), (30, "m")]; `3 minor
/// versions` -> [(3, "minor versions")]); `None` when a term does not start with a number.
fn terms(text: &str) -> Option<Vec<(f64, String)>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (value, after) = number(rest)?;
        let end = after
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(after.len());
        out.push((value, after[..end].trim().to_ascii_lowercase()));
        rest = &after[end..];
    }
    (!out.is_empty()).then_some(out)
}

/// A number at the start of `text`, in digits or words, and what follows it.
fn number(text: &str) -> Option<(f64, &str)> {
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return number_words(text);
    }
    let bytes = text.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let b = bytes[end];
        let exponent = matches!(b, b'e' | b'E')
            && end > 0
            && bytes.get(end + 1).is_some_and(|n| {
                n.is_ascii_digit()
                    || (matches!(n, b'-' | b'+')
                        && bytes.get(end + 2).is_some_and(u8::is_ascii_digit))
            });
        let sign = matches!(b, b'-' | b'+') && (end == 0 || matches!(bytes[end - 1], b'e' | b'E'));
        if !(b.is_ascii_digit() || matches!(b, b'.' | b',' | b'_') || exponent || sign) {
            break;
        }
        end += 1;
    }
    let (digits, rest) = text.split_at(end);
    Some((decimal(digits)?, rest))
}

/// Digits with `,` as thousands separators (`1,048,576`) or as a decimal comma (`0,5`).
fn decimal(digits: &str) -> Option<f64> {
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if !digits.contains(',') {
        return parse_decimal(&digits);
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    let groups: Vec<&str> = whole.trim_start_matches(['-', '+']).split(',').collect();
    let thousands = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    if thousands {
        let fraction = if fraction.is_empty() {
            String::new()
        } else {
            format!(".{fraction}")
        };
        return parse_decimal(&format!("{}{fraction}", whole.replace(',', "")));
    }
    if groups.len() == 2 && !digits.contains('.') {
        return parse_decimal(&digits.replace(',', "."));
    }
    None
}

/// `three`, `twenty-five`, `a hundred`, `two thousand`, and what follows.
fn number_words(text: &str) -> Option<(f64, &str)> {
    let (mut total, mut current, mut seen) = (0.0, 0.0, false);
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start_matches([' ', '-']);
        let end = trimmed
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(trimmed.len());
        let word = trimmed[..end].to_ascii_lowercase();
        let word = word.as_str();
        if let Some(n) = SMALL.iter().position(|w| *w == word) {
            current += n as f64;
        } else if let Some(n) = TENS.iter().position(|w| *w == word) {
            current += (n as f64 + 2.0) * 10.0;
        } else if !seen && matches!(word, "a" | "an") {
            current = 1.0;
        } else if seen && word == "hundred" {
            current *= 100.0;
        } else if seen && word == "thousand" {
            total += current * 1000.0;
            current = 0.0;
        } else if !(seen && word == "and") {
            break;
        }
        seen = true;
        rest = &trimmed[end..];
    }
    seen.then_some((total + current, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, unit: Option<&str>) -> Option<f64> {
        match read(text, unit, &["millicore".into(), "request".into()]) {
            Reading::Value(v) => Some(v),
            Reading::Refused(_) => None,
        }
    }

    #[test]
    fn numbers_in_digits_and_words() {
        for (text, expected) in [
            ("2", 2.0),
            ("1,048,576", 1_048_576.0),
            ("1_000", 1000.0),
            ("0,5", 0.5),
            ("12,5", 12.5),
            ("1,500", 1500.0),
            ("-0.5", -0.5),
            ("1e3", 1000.0),
            ("three", 3.0),
            ("Twenty-three", 23.0),
            ("a hundred", 100.0),
            ("two thousand five hundred", 2500.0),
            ("zero", 0.0),
        ] {
            assert_eq!(value(text, None), Some(expected), "{text}");
        }
        for text in ["", "x", "1,5,3", "1.2.3", "--1", "half"] {
            assert_eq!(value(text, None), None, "{text}");
        }
    }

    #[test]
    fn measures_convert_within_their_kind() {
        for (text, unit, expected) in [
            ("300s", "seconds", 300.0),
            ("5 minutes", "seconds", 300.0),
            ("5m", "seconds", 300.0),
            ("365d", "days", 365.0),
            ("1 year", "days", 365.0),
            ("a year", "days", 365.0),
            ("23h30m", "hours", 23.5),
            ("23h 30m", "hours", 23.5),
            ("8 GiB", "Gi", 8.0),
            ("8Gi", "Gi", 8.0),
            ("8192Mi", "Gi", 8.0),
            ("1500 millicores", "m", 1500.0),
            ("1500m", "m", 1500.0),
            ("1.5 cores", "m", 1500.0),
            ("10y", "years", 10.0),
        ] {
            let got = value(text, Some(unit)).unwrap_or(f64::NAN);
            assert!((got - expected).abs() < 1e-9, "{text} in {unit}: {got}");
        }
        assert_eq!(
            read("8 GB", Some("Gi"), &[]),
            Reading::Value(8e9 / 1_073_741_824.0),
            "GB are 10^9 bytes"
        );
        assert_eq!(
            read("300 meters", Some("seconds"), &[]),
            Reading::Refused("the unit is seconds, not `meters`".into())
        );
    }

    #[test]
    fn counts_take_their_noun_synonyms_and_the_prompts_words() {
        let words = vec!["member".to_owned(), "cluster".to_owned()];
        for text in ["3 members", "3 member", "3 Members", "3 nodes", "3 cluster"] {
            assert_eq!(
                read(text, Some("members"), &words),
                Reading::Value(3.0),
                "{text}"
            );
        }
        assert_eq!(
            read("3 membersss", Some("members"), &words),
            Reading::Refused("the unit is members, not `membersss`".into())
        );
        assert_eq!(
            read("3 minor versions", Some("minor versions"), &[]),
            Reading::Value(3.0)
        );
        assert_eq!(
            read("3 seconds", Some("members"), &words),
            Reading::Refused("the unit is members, not `seconds`".into())
        );
        assert_eq!(
            read("53 bananas", None, &[]),
            Reading::Refused("type just the number, without `bananas`".into())
        );
    }
}
