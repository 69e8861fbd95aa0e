//! The command grader: parses a command line into program, arguments and flags, so that two
//! spellings of the same command compare equal (flag order, `--f=v` or `--f v`, `-n x` or
//! `--namespace x` or `-nx`, kubectl's resource aliases) while a different program, subcommand,
//! resource, name, flag or value does not.

use std::collections::BTreeMap;

/// A parsed command (one stage of a pipeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// `VAR=value` words before the program.
    pub env: BTreeMap<String, String>,
    /// The program (`kubectl`), without a leading `sudo`.
    pub program: String,
    /// Arguments that are not flags, in order (resource aliases canonical for kubectl).
    pub args: Vec<String>,
    /// Flags by long name, each with its values in order given (`""` for a boolean).
    pub flags: BTreeMap<String, Vec<String>>,
}

/// A command line that cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// Quotes do not close.
    #[error("unbalanced quotes")]
    Quotes,
    /// Nothing to run.
    #[error("the command is empty")]
    Empty,
}

/// How a program spells its flags.
struct Dialect {
    /// Short flag -> long name.
    short: &'static [(&'static str, &'static str)],
    /// Flags that take no value.
    boolean: &'static [&'static str],
    /// Flags whose value must be attached with `=` (`--dry-run=client`).
    attached_only: &'static [&'static str],
    /// `-name` is one long option (openssl), not a cluster of short ones.
    single_dash_long: bool,
}

const KUBECTL: Dialect = Dialect {
    short: &[
        ("n", "namespace"),
        ("o", "output"),
        ("l", "selector"),
        ("f", "filename"),
        ("A", "all-namespaces"),
        ("c", "container"),
        ("i", "stdin"),
        ("t", "tty"),
        ("w", "watch"),
        ("R", "recursive"),
        ("k", "kustomize"),
        ("p", "previous"),
        ("L", "label-columns"),
        ("s", "server"),
    ],
    boolean: &[
        "all-namespaces",
        "stdin",
        "tty",
        "watch",
        "recursive",
        "previous",
        "rm",
        "force",
        "all",
        "overwrite",
        "ignore-daemonsets",
        "delete-emptydir-data",
        "show-labels",
        "no-headers",
        "follow",
        "quiet",
        "wait",
        "insecure-skip-tls-verify",
        "disable-eviction",
        "record",
        "list",
        "local",
        "show-kind",
    ],
    attached_only: &["dry-run", "wait", "validate"],
    single_dash_long: false,
};

/// `kubectl logs -f` follows; elsewhere `-f` is a file.
const KUBECTL_LOGS_SHORT: &[(&str, &str)] = &[("f", "follow")];

const ETCDCTL: Dialect = Dialect {
    short: &[("w", "write-out")],
    boolean: &[
        "prefix",
        "keys-only",
        "print-value-only",
        "from-key",
        "debug",
        "insecure-skip-tls-verify",
    ],
    attached_only: &[],
    single_dash_long: false,
};

const SYSTEM_TOOLS: Dialect = Dialect {
    short: &[
        ("u", "unit"),
        ("f", "follow"),
        ("n", "lines"),
        ("a", "all"),
        ("q", "quiet"),
        ("b", "boot"),
        ("x", "catalog"),
        ("e", "pager-end"),
        ("r", "reverse"),
        ("y", "yes"),
        ("v", "verbose"),
        ("l", "full"),
    ],
    boolean: &[
        "follow",
        "all",
        "quiet",
        "catalog",
        "pager-end",
        "reverse",
        "yes",
        "verbose",
        "full",
        "no-pager",
        "now",
        "force",
        "ignore-daemonsets",
        "delete-emptydir-data",
        "dry-run",
        "etcd-upgrade",
        "certificate-renewal",
        "allow-experimental-upgrades",
    ],
    attached_only: &["boot"],
    single_dash_long: false,
};

const OPENSSL: Dialect = Dialect {
    short: &[],
    boolean: &[
        "noout",
        "text",
        "dates",
        "subject",
        "issuer",
        "enddate",
        "startdate",
        "serial",
        "pubkey",
        "modulus",
        "nodes",
        "showcerts",
        "ext",
    ],
    attached_only: &[],
    single_dash_long: true,
};

fn dialect(program: &str) -> &'static Dialect {
    match program {
        "kubectl" | "k" => &KUBECTL,
        "etcdctl" | "etcdutl" => &ETCDCTL,
        "openssl" => &OPENSSL,
        _ => &SYSTEM_TOOLS,
    }
}

