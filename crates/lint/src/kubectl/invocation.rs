//! One kubectl command line read the way kubectl (cobra and pflag) reads it: the command path,
//! flags in every spelling (`--f=v`, `--f v`, `-n x`, `-nx`, `-it`, `--`), positional
//! arguments, and which words are not in the table.

use std::ops::Range;

use crate::shell::Word;

use super::table::{Arity, Spec, Table};

/// A kubectl command line.
#[derive(Debug)]
pub struct Invocation<'w> {
    /// The resolved command (`create deployment`).
    pub spec: &'static Spec,
    /// The flags given, by long name.
    pub flags: Vec<FlagUse<'w>>,
    /// Positional arguments before `--`.
    pub args: Vec<&'w Word>,
}

impl Invocation<'_> {
    /// The first word of the command path (`create` for `create deployment`).
    pub fn verb(&self) -> &str {
        self.spec.path.split(' ').next().unwrap_or_default()
    }

    /// The use of long flag `name`, the last one when it is repeated.
    pub fn flag(&self, name: &str) -> Option<&FlagUse<'_>> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// The namespace given with `-n`/`--namespace` (`""` for the current one, as `default`).
    pub fn namespace(&self) -> String {
        match self.flag("namespace").and_then(|f| f.value.clone()) {
            Some(ns) if ns != "default" => ns,
            _ => String::new(),
        }
    }
}

/// A flag on the command line.
#[derive(Debug)]
pub struct FlagUse<'w> {
    /// Its long name.
    pub name: &'static str,
    /// Its value, when one was given.
    pub value: Option<String>,
    /// The word it is written in.
    pub word: &'w Word,
}

/// Something the table does not know.
#[derive(Debug, Clone)]
pub enum Problem {
    /// `word` is not a subcommand of `parent`.
    UnknownCommand {
        /// Where.
        span: Range<usize>,
        /// The word as written.
        word: String,
        /// The command it should be a subcommand of.
        parent: &'static Spec,
    },
    /// `flag` is not a flag of `command`.
    UnknownFlag {
        /// Where.
        span: Range<usize>,
        /// The flag as written (`--bogus`, `-x`).
        flag: String,
        /// The command.
        command: &'static Spec,
    },
}

/// The index of the `kubectl` word in `words`, after wrappers such as `sudo -E`, `watch -n 1`,
/// `env X=1`, `timeout 5s`, `xargs -I{}`.
pub fn find_kubectl(words: &[Word]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let value = word.value();
        let program = value.rsplit('/').next().unwrap_or_default();
        if program == "kubectl" {
            return Some(i);
        }
        i = skip_wrapper(program, words, i + 1)?;
    }
    None
}

/// Past a wrapper command's options (from index `i`), or `None` if `program` runs nothing.
fn skip_wrapper(program: &str, words: &[Word], mut i: usize) -> Option<usize> {
    let value_options: &[&str] = match program {
        "sudo" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
        "watch" => &["-n", "--interval", "-d"],
        "env" => &["-u", "-C", "-S"],
        "timeout" => &["-k", "-s", "--signal", "--kill-after"],
        "nice" => &["-n"],
        "xargs" => &["-I", "-n", "-P", "-L", "-d", "-a", "-E", "-s"],
        "time" | "nohup" | "command" | "exec" | "stdbuf" => &[],
        _ => return None,
    };
    while let Some(word) = words.get(i) {
        let value = word.value();
        if value.starts_with('-') {
            i += if value_options.contains(&value.as_str()) {
                2
            } else {
                1
            };
        } else if (program == "env" || program == "sudo") && value.contains('=') {
            i += 1;
        } else {
            break;
        }
    }
    if program == "timeout" {
        i += 1; // the duration
    }
    Some(i)
}

/// Reads `words[at..]` (after the `kubectl` word) against `table`. `None` when the command
/// cannot be known: a `$VAR` or `<placeholder>` where a subcommand should be, or an unknown
/// command (reported in `problems`).
pub fn read<'w>(
    table: &'static Table,
    words: &'w [Word],
    problems: &mut Vec<Problem>,
) -> Option<Invocation<'w>> {
    let (spec, path_words) = resolve(table, words, problems)?;
    let mut invocation = Invocation {
        spec,
        flags: Vec::new(),
        args: Vec::new(),
    };
    let mut i = 0;
    while let Some(word) = words.get(i) {
        i += 1;
        let value = word.value();
        if path_words.contains(&(i - 1)) {
            continue;
        }
        if value == "--" {
            break;
        }
        if value.len() > 1 && value.starts_with('-') {
            let next = words.get(i);
            i += read_flag(table, spec, word, &value, next, &mut invocation, problems);
        } else {
            invocation.args.push(word);
        }
    }
    Some(invocation)
}

