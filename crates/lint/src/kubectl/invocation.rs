//! One kubectl command line found in a shell snippet and read the way kubectl (cobra and pflag)
//! reads it, by `coursebook_commands::read` over the shell model's words: the command path,
//! flags in every spelling (`--f=v`, `--f v`, `-n x`, `-nx`, `-it`, `--`), positional
//! arguments, and which words are not in the table.

use std::ops::Range;

use crate::shell::Word;

use coursebook_commands::Stop;

use super::table::{Spec, Table};

/// A kubectl command line.
#[derive(Debug)]
pub(super) struct Invocation<'w> {
    /// The resolved command (`create deployment`).
    pub spec: &'static Spec,
    /// The flags given, by long name.
    pub flags: Vec<FlagUse<'w>>,
    /// Positional arguments before `--`.
    pub args: Vec<&'w Word>,
}

impl Invocation<'_> {
    /// The first word of the command path (`create` for `create deployment`).
    pub(super) fn verb(&self) -> &str {
        self.spec.path.split(' ').next().unwrap_or_default()
    }

    /// The use of long flag `name`, the last one when it is repeated.
    pub(super) fn flag(&self, name: &str) -> Option<&FlagUse<'_>> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// The namespace given with `-n`/`--namespace` (`""` for the current one, as `default`).
    pub(super) fn namespace(&self) -> String {
        match self.flag("namespace").and_then(|f| f.value.clone()) {
            Some(ns) if ns != "default" => ns,
            _ => String::new(),
        }
    }
}

/// A flag on the command line.
#[derive(Debug)]
pub(super) struct FlagUse<'w> {
    /// Its long name.
    pub name: &'static str,
    /// Its value, when one was given.
    pub value: Option<String>,
    /// The word it is written in.
    pub word: &'w Word,
}

/// Something the table does not know.
#[derive(Debug, Clone)]
pub(super) enum Problem {
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
pub(super) fn find_kubectl(words: &[Word]) -> Option<usize> {
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

/// Reads `words[at..]` (after the `kubectl` word) against `table`, with the reader the quiz
/// grader uses too. `None` when the command cannot be known: a `$VAR` or `<placeholder>` where a
/// subcommand should be, or an unknown command (reported in `problems`).
pub(super) fn read<'w>(
    table: &'static Table,
    words: &'w [Word],
    problems: &mut Vec<Problem>,
) -> Option<Invocation<'w>> {
    let values: Vec<String> = words.iter().map(Word::value).collect();
    let texts: Vec<&str> = values.iter().map(String::as_str).collect();
    let literal = |i: usize| words.get(i).is_some_and(Word::is_literal);
    let reading = match coursebook_commands::read(table, &texts, literal) {
        Ok(reading) => reading,
        Err(Stop::UnknownCommand { word, parent }) => {
            problems.push(Problem::UnknownCommand {
                span: words.get(word)?.span.clone(),
                word: values.get(word)?.clone(),
                parent,
            });
            return None;
        }
        Err(Stop::NotLiteral) => return None,
    };
    for problem in reading.problems.iter().filter(|p| p.plausible) {
        if let Some(word) = words.get(problem.word) {
            problems.push(unknown_flag(word, &problem.flag, reading.spec));
        }
    }
    Some(Invocation {
        spec: reading.spec,
        flags: reading
            .flags
            .iter()
            .filter_map(|f| {
                Some(FlagUse {
                    name: f.flag.name.as_str(),
                    value: f.value.clone(),
                    word: words.get(f.word)?,
                })
            })
            .collect(),
        args: reading.args.iter().filter_map(|&i| words.get(i)).collect(),
    })
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
