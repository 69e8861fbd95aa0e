//! coursebook's calculators: pure functions over numbers, and the HTML table each one renders,
//! shared by the build (the static fallback) and the page (the live widget, through wasm).
//!
//! No I/O and no user text in the HTML: tables hold numbers and canonical network names only.

pub mod cidr;
mod html;
pub mod iptables;
pub mod quorum;

use std::fmt;

/// A calculator named in a ```` ```calc KIND key=value ```` block, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calculator {
    /// etcd quorum for a cluster size.
    Quorum {
        /// Cluster members.
        members: u32,
    },
    /// The KUBE-SVC chain kube-proxy writes for a Service's endpoints.
    Iptables {
        /// Ready endpoints of the Service.
        endpoints: u32,
    },
    /// Pod and Service address capacity.
    Cidr(cidr::CidrInput),
}

/// A calculator block that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    /// The kind is not one of ours.
    #[error("unknown calculator `{0}`: expected one of quorum, iptables, cidr")]
    UnknownKind(String),
    /// An argument the calculator does not take.
    #[error("`{kind}` takes no argument `{key}`: expected {expected}")]
    UnknownArg {
        /// The calculator.
        kind: &'static str,
        /// The argument given.
        key: String,
        /// The arguments it takes.
        expected: &'static str,
    },
    /// An argument that is not `key=value`.
    #[error("argument `{0}` is not of the form key=value")]
    NotKeyValue(String),
    /// An argument given twice (`members=3 members=5`): which one was meant is unknown.
    #[error("argument `{0}` is given twice: keep one")]
    DuplicateArg(String),
    /// A value that does not parse or is out of range: `key` names the argument (the widget
    /// shows the message beside that field), `message` says what to enter, in plain words.
    #[error("{key}: {message}")]
    BadValue {
        /// The argument.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Calculator {
    /// The calculator `kind` with `args` (`key=value` words); missing arguments take defaults.
    pub fn parse<'a>(
        kind: &str,
        args: impl IntoIterator<Item = &'a str>,
    ) -> Result<Calculator, CalcError> {
        let pairs = args
            .into_iter()
            .map(|arg| {
                arg.split_once('=')
                    .ok_or_else(|| CalcError::NotKeyValue(arg.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut keys: Vec<&str> = pairs.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        if let Some(twice) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(CalcError::DuplicateArg(twice[0].to_owned()));
        }
        match kind {
            "quorum" => Ok(Calculator::Quorum {
                members: number_arg("quorum", &pairs, "members", 3, 1..=quorum::MAX_MEMBERS)?,
            }),
            "iptables" => Ok(Calculator::Iptables {
                endpoints: number_arg(
                    "iptables",
                    &pairs,
                    "endpoints",
                    3,
                    1..=iptables::MAX_ENDPOINTS,
                )?,
            }),
            "cidr" => Ok(Calculator::Cidr(cidr::CidrInput::from_args(&pairs)?)),
            other => Err(CalcError::UnknownKind(other.to_owned())),
        }
    }

    /// The calculator's name as written in the block.
    pub fn kind(&self) -> &'static str {
        match self {
            Calculator::Quorum { .. } => "quorum",
            Calculator::Iptables { .. } => "iptables",
            Calculator::Cidr(_) => "cidr",
        }
    }

    /// The arguments as `(name, value)`, in the order the widget's inputs show them.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Calculator::Quorum { members } => vec![("members", members.to_string())],
            Calculator::Iptables { endpoints } => vec![("endpoints", endpoints.to_string())],
            Calculator::Cidr(input) => input.args(),
        }
    }

    /// The result as an HTML fragment (a sentence and a table).
    pub fn render_html(&self) -> Result<String, CalcError> {
        match self {
            Calculator::Quorum { members } => Ok(quorum::render_html(*members)),
            Calculator::Iptables { endpoints } => Ok(iptables::render_html(*endpoints)),
            Calculator::Cidr(input) => input.evaluate().map(|capacity| capacity.render_html()),
        }
    }
}

impl fmt::Display for Calculator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())?;
        for (key, value) in self.args() {
            write!(f, " {key}={value}")?;
        }
        Ok(())
    }
}

/// Rejects every key of `pairs` not in `known`.
fn only_keys(
    kind: &'static str,
    pairs: &[(&str, &str)],
    known: &'static str,
) -> Result<(), CalcError> {
    match pairs
        .iter()
        .find(|(key, _)| !known.split(", ").any(|k| k == *key))
    {
        Some((key, _)) => Err(CalcError::UnknownArg {
            kind,
            key: (*key).to_owned(),
            expected: known,
        }),
        None => Ok(()),
    }
}