/// Finds the command path: the subcommand words, skipping flags (and their values).
fn resolve(
    table: &'static Table,
    words: &[Word],
    problems: &mut Vec<Problem>,
) -> Option<(&'static Spec, Vec<usize>)> {
    let mut spec = table.root();
    let mut path_words = Vec::new();
    let mut i = 0;
    while spec.is_group() {
        let Some(word) = words.get(i) else { break };
        let value = word.value();
        if value == "--" {
            break;
        }
        if value.len() > 1 && value.starts_with('-') {
            i += 1 + usize::from(takes_next_word(table, spec, &value));
            continue;
        }
        if !word.is_literal() {
            return None;
        }
        let Some(child) = table.child(spec, &value) else {
            problems.push(Problem::UnknownCommand {
                span: word.span.clone(),
                word: value,
                parent: spec,
            });
            return None;
        };
        spec = child;
        path_words.push(i);
        i += 1;
    }
    Some((spec, path_words))
}

/// Whether a flag word, as `spec` reads it, takes the next word as its value.
fn takes_next_word(table: &Table, spec: &Spec, value: &str) -> bool {
    if let Some(long) = value.strip_prefix("--") {
        return !long.contains('=') && table.long_flag(spec, long) == Some(Arity::Value);
    }
    let shorts: Vec<char> = value.chars().skip(1).collect();
    for (j, c) in shorts.iter().enumerate() {
        match table.short_flag(spec, *c) {
            Some((_, Arity::Boolean)) => {}
            Some((_, Arity::Value)) => return j + 1 == shorts.len(),
            _ => return false,
        }
    }
    false
}

/// Reads one flag word, records it (or a problem), and returns how many following words it
/// consumed as its value (0 or 1).
fn read_flag<'w>(
    table: &'static Table,
    spec: &'static Spec,
    word: &'w Word,
    value: &str,
    next: Option<&'w Word>,
    invocation: &mut Invocation<'w>,
    problems: &mut Vec<Problem>,
) -> usize {
    if let Some(long) = value.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((name, v)) => (name, Some(v.to_owned())),
            None => (long, None),
        };
        let Some((name, arity)) = known_long(table, spec, name) else {
            if is_flag_name(name) {
                problems.push(unknown_flag(word, &format!("--{name}"), spec));
            }
            return 0;
        };
        let consumes = inline.is_none() && arity == Arity::Value;
        let value = inline.or_else(|| next.filter(|_| consumes).map(Word::value));
        invocation.flags.push(FlagUse { name, value, word });
        return usize::from(consumes && next.is_some());
    }
    read_shorts(table, spec, word, value, next, invocation, problems)
}

/// `-n x`, `-nx`, `-n=x`, `-it`: shorthands, booleans first and at most one with a value.
fn read_shorts<'w>(
    table: &'static Table,
    spec: &'static Spec,
    word: &'w Word,
    value: &str,
    next: Option<&'w Word>,
    invocation: &mut Invocation<'w>,
    problems: &mut Vec<Problem>,
) -> usize {
    for (j, c) in value.char_indices().skip(1) {
        let Some((name, arity)) = table.short_flag(spec, c) else {
            if c.is_ascii_alphanumeric() {
                problems.push(unknown_flag(word, &format!("-{c}"), spec));
            }
            return 0;
        };
        let name = static_name(table, spec, name);
        if arity == Arity::Boolean {
            invocation.flags.push(FlagUse {
                name,
                value: None,
                word,
            });
            continue;
        }
        let rest = &value[j + c.len_utf8()..];
        let rest = rest.strip_prefix('=').unwrap_or(rest);
        let consumes = rest.is_empty() && arity == Arity::Value;
        let value = if rest.is_empty() {
            next.filter(|_| consumes).map(Word::value)
        } else {
            Some(rest.to_owned())
        };
        invocation.flags.push(FlagUse { name, value, word });
        return usize::from(consumes && next.is_some());
    }
    0
}

/// The table's own `&'static str` for a flag name.
fn known_long(
    table: &'static Table,
    spec: &'static Spec,
    name: &str,
) -> Option<(&'static str, Arity)> {
    let arity = table.long_flag(spec, name)?;
    Some((static_name(table, spec, name), arity))
}

fn static_name(table: &'static Table, spec: &'static Spec, name: &str) -> &'static str {
    table.long_names(spec).find(|n| *n == name).unwrap_or("")
}

/// A word kubectl would read as a flag name (not `--$X` or `-1`).
fn is_flag_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn unknown_flag(word: &Word, flag: &str, spec: &'static Spec) -> Problem {
    let span = match word.text.find(flag) {
        Some(at) if flag.starts_with("--") => {
            word.span.start + at..word.span.start + at + flag.len()
        }
        _ => word.span.clone(),
    };
    Problem::UnknownFlag {
        span,
        flag: flag.to_owned(),
        command: spec,
    }
}