/// kubectl resource names and short names -> the canonical plural.
const RESOURCES: &[(&str, &[&str])] = &[
    ("pods", &["pod", "po"]),
    ("services", &["service", "svc"]),
    ("deployments", &["deployment", "deploy"]),
    ("replicasets", &["replicaset", "rs"]),
    ("daemonsets", &["daemonset", "ds"]),
    ("statefulsets", &["statefulset", "sts"]),
    ("jobs", &["job"]),
    ("cronjobs", &["cronjob", "cj"]),
    ("nodes", &["node", "no"]),
    ("namespaces", &["namespace", "ns"]),
    ("configmaps", &["configmap", "cm"]),
    ("secrets", &["secret"]),
    ("endpoints", &["endpoint", "ep"]),
    ("endpointslices", &["endpointslice"]),
    ("ingresses", &["ingress", "ing"]),
    ("persistentvolumes", &["persistentvolume", "pv"]),
    ("persistentvolumeclaims", &["persistentvolumeclaim", "pvc"]),
    ("storageclasses", &["storageclass", "sc"]),
    ("serviceaccounts", &["serviceaccount", "sa"]),
    ("networkpolicies", &["networkpolicy", "netpol"]),
    (
        "horizontalpodautoscalers",
        &["horizontalpodautoscaler", "hpa"],
    ),
    ("poddisruptionbudgets", &["poddisruptionbudget", "pdb"]),
    ("roles", &["role"]),
    ("rolebindings", &["rolebinding"]),
    ("clusterroles", &["clusterrole"]),
    ("clusterrolebindings", &["clusterrolebinding"]),
    ("events", &["event", "ev"]),
    (
        "customresourcedefinitions",
        &["customresourcedefinition", "crd", "crds"],
    ),
    (
        "certificatesigningrequests",
        &["certificatesigningrequest", "csr"],
    ),
    ("leases", &["lease"]),
    ("priorityclasses", &["priorityclass", "pc"]),
    ("resourcequotas", &["resourcequota", "quota"]),
    ("limitranges", &["limitrange", "limits"]),
    ("componentstatuses", &["componentstatus", "cs"]),
];

/// The canonical plural of a resource name, alias or group-qualified name (`deployments.apps`).
fn canonical_resource(word: &str) -> Option<&'static str> {
    let word = word.split_once('.').map_or(word, |(name, _)| name);
    RESOURCES
        .iter()
        .find(|(plural, aliases)| *plural == word || aliases.contains(&word))
        .map(|(plural, _)| *plural)
}

/// Parses `line` into its pipeline stages.
pub fn parse(line: &str) -> Result<Vec<Command>, CommandError> {
    let line = line.trim().trim_start_matches("$ ");
    let words = shell_words::split(line).map_err(|_| CommandError::Quotes)?;
    let stages: Vec<Command> = words
        .split(|w| w == "|")
        .map(parse_stage)
        .collect::<Result<_, _>>()?;
    Ok(stages)
}

