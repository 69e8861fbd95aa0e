//! Commands made canonical with their program's table, so that two spellings of the same
//! command are equal: the program by its name (`/usr/bin/kubectl`, `k`), the command path,
//! flags by long name with their values canonical (booleans written out, defaults written out,
//! selectors, units), neutral flags and variables marked, and arguments canonical (kubectl
//! resource types with their API group, `TYPE/NAME`, systemd units, versions).

use std::collections::BTreeSet;

use coursebook_commands::{read, Arity, Flag, FlagDefault, Spec, Stop, Table, UnknownFlag};

use super::shell::Script;

/// How deep commands after `--` are followed (`kubectl exec pod -- kubectl ...`).
const MAX_DEPTH: usize = 3;

/// `sudo` options that take a value.
const SUDO_VALUE_OPTIONS: &[&str] = &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"];

/// A small map kept sorted by key: in the page's WebAssembly, a sorted vector costs a fraction
/// of a `BTreeMap`'s code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Map<V>(Vec<(String, V)>);

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map(Vec::new())
    }
}

impl<V> Map<V> {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, made with `make` when missing.
    pub fn entry(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.to_owned(), make()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: &str, value: V) {
        match self.find(key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key.to_owned(), value)),
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether `key` is in the map.
    pub fn contains(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }
}

/// One command, canonical.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Call {
    /// `VAR=value` words before the program that matter.
    pub env: Map<String>,
    /// The program (`kubectl`).
    pub program: String,
    /// The command path (`get`, `certificate approve`); `""` for none.
    pub path: String,
    /// `kubectl get`, for messages.
    pub display: String,
    /// Positional arguments, canonical.
    pub args: Vec<String>,
    /// Flags by long name, each with its canonical values, sorted and without repeats.
    pub flags: Map<Vec<String>>,
    /// Flags given that an answer may add without changing the command.
    pub neutral: Vec<String>,
    /// The command after `--` (`kubectl exec pod -- ping ...`).
    pub tail: Option<Box<Call>>,
    /// Redirections.
    pub redirects: Vec<String>,
    /// What the program would refuse (unknown or misplaced flags), as messages.
    pub problems: Vec<String>,
    /// A subcommand the table does not have (validation of answers only).
    pub unknown_command: Option<String>,
}

/// A command line, canonical: pipelines of calls and what joins them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Line {
    /// The pipelines.
    pub pipelines: Vec<Vec<Call>>,
    /// `;`, `&&`, `||`, `&` between them.
    pub joins: Vec<&'static str>,
}

impl Line {
    /// Every call, in order, with the calls after `--`.
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.pipelines
            .iter()
            .flatten()
            .flat_map(|call| std::iter::successors(Some(call), |c| c.tail.as_deref()))
    }
}

/// The script read with `tables`; `None` when a stage runs no program (`FOO=1`).
pub(crate) fn line(script: &Script, tables: &[Table]) -> Option<Line> {
    let pipelines = script
        .pipelines
        .iter()
        .map(|pipeline| {
            pipeline
                .iter()
                .map(|stage| {
                    let mut call = call(&stage.words, tables, 0)?;
                    call.redirects.clone_from(&stage.redirects);
                    Some(call)
                })
                .collect::<Option<Vec<Call>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Line {
        pipelines,
        joins: script.joins.clone(),
    })
}

fn call(words: &[String], tables: &[Table], depth: usize) -> Option<Call> {
    let mut call = Call::default();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        match word.split_once('=') {
            Some((name, value)) if is_env_name(name) => {
                call.env.insert(name, value.to_owned());
                i += 1;
            }
            _ if word == "sudo" || word == "env" => {
                i += 1;
                while let Some(option) = words.get(i).filter(|w| w.starts_with('-')) {
                    let takes = word == "sudo" && SUDO_VALUE_OPTIONS.contains(&option.as_str());
                    i += 1 + usize::from(takes);
                }
            }
            _ => break,
        }
    }
    let name = words.get(i)?;
    let name = name.rsplit('/').next().unwrap_or(name);
    let rest = &words[i + 1..];
    match tables.iter().find(|t| t.runs_as(name)) {
        Some(table) => read_with(table, rest, &mut call, tables, depth),
        None => {
            call.program = name.to_owned();
            call.display = name.to_owned();
            call.args = rest.to_vec();
        }
    }
    Some(call)
}

