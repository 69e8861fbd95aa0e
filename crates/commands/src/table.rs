//! One program's table (its commands, flags, grading hints and, for kubectl, resource types):
//! the text format of `data/*.txt` parsed into lookups, and written back as the subset a quiz
//! question needs.

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

/// How a flag's default is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagDefault {
    /// The value the flag has when it is not given (`false` for most booleans).
    Known(String),
    /// None is recorded (a path, a list, or nothing).
    Unknown,
    /// It depends on other flags (`kubectl run --attach`), so no spelling of it is neutral.
    Depends,
}

/// One flag of a command (or of the program).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Its long name (for a shorthand-only flag, the shorthand).
    pub name: String,
    /// Its one-letter shorthand.
    pub short: Option<char>,
    /// Whether it takes a value.
    pub arity: Arity,
    /// Its default.
    pub default: FlagDefault,
    /// Written only as its shorthand (`systemctl -P NAME`): `--P` is not a flag.
    pub short_only: bool,
}

impl Flag {
    /// One spec of a record (`n|namespace=`, `watch+`, `-P=`, `dry-run?none`).
    fn parse(spec: &str) -> Option<Flag> {
        let (short, long, short_only) = if let Some(rest) = spec.strip_prefix('-') {
            (rest.chars().next(), rest, true)
        } else {
            match spec.split_once('|') {
                Some((short, long)) => (short.chars().next(), long, false),
                None => (None, spec, false),
            }
        };
        let cut = long.find(['=', '?', '+', '!']).unwrap_or(long.len());
        let (name, suffix) = long.split_at(cut);
        let known = |value: &str| {
            if value.is_empty() {
                FlagDefault::Unknown
            } else {
                FlagDefault::Known(value.to_owned())
            }
        };
        let (arity, default) = match suffix.chars().next() {
            None => (Arity::Boolean, FlagDefault::Known("false".to_owned())),
            Some('+') => (Arity::Boolean, FlagDefault::Known("true".to_owned())),
            Some('!') => (Arity::Boolean, FlagDefault::Depends),
            Some('=') => (Arity::Value, known(&suffix[1..])),
            Some(_) => (Arity::Optional, known(&suffix[1..])),
        };
        (!name.is_empty()).then(|| Flag {
            name: name.to_owned(),
            short,
            arity,
            default,
            short_only,
        })
    }
}

fn parse_flags(specs: &str) -> Vec<Flag> {
    specs.split_whitespace().filter_map(Flag::parse).collect()
}

/// How a program places its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// cobra and getopt: any flag of the command or the program, anywhere.
    #[default]
    Anywhere,
    /// urfave/cli (crictl): the program's flags before the command, the command's own after it.
    Split,
}

/// One command (`create deployment`), or the program itself (path `""`).
#[derive(Debug, Default, Clone)]
pub struct Spec {
    /// The command's words after the program, space-separated.
    pub path: String,
    /// The program's name, for messages.
    program: String,
    flags: Vec<Flag>,
    /// Subcommand name or alias -> index of its spec.
    children: Vec<(String, usize)>,
    /// Subcommand names alone, for suggestions.
    child_names: Vec<String>,
    /// The record as written, for subsets.
    record: String,
}

impl Spec {
    /// Whether the command has subcommands.
    pub fn is_group(&self) -> bool {
        !self.children.is_empty()
    }

    /// `kubectl create deployment`, for messages.
    pub fn display(&self) -> String {
        if self.path.is_empty() {
            self.program.clone()
        } else {
            format!("{} {}", self.program, self.path)
        }
    }

    /// The names of its subcommands.
    pub fn subcommands(&self) -> &[String] {
        &self.child_names
    }

    /// Its own flags (not the program's).
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }
}

/// A kubectl resource type: its plural, API group and other names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `deployments`.
    pub plural: String,
    /// `apps` (`""` for the core group).
    pub group: String,
    /// `deployment`, `deploy`.
    pub names: Vec<String>,
    record: String,
}

/// One program's commands, flags and grading hints.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// The program (`kubectl`).
    pub program: String,
    /// Other names it is run by (`k`).
    pub aliases: Vec<String>,
    /// The release the table was made from.
    pub version: String,
    /// How it places its flags.
    pub style: Style,
    global: Vec<Flag>,
    commands: Vec<Spec>,
    /// Records written as they are into a subset (`style`, `global`, grading hints).
    kept: Vec<String>,
    neutral: Vec<String>,
    env: Vec<(String, String)>,
    env_prefix: String,
    values: Vec<(String, String)>,
    args: Vec<(String, String)>,
    resources: Vec<Resource>,
}

