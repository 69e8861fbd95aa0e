//! One command line read against a [`Table`] the way the program reads it (cobra and pflag,
//! getopt, urfave/cli): the command path, flags in every spelling (`--f=v`, `--f v`, `-n x`,
//! `-nx`, `-n=x`, `-it`, `-A=true`), positional arguments, `--`, and what the table does not know.
//! `coursebook check` and the quiz grader both read commands with this.

use crate::table::{Arity, Flag, Spec, Style, Table};

/// A command line, read.
#[derive(Debug)]
pub struct Reading<'t> {
    /// The resolved command (`create deployment`; the root when there are no subcommands).
    pub spec: &'t Spec,
    /// Indices of the words that name the command path.
    pub path: Vec<usize>,
    /// The flags given, in order.
    pub flags: Vec<FlagUse<'t>>,
    /// Indices of the positional arguments before `--`.
    pub args: Vec<usize>,
    /// Index of the `--` word, if any (the words after it are arguments, unread).
    pub rest: Option<usize>,
    /// Flags the table does not know, in order.
    pub problems: Vec<UnknownFlag>,
}

/// A flag on the command line.
#[derive(Debug, Clone)]
pub struct FlagUse<'t> {
    /// The table's flag.
    pub flag: &'t Flag,
    /// Its value, when one was given (attached, or the next word for a flag that takes one).
    pub value: Option<String>,
    /// The index of the word it is written in.
    pub word: usize,
}

/// A flag word the table does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFlag {
    /// The index of the word.
    pub word: usize,
    /// The flag as written (`--bogus`, `-x`).
    pub flag: String,
    /// Whether it looks like a flag name (`--bogus`, `-x`), rather than `--$X` or `---x`.
    pub plausible: bool,
    /// For a program whose flags go on one side of the command only (crictl): the flag exists
    /// on the other side.
    pub misplaced: bool,
}

/// Why a command line could not be read.
#[derive(Debug, Clone)]
pub enum Stop<'t> {
    /// `word` is not a subcommand of `parent`.
    UnknownCommand {
        /// The word's index.
        word: usize,
        /// The command it should be a subcommand of.
        parent: &'t Spec,
    },
    /// A word that is not literal (`$VERB`, `<placeholder>`) stands where a subcommand should.
    NotLiteral,
}

/// Reads `words` (the words after the program's name) against `table`. `literal(i)` says
/// whether word `i` is known text (a shell variable is not).
pub fn read<'t>(
    table: &'t Table,
    words: &[&str],
    literal: impl Fn(usize) -> bool,
) -> Result<Reading<'t>, Stop<'t>> {
    let (spec, path) = resolve(table, words, literal)?;
    let reader = Reader {
        table,
        spec,
        command_at: path.last().copied(),
    };
    let mut reading = Reading {
        spec,
        path,
        flags: Vec::new(),
        args: Vec::new(),
        rest: None,
        problems: Vec::new(),
    };
    let mut i = 0;
    while let Some(word) = words.get(i).copied() {
        i += 1;
        if reading.path.contains(&(i - 1)) {
            continue;
        }
        if word == "--" {
            reading.rest = Some(i - 1);
            break;
        }
        if word.len() > 1 && word.starts_with('-') {
            i += reader.flag(i - 1, word, words.get(i).copied(), &mut reading);
        } else {
            reading.args.push(i - 1);
        }
    }
    Ok(reading)
}

/// Finds the command path: the subcommand words, skipping flags (and their values).
fn resolve<'t>(
    table: &'t Table,
    words: &[&str],
    literal: impl Fn(usize) -> bool,
) -> Result<(&'t Spec, Vec<usize>), Stop<'t>> {
    let mut spec = table.root();
    let mut path = Vec::new();
    let mut i = 0;
    while spec.is_group() {
        let Some(word) = words.get(i).copied() else {
            break;
        };
        if word == "--" {
            break;
        }
        if word.len() > 1 && word.starts_with('-') {
            let reader = Reader {
                table,
                spec,
                command_at: Some(usize::MAX),
            };
            i += 1 + usize::from(reader.takes_next_word(word, i));
            continue;
        }
        if !literal(i) {
            return Err(Stop::NotLiteral);
        }
        let Some(child) = table.child(spec, word) else {
            return Err(Stop::UnknownCommand {
                word: i,
                parent: spec,
            });
        };
        spec = child;
        path.push(i);
        i += 1;
    }
    Ok((spec, path))
}

struct Reader<'t> {
    table: &'t Table,
    spec: &'t Spec,
    /// The index of the last command-path word (for programs that split their flags).
    command_at: Option<usize>,
}