fn parse_stage(words: &[String]) -> Result<Command, CommandError> {
    let mut words = words.iter().map(String::as_str).peekable();
    let mut env = BTreeMap::new();
    while let Some(word) = words.peek() {
        match word.split_once('=') {
            Some((name, value)) if is_env_name(name) => {
                env.insert(name.to_owned(), value.to_owned());
            }
            _ if *word == "sudo" => {}
            _ => break,
        }
        words.next();
    }
    let program = words.next().ok_or(CommandError::Empty)?.to_owned();
    let program = match program.as_str() {
        "k" => "kubectl".to_owned(),
        _ => program,
    };
    let rest: Vec<&str> = words.collect();
    let (args, flags) = parse_args(&program, &rest);
    Ok(Command {
        env,
        program,
        args,
        flags,
    })
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

type Flags = BTreeMap<String, Vec<String>>;

fn parse_args(program: &str, words: &[&str]) -> (Vec<String>, Flags) {
    let dialect = dialect(program);
    let kubectl = std::ptr::eq(dialect, &KUBECTL);
    let mut args: Vec<String> = Vec::new();
    let mut flags = Flags::new();
    let mut i = 0;
    let mut literal = false;
    while i < words.len() {
        let word = words[i];
        i += 1;
        if literal || word == "-" || !word.starts_with('-') {
            push_arg(&mut args, word, kubectl && !literal);
            continue;
        }
        if word == "--" {
            literal = true;
            args.push("--".to_owned());
            continue;
        }
        let shorts: &[(&str, &str)] = if kubectl && args.first().is_some_and(|a| a == "logs") {
            KUBECTL_LOGS_SHORT
        } else {
            &[]
        };
        let next = words.get(i).copied();
        i += read_flag(dialect, shorts, word, next, &mut flags);
    }
    for values in flags.values_mut() {
        values.sort();
    }
    (args, flags)
}

/// Reads one flag word (and maybe its value, the next word); returns how many extra words it
/// consumed.
fn read_flag(
    dialect: &Dialect,
    extra_short: &[(&str, &str)],
    word: &str,
    next: Option<&str>,
    flags: &mut Flags,
) -> usize {
    let takes_value = |name: &str| !dialect.boolean.contains(&name);
    let separate_value_allowed =
        |name: &str| takes_value(name) && !dialect.attached_only.contains(&name);
    let next_value = next.filter(|n| !n.starts_with('-') || is_negative_number(n));
    let long = |name: &str| {
        extra_short
            .iter()
            .chain(dialect.short)
            .find(|(s, _)| *s == name)
            .map_or(name, |(_, l)| l)
            .to_owned()
    };
    let mut add = |name: String, value: String| flags.entry(name).or_default().push(value);

    let body = word.trim_start_matches('-');
    let is_long = word.starts_with("--") || dialect.single_dash_long;
    if is_long {
        if let Some((name, value)) = body.split_once('=') {
            add(long(name), value.to_owned());
            return 0;
        }
        let name = long(body);
        if separate_value_allowed(&name) {
            if let Some(value) = next_value {
                add(name, value.to_owned());
                return 1;
            }
        }
        add(name, String::new());
        return 0;
    }
    // A cluster of short flags: `-it`, or `-nkube-system` / `-n=x` with the value attached.
    for (offset, c) in body.char_indices() {
        let name = long(&body[offset..offset + c.len_utf8()]);
        if !takes_value(&name) {
            add(name, String::new());
            continue;
        }
        let attached = &body[offset + c.len_utf8()..];
        let attached = attached.strip_prefix('=').unwrap_or(attached);
        if !attached.is_empty() {
            add(name, attached.to_owned());
            return 0;
        }
        return match next_value {
            Some(value) if separate_value_allowed(&name) => {
                add(name, value.to_owned());
                1
            }
            _ => {
                add(name, String::new());
                0
            }
        };
    }
    0
}

/// `-5` or `-0.5` is a value, not a flag.
fn is_negative_number(word: &str) -> bool {
    word.strip_prefix('-').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// Adds an argument; for kubectl, `type/name` splits in two and resource aliases become the
/// canonical plural (`po` -> `pods`), and `pods,svc` lists sort.
fn push_arg(args: &mut Vec<String>, word: &str, kubectl: bool) {
    if !kubectl {
        args.push(word.to_owned());
        return;
    }
    if let Some((kind, name)) = word.split_once('/') {
        if let Some(plural) = canonical_resource(&kind.to_ascii_lowercase()) {
            args.push(plural.to_owned());
            args.push(name.to_owned());
            return;
        }
    }
    if word.contains(',') {
        let kinds: Option<Vec<&str>> = word
            .split(',')
            .map(|k| canonical_resource(&k.to_ascii_lowercase()))
            .collect();
        if let Some(mut kinds) = kinds {
            kinds.sort_unstable();
            args.push(kinds.join(","));
            return;
        }
    }
    match canonical_resource(&word.to_ascii_lowercase()) {
        Some(plural) => args.push(plural.to_owned()),
        None => args.push(word.to_owned()),
    }
}

/// The differences between `expected` and `given`, as short sentences; empty when equal.
pub fn differences(expected: &[Command], given: &[Command]) -> Vec<String> {
    if expected.len() != given.len() {
        return vec![format!(
            "expected a pipeline of {} command{}, got {}",
            expected.len(),
            if expected.len() == 1 { "" } else { "s" },
            given.len()
        )];
    }
    expected
        .iter()
        .zip(given)
        .flat_map(|(e, g)| stage_differences(e, g))
        .collect()
}

fn stage_differences(expected: &Command, given: &Command) -> Vec<String> {
    if expected.program != given.program {
        return vec![format!(
            "expected the program `{}`, got `{}`",
            expected.program, given.program
        )];
    }
    let mut out = Vec::new();
    if expected.env != given.env {
        out.push("the environment variables before the command differ".to_owned());
    }
    if let Some(i) = (0..expected.args.len().max(given.args.len()))
        .find(|&i| expected.args.get(i) != given.args.get(i))
    {
        out.push(match (expected.args.get(i), given.args.get(i)) {
            (Some(e), Some(g)) => format!("argument {}: expected `{e}`, got `{g}`", i + 1),
            (Some(e), None) => format!("missing argument `{e}`"),
            (None, Some(g)) => format!("unexpected argument `{g}`"),
            (None, None) => String::new(),
        });
    }
    for (name, values) in &expected.flags {
        match given.flags.get(name) {
            None => out.push(format!("missing flag `--{name}`")),
            Some(got) if got != values => out.push(format!(
                "`--{name}`: expected `{}`, got `{}`",
                values.join(" "),
                got.join(" ")
            )),
            Some(_) => {}
        }
    }
    for name in given.flags.keys() {
        if !expected.flags.contains_key(name) {
            out.push(format!("unexpected flag `--{name}`"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