impl Table {
    /// Reads one program's table (the format of `data/*.txt`); records it does not know and
    /// damaged ones are skipped.
    pub fn parse(text: &str) -> Table {
        let mut table = Table::default();
        table.extend(text);
        table
    }

    /// Reads every table of `text`, each starting with its `program` record (the form
    /// [`Table::subset`] writes several of).
    pub fn parse_all(text: &str) -> Vec<Table> {
        let mut tables: Vec<Table> = Vec::new();
        let mut start = 0;
        for (at, _) in text.match_indices("program\t") {
            if at == 0 || text.as_bytes()[at - 1] == b'\n' {
                if at > start {
                    tables.push(Table::parse(&text[start..at]));
                }
                start = at;
            }
        }
        tables.push(Table::parse(&text[start..]));
        tables.retain(|t| !t.program.is_empty());
        tables
    }

    /// Adds the records of `text` (a second file of the same program, such as its resources).
    pub fn extend(&mut self, text: &str) {
        if self.commands.is_empty() {
            self.commands.push(Spec::default());
        }
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["program", name, aliases] => {
                    self.program = (*name).to_owned();
                    self.aliases = list(aliases, ',');
                    self.commands[0].program = self.program.clone();
                }
                ["version", version] => self.version = (*version).to_owned(),
                ["style", style] => {
                    self.style = if *style == "urfave" {
                        Style::Split
                    } else {
                        Style::Anywhere
                    };
                    self.kept.push(line.to_owned());
                }
                ["global", flags] => {
                    self.global = parse_flags(flags);
                    self.kept.push(line.to_owned());
                }
                ["command", path, aliases, flags] => self.add(path, aliases, flags, line),
                ["neutral", names] => {
                    self.neutral.extend(list(names, ' '));
                    self.kept.push(line.to_owned());
                }
                ["env", name, flag] => {
                    self.env.push(((*name).to_owned(), (*flag).to_owned()));
                    self.kept.push(line.to_owned());
                }
                ["env-prefix", prefix] => {
                    self.env_prefix = (*prefix).to_owned();
                    self.kept.push(line.to_owned());
                }
                ["values", kind, names] => {
                    for name in names.split_whitespace() {
                        self.values.push(((*kind).to_owned(), name.to_owned()));
                    }
                    self.kept.push(line.to_owned());
                }
                ["args", kind, paths] => {
                    for path in paths.split(',').filter(|p| !p.is_empty()) {
                        self.args.push(((*kind).to_owned(), path.to_owned()));
                    }
                    self.kept.push(line.to_owned());
                }
                ["resource", plural, group, names] => self.resources.push(Resource {
                    plural: (*plural).to_owned(),
                    group: (*group).to_owned(),
                    names: list(names, ','),
                    record: line.to_owned(),
                }),
                _ => {}
            }
        }
    }

    fn add(&mut self, path: &str, aliases: &str, flags: &str, record: &str) {
        let (parent, name) = path.rsplit_once(' ').unwrap_or(("", path));
        let index = self.commands.len();
        let Some(parent) = self.commands.iter_mut().find(|s| s.path == parent) else {
            return;
        };
        parent.child_names.push(name.to_owned());
        for alias in aliases.split(',').filter(|a| !a.is_empty()).chain([name]) {
            parent.children.push((alias.to_owned(), index));
        }
        self.commands.push(Spec {
            path: path.to_owned(),
            program: self.program.clone(),
            flags: parse_flags(flags),
            record: record.to_owned(),
            ..Spec::default()
        });
    }

    /// Whether `name` runs this program (its name or an alias).
    pub fn runs_as(&self, name: &str) -> bool {
        self.program == name || self.aliases.iter().any(|a| a == name)
    }

    /// The program itself.
    pub fn root(&self) -> &Spec {
        static EMPTY: Spec = Spec {
            path: String::new(),
            program: String::new(),
            flags: Vec::new(),
            children: Vec::new(),
            child_names: Vec::new(),
            record: String::new(),
        };
        self.commands.first().unwrap_or(&EMPTY)
    }

    /// The command at `path` (`""` for the program).
    pub fn command(&self, path: &str) -> Option<&Spec> {
        self.commands.iter().find(|s| s.path == path)
    }

    /// The subcommand `word` (a name or an alias) of `spec`.
    pub fn child(&self, spec: &Spec, word: &str) -> Option<&Spec> {
        let (_, index) = spec.children.iter().find(|(name, _)| name == word)?;
        self.commands.get(*index)
    }

    /// The program's own flags.
    pub fn global_flags(&self) -> &[Flag] {
        &self.global
    }

    /// The flag `--name` of `spec`: its own, then the program's.
    pub fn long_flag<'a>(&'a self, spec: &'a Spec, name: &str) -> Option<&'a Flag> {
        find_long(&spec.flags, name).or_else(|| find_long(&self.global, name))
    }

    /// The flag `-c` of `spec`: its own, then the program's.
    pub fn short_flag<'a>(&'a self, spec: &'a Spec, c: char) -> Option<&'a Flag> {
        find_short(&spec.flags, c).or_else(|| find_short(&self.global, c))
    }

    /// Every long flag name `spec` accepts, for suggestions.
    pub fn long_names<'a>(&'a self, spec: &'a Spec) -> impl Iterator<Item = &'a str> {
        spec.flags
            .iter()
            .chain(&self.global)
            .filter(|f| !f.short_only)
            .map(|f| f.name.as_str())
    }

    /// Whether an answer may add the program-level flag `name` to `spec` without changing what
    /// it does (`--kubeconfig`, `--endpoints`); a command's own flag of that name never is.
    pub fn is_neutral(&self, spec: &Spec, name: &str) -> bool {
        self.neutral.iter().any(|n| n == name) && find_long(&spec.flags, name).is_none()
    }

    /// What the environment variable `name` does: `Some("")` nothing that matters
    /// (`ETCDCTL_API`), `Some(flag)` what the flag does (`KUBECONFIG`, `ETCDCTL_CACERT`).
    pub fn env_flag(&self, name: &str) -> Option<String> {
        if let Some((_, flag)) = self.env.iter().find(|(n, _)| n == name) {
            return Some(flag.clone());
        }
        let rest = name.strip_prefix(self.env_prefix.as_str())?;
        if self.env_prefix.is_empty() || rest.is_empty() {
            return None;
        }
        Some(rest.to_ascii_lowercase().replace('_', "-"))
    }

    /// How values of the flag `name` compare (`selector`, `unit`, `jsonpath`), if specially.
    pub fn value_kind(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(_, flag)| flag == name)
            .map(|(kind, _)| kind.as_str())
    }

    /// How the arguments of the command at `path` compare (`unit`, `version`, or a resource
    /// plural whose `TYPE/NAME` is `NAME`), if specially.
    pub fn args_kind(&self, path: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(_, p)| p == path)
            .map(|(kind, _)| kind.as_str())
    }

    /// The resource type `word` names (its plural, a short name or its singular).
    pub fn resource(&self, word: &str) -> Option<&Resource> {
        self.resources
            .iter()
            .find(|r| r.plural == word || r.names.iter().any(|n| n == word))
    }

    /// This table cut down to the commands at `paths` (with the groups above them) and the
    /// resource types `resources`, in the same format: what the page needs to read the
    /// answers of one question and the learner's variations of them.
    pub fn subset<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p str>,
        resources: &[&str],
    ) -> String {
        let mut wanted: Vec<&str> = Vec::new();
        for path in paths {
            let mut path = path;
            while !path.is_empty() {
                wanted.push(path);
                path = path.rsplit_once(' ').map_or("", |(parent, _)| parent);
            }
        }
        let mut out = format!("program\t{}\t{}\n", self.program, self.aliases.join(","));
        for line in &self.kept {
            out.push_str(line);
            out.push('\n');
        }
        for spec in self.commands.iter().skip(1) {
            if wanted.contains(&spec.path.as_str()) {
                out.push_str(&spec.record);
                out.push('\n');
            }
        }
        for resource in &self.resources {
            if resources.contains(&resource.plural.as_str()) {
                out.push_str(&resource.record);
                out.push('\n');
            }
        }
        out
    }
}