impl<'t> Reader<'t> {
    /// The flags that apply at word `at`: for a split program, the program's before the
    /// command and the command's own after it; otherwise both, the command's first.
    fn lookup(&self, at: usize, find: impl Fn(&'t [Flag]) -> Option<&'t Flag>) -> Lookup<'t> {
        let own = find(self.spec.flags());
        let global = find(self.table.global_flags());
        match self.table.style {
            Style::Anywhere => own.or(global).map_or(Lookup::Unknown, Lookup::Found),
            Style::Split => {
                let before = self.command_at.is_none_or(|c| at < c);
                let (here, there) = if before { (global, own) } else { (own, global) };
                match (here, there) {
                    (Some(flag), _) => Lookup::Found(flag),
                    (None, Some(_)) => Lookup::Misplaced,
                    (None, None) => Lookup::Unknown,
                }
            }
        }
    }

    fn long(&self, at: usize, name: &str) -> Lookup<'t> {
        let split = self.table.style == Style::Split;
        self.lookup(at, |flags: &'t [Flag]| {
            flags.iter().find(|f| {
                (f.name == name && !f.short_only)
                    || (split && name.chars().count() == 1 && f.short == name.chars().next())
            })
        })
    }

    fn short(&self, at: usize, c: char) -> Lookup<'t> {
        self.lookup(at, |flags: &'t [Flag]| {
            flags.iter().find(|f| f.short == Some(c))
        })
    }

    /// Whether the flag word at `at` takes the next word as its value.
    fn takes_next_word(&self, word: &str, at: usize) -> bool {
        if let Some(long) = self.long_body(word, at) {
            return !long.contains('=')
                && matches!(self.long(at, long), Lookup::Found(f) if f.arity == Arity::Value);
        }
        let shorts: Vec<char> = word.chars().skip(1).collect();
        for (j, c) in shorts.iter().enumerate() {
            match self.short(at, *c) {
                Lookup::Found(f) if f.arity == Arity::Boolean => {}
                Lookup::Found(f) if f.arity == Arity::Value => return j + 1 == shorts.len(),
                _ => return false,
            }
        }
        false
    }

    /// The text after the dashes when `word` is one long flag: `--name[=v]`, and for a split
    /// program (Go's flag package) `-name[=v]` when `name` is a flag.
    fn long_body<'w>(&self, word: &'w str, at: usize) -> Option<&'w str> {
        if let Some(body) = word.strip_prefix("--") {
            return Some(body);
        }
        let body = word.strip_prefix('-')?;
        let name = body.split_once('=').map_or(body, |(n, _)| n);
        let split = self.table.style == Style::Split && name.chars().count() > 1;
        (split && matches!(self.long(at, name), Lookup::Found(_))).then_some(body)
    }

    /// Reads the flag word at `at` into `reading`; returns how many following words it took
    /// as its value (0 or 1).
    fn flag(&self, at: usize, word: &str, next: Option<&str>, reading: &mut Reading<'t>) -> usize {
        let Some(long) = self.long_body(word, at) else {
            return self.shorts(at, word, next, reading);
        };
        let (name, inline) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (long, None),
        };
        let flag = match self.long(at, name) {
            Lookup::Found(flag) => flag,
            lookup => {
                let dashes = &word[..word.len() - long.len()];
                reading.problems.push(UnknownFlag {
                    word: at,
                    flag: format!("{dashes}{name}"),
                    plausible: is_flag_name(name),
                    misplaced: matches!(lookup, Lookup::Misplaced),
                });
                return 0;
            }
        };
        let consumes = inline.is_none() && flag.arity == Arity::Value && next.is_some();
        let value = inline.or_else(|| next.filter(|_| consumes).map(str::to_owned));
        reading.flags.push(FlagUse {
            flag,
            value,
            word: at,
        });
        usize::from(consumes)
    }

    /// `-n x`, `-nx`, `-n=x`, `-it`, `-A=true`: shorthands, booleans first and at most one with
    /// a value.
    fn shorts(
        &self,
        at: usize,
        word: &str,
        next: Option<&str>,
        reading: &mut Reading<'t>,
    ) -> usize {
        for (j, c) in word.char_indices().skip(1) {
            let rest = &word[j + c.len_utf8()..];
            let flag = match self.short(at, c) {
                Lookup::Found(flag) => flag,
                lookup => {
                    reading.problems.push(UnknownFlag {
                        word: at,
                        flag: format!("-{c}"),
                        plausible: c.is_ascii_alphanumeric(),
                        misplaced: matches!(lookup, Lookup::Misplaced),
                    });
                    return 0;
                }
            };
            if flag.arity == Arity::Boolean {
                let value = rest.strip_prefix('=').map(str::to_owned);
                let done = value.is_some();
                reading.flags.push(FlagUse {
                    flag,
                    value,
                    word: at,
                });
                if done {
                    return 0;
                }
                continue;
            }
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            let consumes = rest.is_empty() && flag.arity == Arity::Value && next.is_some();
            let value = if rest.is_empty() {
                next.filter(|_| consumes).map(str::to_owned)
            } else {
                Some(rest.to_owned())
            };
            reading.flags.push(FlagUse {
                flag,
                value,
                word: at,
            });
            return usize::from(consumes);
        }
        0
    }
}

enum Lookup<'t> {
    Found(&'t Flag),
    /// Known, but on the other side of the command (split programs).
    Misplaced,
    Unknown,
}