fn number_arg(
    kind: &'static str,
    pairs: &[(&str, &str)],
    key: &'static str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, CalcError> {
    only_keys(kind, pairs, key)?;
    match pairs.iter().rev().find(|(k, _)| *k == key) {
        Some((_, value)) => parse_in_range(key, value, range),
        None => Ok(default),
    }
}

/// `value` as a whole number within `range`.
pub fn parse_in_range(
    key: &str,
    value: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, CalcError> {
    let bad = |message: String| CalcError::BadValue {
        key: key.to_owned(),
        message,
    };
    let wanted = format!(
        "enter a whole number from {} to {}",
        range.start(),
        range.end()
    );
    let value = value.trim();
    if value.is_empty() {
        return Err(bad(wanted));
    }
    // A sign or digits beyond u32 is still a whole number, only out of range.
    let whole = value.strip_prefix(['-', '+']).unwrap_or(value);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("{wanted} (“{value}” is not one)")));
    }
    match value.parse::<u32>() {
        Ok(number) if range.contains(&number) => Ok(number),
        Ok(number) if number > *range.end() => {
            Err(bad(format!("{wanted} ({number} is too large)")))
        }
        Err(_) if !value.starts_with('-') => Err(bad(format!("{wanted} ({value} is too large)"))),
        _ => Err(bad(format!("{wanted} ({value} is too small)"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_with_defaults_and_args() {
        assert_eq!(
            Calculator::parse("quorum", []),
            Ok(Calculator::Quorum { members: 3 })
        );
        assert_eq!(
            Calculator::parse("iptables", ["endpoints=5"]),
            Ok(Calculator::Iptables { endpoints: 5 })
        );
        let cidr = Calculator::parse("cidr", ["node-mask=26"]).expect("valid");
        assert_eq!(
            cidr.to_string(),
            "cidr pod-cidr=10.244.0.0/16 node-mask=26 service-cidr=10.96.0.0/12"
        );
    }

    #[test]
    fn rejects_unknown_kinds_keys_and_bad_values() {
        assert_eq!(
            Calculator::parse("raft", []),
            Err(CalcError::UnknownKind("raft".into()))
        );
        assert!(matches!(
            Calculator::parse("quorum", ["nodes=3"]),
            Err(CalcError::UnknownArg { key, .. }) if key == "nodes"
        ));
        assert_eq!(
            Calculator::parse("quorum", ["members"]),
            Err(CalcError::NotKeyValue("members".into()))
        );
        assert!(matches!(
            Calculator::parse("quorum", ["members=0"]),
            Err(CalcError::BadValue { .. })
        ));
        assert!(matches!(
            Calculator::parse("iptables", ["endpoints=three"]),
            Err(CalcError::BadValue { .. })
        ));
    }

    #[test]
    fn bad_values_are_explained_in_plain_words() {
        let message = |value: &str| {
            parse_in_range("members", value, 1..=99)
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(message(""), "members: enter a whole number from 1 to 99");
        assert_eq!(
            message("three"),
            "members: enter a whole number from 1 to 99 (“three” is not one)"
        );
        assert_eq!(
            message("1e2"),
            "members: enter a whole number from 1 to 99 (“1e2” is not one)"
        );
        assert_eq!(
            message("100"),
            "members: enter a whole number from 1 to 99 (100 is too large)"
        );
        assert_eq!(
            message("-1"),
            "members: enter a whole number from 1 to 99 (-1 is too small)"
        );
        assert_eq!(
            message("0"),
            "members: enter a whole number from 1 to 99 (0 is too small)"
        );
        assert!(message("99999999999").ends_with("(99999999999 is too large)"));
        for value in ["", "three", "100", "-1"] {
            let text = message(value);
            assert!(!text.contains('`') && !text.contains("..="), "{text}");
        }
    }

    #[test]
    fn renders_html_for_every_kind() {
        for (kind, needle) in [
            ("quorum", "<table"),
            ("iptables", "KUBE-SVC"),
            ("cidr", "256"),
        ] {
            let html = Calculator::parse(kind, [])
                .and_then(|c| c.render_html())
                .expect("renders");
            assert!(html.contains(needle), "{kind}: {html}");
        }
    }
}