fn read_with(table: &Table, rest: &[String], call: &mut Call, tables: &[Table], depth: usize) {
    call.program.clone_from(&table.program);
    let texts: Vec<&str> = rest.iter().map(String::as_str).collect();
    let reading = match read(table, &texts, |_| true) {
        Ok(reading) => reading,
        Err(Stop::UnknownCommand { word, parent }) => {
            let name = texts.get(word).copied().unwrap_or_default();
            call.path = join(&parent.path, name);
            call.display = join(&parent.display(), name);
            call.unknown_command = Some(call.display.clone());
            call.args = rest.iter().skip(word + 1).cloned().collect();
            return;
        }
        Err(Stop::NotLiteral) => return,
    };
    let spec = reading.spec;
    call.path.clone_from(&spec.path);
    call.display = spec.display();
    let command_at = reading.path.last().copied().unwrap_or(0);
    for problem in &reading.problems {
        call.problems
            .push(flag_problem(table, spec, problem, command_at));
    }
    for used in &reading.flags {
        add_flag(table, spec, used.flag, used.value.as_deref(), call);
    }
    let env = std::mem::take(&mut call.env);
    for (name, value) in env.0 {
        match table.env_flag(&name) {
            Some(flag) if flag.is_empty() => {}
            Some(flag) => match table.long_flag(spec, &flag) {
                Some(flag) => add_flag(table, spec, flag, Some(&value), call),
                None => call.env.insert(&name, value),
            },
            None => call.env.insert(&name, value),
        }
    }
    drop_defaults(table, spec, call);
    let kind = table.args_kind(&spec.path);
    for &at in &reading.args {
        push_arg(table, kind, texts[at], &mut call.args);
    }
    if let Some(at) = reading.rest {
        let after = &rest[at + 1..];
        if depth >= MAX_DEPTH {
            call.args.extend(rest[at..].iter().cloned());
        } else if !after.is_empty() {
            call.tail = self::call(after, tables, depth + 1).map(Box::new);
        }
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a} {b}")
    }
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn flag_problem(table: &Table, spec: &Spec, problem: &UnknownFlag, command_at: usize) -> String {
    let flag = &problem.flag;
    if problem.misplaced {
        let side = if problem.word < command_at {
            "after"
        } else {
            "before"
        };
        return format!(
            "`{}` reads `{flag}` only {side} the command `{}`",
            table.program, spec.path
        );
    }
    let hint = match flag.strip_prefix("--") {
        Some(name) if name.starts_with('-') => " (one dash too many)".to_owned(),
        Some(name) if name.chars().count() == 1 => name
            .chars()
            .next()
            .and_then(|c| table.short_flag(spec, c))
            .map(|_| format!(" (a one-letter flag takes one dash: `-{name}`)"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    format!("`{}` has no flag `{flag}`{hint}", spec.display())
}

fn add_flag(table: &Table, spec: &Spec, flag: &Flag, value: Option<&str>, call: &mut Call) {
    let value = match flag.arity {
        Arity::Boolean => value.map_or("true", |v| boolean(v).unwrap_or(v)).to_owned(),
        Arity::Value | Arity::Optional => {
            canonical_value(table.value_kind(&flag.name), value.unwrap_or_default())
        }
    };
    if table.is_neutral(spec, &flag.name) && !call.neutral.contains(&flag.name) {
        call.neutral.push(flag.name.clone());
    }
    let values = call.flags.entry(&flag.name, Vec::new);
    if flag.arity == Arity::Boolean {
        // The last spelling of a boolean wins (`-A --all-namespaces=false` is false).
        values.clear();
    }
    if !values.contains(&value) {
        values.push(value);
        values.sort_unstable();
    }
}

/// Drops the flags whose value is their default (`--force=false`, `--protocol=TCP`): the same
/// command as without them.
fn drop_defaults(table: &Table, spec: &Spec, call: &mut Call) {
    call.flags.0.retain(|(name, values)| {
        let default = table.long_flag(spec, name).map(|f| &f.default);
        !matches!(default, Some(FlagDefault::Known(d)) if values.len() == 1 && values[0] == *d)
    });
}

/// pflag's spellings of a boolean (Go's `strconv.ParseBool`).
fn boolean(value: &str) -> Option<&'static str> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some("true"),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some("false"),
        _ => None,
    }
}

fn canonical_value(kind: Option<&str>, value: &str) -> String {
    match kind {
        Some("selector") => selector(value),
        Some("jsonpath") => value
            .strip_prefix('{')
            .and_then(|v| v.strip_suffix('}'))
            .unwrap_or(value)
            .to_owned(),
        Some("unit") => unit(value).to_owned(),
        _ => value.to_owned(),
    }
}

fn unit(name: &str) -> &str {
    name.strip_suffix(".service").unwrap_or(name)
}

/// A label or field selector with its requirements in one spelling and order: `a==b`,
/// `a = b` and `a in (b)` are `a=b`; `a in (c,b)` is `a in (b,c)`.
fn selector(value: &str) -> String {
    let mut requirements = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                requirements.push(requirement(&value[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    requirements.push(requirement(&value[start..]));
    requirements.sort_unstable();
    requirements.join(",")
}

fn requirement(text: &str) -> String {
    let text = text.trim();
    for op in ["!=", "==", "="] {
        if let Some((key, value)) = text.split_once(op) {
            let op = if op == "!=" { "!=" } else { "=" };
            return format!("{}{op}{}", key.trim(), value.trim());
        }
    }
    let words: Vec<&str> = text.splitn(2, char::is_whitespace).collect();
    if let [key, rest] = words.as_slice() {
        let rest = rest.trim();
        for op in ["notin", "in"] {
            let Some(list) = rest.strip_prefix(op) else {
                continue;
            };
            let list = list.trim().trim_start_matches('(').trim_end_matches(')');
            let mut values: Vec<&str> = list.split(',').map(str::trim).collect();
            values.sort_unstable();
            values.dedup();
            return match (op, values.as_slice()) {
                ("in", [one]) => format!("{key}={one}"),
                ("notin", [one]) => format!("{key}!={one}"),
                _ => format!("{key} {op} ({})", values.join(",")),
            };
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds an argument, canonical for the command: `pods/x` as `x` where the command takes pods,
/// `kubelet.service` as `kubelet`, `1.32.0` as `v1.32.0`; for kubectl, resource types by their
/// plural (`po`, `pod`, `pods.v1`: `pods`; `deployments.apps`: `deployments`, but
/// `pods.metrics.k8s.io` stays as typed), `TYPE/NAME` as two words, `pods,svc` sorted.
fn push_arg(table: &Table, kind: Option<&str>, word: &str, args: &mut Vec<String>) {
    let word = match kind {
        Some("unit") => unit(word),
        Some("version") if word.starts_with(|c: char| c.is_ascii_digit()) => {
            args.push(format!("v{word}"));
            return;
        }
        Some("version") | None => word,
        Some(plural) => match word.split_once('/') {
            Some((kind, name)) if resource(table, kind).as_deref() == Some(plural) => name,
            _ => word,
        },
    };
    if let Some((kind, name)) = word.split_once('/') {
        if let Some(plural) = resource(table, kind) {
            args.push(plural);
            args.push(name.to_owned());
            return;
        }
    }
    if word.contains(',') {
        let kinds: Option<Vec<String>> = word.split(',').map(|k| resource(table, k)).collect();
        if let Some(mut kinds) = kinds {
            kinds.sort_unstable();
            kinds.dedup();
            args.push(kinds.join(","));
            return;
        }
    }
    args.push(resource(table, word).unwrap_or_else(|| word.to_owned()));
}

/// The plural of the resource type `word` names, with its API group (and version) or none.
fn resource(table: &Table, word: &str) -> Option<String> {
    let word = word.to_ascii_lowercase();
    let (name, rest) = word.split_once('.').unwrap_or((&word, ""));
    let resource = table.resource(name)?;
    let group = &resource.group;
    let version = |v: &str| {
        v.strip_prefix('v')
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
    };
    let matches = rest.is_empty()
        || rest == group
        || (group.is_empty() && version(rest))
        || rest
            .split_once('.')
            .is_some_and(|(v, g)| version(v) && g == group);
    matches.then(|| resource.plural.clone())
}

/// The table records a question's answers need, for the page: per program, the commands the
/// answers run and the resource types they name.
pub(crate) fn uses(lines: &[Line], tables: &[Table]) -> String {
    let mut needed: Vec<(&Table, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
    for call in lines.iter().flat_map(Line::calls) {
        let Some(table) = tables.iter().find(|t| t.program == call.program) else {
            continue;
        };
        let at = match needed
            .iter()
            .position(|(t, _, _)| t.program == table.program)
        {
            Some(at) => at,
            None => {
                needed.push((table, BTreeSet::new(), BTreeSet::new()));
                needed.len() - 1
            }
        };
        let (_, paths, resources) = &mut needed[at];
        paths.insert(call.path.clone());
        let kind = table.args_kind(&call.path).map(str::to_owned);
        for word in call
            .args
            .iter()
            .flat_map(|a| a.split(','))
            .chain(kind.as_deref())
        {
            if table.resource(word).is_some_and(|r| r.plural == word) {
                resources.insert(word.to_owned());
            }
        }
    }
    needed
        .iter()
        .map(|(table, paths, resources)| {
            let resources: Vec<&str> = resources.iter().map(String::as_str).collect();
            table.subset(paths.iter().map(String::as_str), &resources)
        })
        .collect()
}
