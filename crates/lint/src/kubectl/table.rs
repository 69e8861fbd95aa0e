//! The table of kubectl's commands and flags, generated from kubectl's own help by
//! `data/gen-kubectl-table.py` and embedded in the binary; parsed once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The generated table, as committed.
const TABLE_TEXT: &str = include_str!("../../data/kubectl-commands.txt");

/// The table, parsed on first use.
pub static TABLE: LazyLock<Table> = LazyLock::new(|| Table::parse(TABLE_TEXT));

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// `--watch`: no value (`--watch=false` is allowed too).
    Boolean,
    /// `--namespace x` or `--namespace=x`.
    Value,
    /// `--dry-run` alone or `--dry-run=client`; never the next word.
    Optional,
}

/// The flags of one command (or the global ones).
#[derive(Debug, Default)]
pub struct Flags {
    long: BTreeMap<String, Arity>,
    short: BTreeMap<char, String>,
}

impl Flags {
    fn parse(specs: &str) -> Self {
        let mut flags = Flags::default();
        for spec in specs.split_whitespace() {
            let (short, long) = match spec.split_once('|') {
                Some((short, long)) => (short.chars().next(), long),
                None => (None, spec),
            };
            let (name, arity) = if let Some(name) = long.strip_suffix('=') {
                (name, Arity::Value)
            } else if let Some(name) = long.strip_suffix('?') {
                (name, Arity::Optional)
            } else {
                (long, Arity::Boolean)
            };
            flags.long.insert(name.to_owned(), arity);
            if let Some(short) = short {
                flags.short.insert(short, name.to_owned());
            }
        }
        flags
    }
}

/// One command of kubectl (`create deployment`), or the root (path `""`).
#[derive(Debug, Default)]
pub struct Spec {
    /// The command's words after `kubectl`, space-separated.
    pub path: String,
    flags: Flags,
    /// Subcommand name or alias -> its path.
    children: BTreeMap<String, String>,
    /// Subcommand names alone, for suggestions.
    child_names: Vec<String>,
}

impl Spec {
    /// Whether the command has subcommands.
    pub fn is_group(&self) -> bool {
        !self.children.is_empty()
    }

    /// `kubectl create deployment`, for messages.
    pub fn display(&self) -> String {
        if self.path.is_empty() {
            "kubectl".to_owned()
        } else {
            format!("kubectl {}", self.path)
        }
    }

    /// The names of its subcommands.
    pub fn subcommands(&self) -> &[String] {
        &self.child_names
    }
}

/// kubectl's commands and flags.
#[derive(Debug, Default)]
pub struct Table {
    /// The kubectl version the table was generated from.
    pub version: String,
    global: Flags,
    commands: BTreeMap<String, Spec>,
}

impl Table {
    /// Reads the table's text format (described in the generator's header).
    pub fn parse(text: &str) -> Self {
        let mut table = Table::default();
        table.commands.insert(String::new(), Spec::default());
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["version", version] => table.version = (*version).to_owned(),
                ["global", flags] => table.global = Flags::parse(flags),
                ["command", path, aliases, flags] => table.add(path, aliases, flags),
                _ => {}
            }
        }
        table
    }

    fn add(&mut self, path: &str, aliases: &str, flags: &str) {
        let (parent, name) = path.rsplit_once(' ').unwrap_or(("", path));
        if let Some(parent) = self.commands.get_mut(parent) {
            parent.child_names.push(name.to_owned());
            for alias in aliases.split(',').filter(|a| !a.is_empty()).chain([name]) {
                parent.children.insert(alias.to_owned(), path.to_owned());
            }
        }
        let spec = Spec {
            path: path.to_owned(),
            flags: Flags::parse(flags),
            ..Spec::default()
        };
        self.commands.insert(path.to_owned(), spec);
    }

    /// `kubectl` itself.
    pub fn root(&self) -> &Spec {
        static EMPTY: LazyLock<Spec> = LazyLock::new(Spec::default);
        self.commands.get("").unwrap_or(&EMPTY)
    }

    /// The subcommand `word` (a name or an alias) of `spec`.
    pub fn child(&self, spec: &Spec, word: &str) -> Option<&Spec> {
        self.commands.get(spec.children.get(word)?)
    }

    /// The arity of long flag `name` for `spec`: its own flags, then the global ones.
    pub fn long_flag(&self, spec: &Spec, name: &str) -> Option<Arity> {
        spec.flags
            .long
            .get(name)
            .or_else(|| self.global.long.get(name))
            .copied()
    }

    /// The long name and arity of shorthand `c` for `spec`.
    pub fn short_flag<'a>(&'a self, spec: &'a Spec, c: char) -> Option<(&'a str, Arity)> {
        let long = spec
            .flags
            .short
            .get(&c)
            .or_else(|| self.global.short.get(&c))?;
        Some((long, self.long_flag(spec, long)?))
    }

    /// Every long flag name `spec` accepts, for suggestions.
    pub fn long_names<'a>(&'a self, spec: &'a Spec) -> impl Iterator<Item = &'a str> {
        spec.flags
            .long
            .keys()
            .chain(self.global.long.keys())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_has_kubectls_commands_and_flags() {
        let table = &*TABLE;
        assert!(table.version.starts_with("v1."), "{}", table.version);
        let root = table.root();
        assert!(root.is_group());
        let create = table.child(root, "create").map(|s| s.path.as_str());
        assert_eq!(create, Some("create"));
        let Some(create) = table.child(root, "create") else {
            return;
        };
        let deploy = table.child(create, "deploy").map(|s| s.path.as_str());
        assert_eq!(deploy, Some("create deployment"));
        let Some(get) = table.child(root, "get") else {
            panic!("no get");
        };
        assert_eq!(table.long_flag(get, "watch"), Some(Arity::Boolean));
        assert_eq!(table.long_flag(get, "namespace"), Some(Arity::Value));
        assert_eq!(table.short_flag(get, 'o'), Some(("output", Arity::Value)));
        assert_eq!(table.short_flag(get, 'h'), Some(("help", Arity::Boolean)));
        assert_eq!(table.long_flag(get, "bogus"), None);
        let Some(run) = table.child(root, "run") else {
            panic!("no run");
        };
        assert_eq!(table.long_flag(run, "dry-run"), Some(Arity::Optional));
        assert_eq!(table.long_flag(run, "rm"), Some(Arity::Boolean));
    }

    #[test]
    fn a_damaged_table_parses_to_what_it_can() {
        let table =
            Table::parse("junk\ncommand\tget\nglobal\tn|namespace=\ncommand\tget\t\tw|watch\n");
        let Some(get) = table.child(table.root(), "get") else {
            panic!("no get");
        };
        assert_eq!(
            table.short_flag(get, 'n'),
            Some(("namespace", Arity::Value))
        );
        assert_eq!(table.short_flag(get, 'w'), Some(("watch", Arity::Boolean)));
    }
}