/// A word a program would read as a flag name (not `--$X`, `---x` or `-1`).
fn is_flag_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBECTL: &str = "program\tkubectl\t\nstyle\tcobra\nglobal\tn|namespace= v|v=0\n\
        command\tget\t\tA|all-namespaces o|output= w|watch l|selector=\n\
        command\texec\t\ti|stdin t|tty c|container=\n\
        command\tcreate\t\tdry-run?none\ncommand\tcreate deployment\tdeploy\timage= dry-run?none\n";

    const CRICTL: &str =
        "program\tcrictl\t\nstyle\turfave\nglobal\tr|runtime-endpoint= v|version\n\
        command\tps\t\ta|all v|verbose n|last=0\n";

    fn read_line<'t>(table: &'t Table, line: &str) -> Result<Reading<'t>, Stop<'t>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        read(table, &words, |_| true)
    }

    fn flags(reading: &Reading<'_>) -> Vec<(String, Option<String>)> {
        reading
            .flags
            .iter()
            .map(|f| (f.flag.name.clone(), f.value.clone()))
            .collect()
    }

    fn named(name: &str, value: Option<&str>) -> (String, Option<String>) {
        (name.to_owned(), value.map(str::to_owned))
    }

    #[test]
    fn every_spelling_of_a_flag_reads_the_same() {
        let table = Table::parse(KUBECTL);
        for line in [
            "get pods -n kube-system -o wide",
            "get pods --namespace kube-system --output=wide",
            "get pods -nkube-system -owide",
            "get pods -n=kube-system -o=wide",
            "-n kube-system get pods -o wide",
        ] {
            let Ok(reading) = read_line(&table, line) else {
                panic!("{line}");
            };
            assert_eq!(reading.spec.path, "get", "{line}");
            assert_eq!(
                flags(&reading),
                [
                    named("namespace", Some("kube-system")),
                    named("output", Some("wide"))
                ],
                "{line}"
            );
            assert!(reading.problems.is_empty(), "{line}");
        }
    }

    #[test]
    fn clusters_booleans_with_values_and_rest() {
        let table = Table::parse(KUBECTL);
        let Ok(reading) = read_line(&table, "exec -it -A=true pod1 -- ping -c 3") else {
            panic!("exec");
        };
        assert_eq!(reading.spec.path, "exec");
        assert_eq!(flags(&reading), [named("stdin", None), named("tty", None)]);
        assert_eq!(reading.args, [3]);
        assert_eq!(reading.rest, Some(4));
        assert_eq!(reading.problems.len(), 1, "-A is not a flag of exec");
        let Ok(get) = read_line(&table, "get pods -A=false -w=true") else {
            panic!("get");
        };
        assert_eq!(
            flags(&get),
            [
                named("all-namespaces", Some("false")),
                named("watch", Some("true"))
            ]
        );
        let Ok(create) = read_line(&table, "create deploy web --image=nginx --dry-run -o yaml")
        else {
            panic!("create");
        };
        assert_eq!(create.spec.path, "create deployment");
        assert_eq!(create.args, [2, 6]);
        assert_eq!(
            create.problems.len(),
            1,
            "-o is not a flag of create deployment"
        );
    }

    #[test]
    fn unknown_flags_and_commands_are_reported() {
        let table = Table::parse(KUBECTL);
        let Ok(reading) = read_line(
            &table,
            "get pods --n kube-system ---namespace=x --o wide -x",
        ) else {
            panic!("get");
        };
        let got: Vec<(&str, bool)> = reading
            .problems
            .iter()
            .map(|p| (p.flag.as_str(), p.plausible))
            .collect();
        assert_eq!(
            got,
            [
                ("--n", true),
                ("---namespace", false),
                ("--o", true),
                ("-x", true)
            ]
        );
        assert!(matches!(
            read_line(&table, "gte pods"),
            Err(Stop::UnknownCommand { word: 0, .. })
        ));
        let words = ["$VERB", "pods"];
        assert!(matches!(
            read(&table, &words, |i| i != 0),
            Err(Stop::NotLiteral)
        ));
    }

    #[test]
    fn split_programs_take_global_flags_before_the_command_only() {
        let table = Table::parse(CRICTL);
        let Ok(reading) = read_line(&table, "-r unix:///run/c.sock ps -a -v --last 5") else {
            panic!("ps");
        };
        assert_eq!(
            flags(&reading),
            [
                named("runtime-endpoint", Some("unix:///run/c.sock")),
                named("all", None),
                named("verbose", None),
                named("last", Some("5"))
            ]
        );
        let Ok(wrong) = read_line(&table, "-a ps") else {
            panic!("-a ps");
        };
        assert_eq!(wrong.spec.path, "ps");
        assert_eq!(
            wrong.problems,
            [UnknownFlag {
                word: 0,
                flag: "-a".into(),
                plausible: true,
                misplaced: true
            }]
        );
        let Ok(go) = read_line(&table, "ps -all -last=2") else {
            panic!("go spelling");
        };
        assert_eq!(flags(&go), [named("all", None), named("last", Some("2"))]);
    }
}