fn list(text: &str, separator: char) -> Vec<String> {
    text.split(separator)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn find_long<'a>(flags: &'a [Flag], name: &str) -> Option<&'a Flag> {
    flags.iter().find(|f| f.name == name && !f.short_only)
}

fn find_short(flags: &[Flag], c: char) -> Option<&Flag> {
    flags.iter().find(|f| f.short == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# comment\nprogram\tkubectl\tk\nversion\tv1\nstyle\tcobra\n\
        global\tn|namespace= v|v=0 kubeconfig=\n\
        command\tget\t\tA|all-namespaces o|output= w|watch wait+ attach! dry-run?none\n\
        command\tcreate\t\tf|filename=\ncommand\tcreate deployment\tdeploy\timage= -P=\n\
        neutral\tkubeconfig v\nenv\tKUBECONFIG\tkubeconfig\nenv-prefix\tKCTL_\n\
        values\tselector\tselector field-selector\nargs\tpods\texec,logs\n\
        resource\tpods\t\tpod,po\nresource\tdeployments\tapps\tdeployment,deploy\njunk\n";

    #[test]
    fn records_parse_into_lookups() {
        let table = Table::parse(TEXT);
        assert_eq!(table.program, "kubectl");
        assert!(table.runs_as("k") && table.runs_as("kubectl") && !table.runs_as("kube"));
        let root = table.root();
        assert_eq!(root.display(), "kubectl");
        let Some(create) = table.child(root, "create") else {
            panic!("no create");
        };
        let Some(deploy) = table.child(create, "deploy") else {
            panic!("no alias");
        };
        assert_eq!(deploy.display(), "kubectl create deployment");
        let Some(get) = table.command("get") else {
            panic!("no get");
        };
        let flag = |name: &str| table.long_flag(get, name).cloned();
        assert_eq!(flag("watch").map(|f| f.arity), Some(Arity::Boolean));
        assert_eq!(
            flag("wait").map(|f| f.default),
            Some(FlagDefault::Known("true".into()))
        );
        assert_eq!(
            flag("attach").map(|f| f.default),
            Some(FlagDefault::Depends)
        );
        assert_eq!(
            flag("dry-run").map(|f| (f.arity, f.default)),
            Some((Arity::Optional, FlagDefault::Known("none".into())))
        );
        assert_eq!(
            flag("v").map(|f| f.default),
            Some(FlagDefault::Known("0".into()))
        );
        assert_eq!(
            table.short_flag(get, 'n').map(|f| f.name.as_str()),
            Some("namespace")
        );
        assert!(table.long_flag(deploy, "P").is_none(), "shorthand only");
        assert!(table.short_flag(deploy, 'P').is_some());
        assert!(table.is_neutral(get, "kubeconfig") && !table.is_neutral(get, "namespace"));
        assert_eq!(table.env_flag("KUBECONFIG").as_deref(), Some("kubeconfig"));
        assert_eq!(table.env_flag("KCTL_DRY_RUN").as_deref(), Some("dry-run"));
        assert_eq!(table.env_flag("HOME"), None);
        assert_eq!(table.value_kind("field-selector"), Some("selector"));
        assert_eq!(table.args_kind("logs"), Some("pods"));
        assert_eq!(
            table.resource("po").map(|r| r.plural.as_str()),
            Some("pods")
        );
        assert_eq!(
            table.resource("deploy").map(|r| r.group.as_str()),
            Some("apps")
        );
    }

    #[test]
    fn a_subset_reads_back_as_the_same_commands() {
        let table = Table::parse(TEXT);
        let text = table.subset(["create deployment"], &["deployments"]);
        let tables = Table::parse_all(&format!("{text}{}", Table::parse(TEXT).subset([], &[])));
        assert_eq!(tables.len(), 2);
        let small = &tables[0];
        assert!(small.command("get").is_none());
        let Some(deploy) = small.command("create deployment") else {
            panic!("no create deployment in {text}");
        };
        assert!(small.command("create").is_some(), "its group comes along");
        assert_eq!(
            small.long_flag(deploy, "namespace").map(|f| f.arity),
            Some(Arity::Value)
        );
        assert!(small.resource("deploy").is_some() && small.resource("po").is_none());
        assert!(small.is_neutral(deploy, "v"));
        assert_eq!(small.args_kind("exec"), Some("pods"));
        assert!(tables[1].command("create").is_none());
    }
}
