#!/usr/bin/env python3
"""Regenerates kubectl-commands.txt, the kubectl table of coursebook-commands: what
`coursebook check` (the kubectl-unknown-command and kubectl-unknown-flag rules) and the quiz
grader (command questions) know about kubectl's commands and flags. Read from kubectl's own help.

Usage (from anywhere; needs a kubectl on PATH, or KUBECTL=/path/to/kubectl):

    python3 crates/commands/data/gen-kubectl-table.py

It runs `kubectl options` for the global flags and `kubectl <sub...> --help` for every command,
recursively (commands are read from the help's "... Commands:" sections), and writes the table
next to this script. Help never contacts a cluster, so no kubeconfig is needed. The output is
deterministic: commands and flags are sorted, and defaults that can depend on the machine
(paths, lists) are not recorded. Commit the table together with any change to this script.

The format is described in crates/commands/README.md. In short: tab-separated records,

    program<TAB>kubectl<TAB>k
    version<TAB><kubectl client version>
    style<TAB>cobra
    global<TAB><flags>
    command<TAB><path words separated by spaces><TAB><aliases, comma separated><TAB><flags>
    neutral<TAB><flag names>            (grading: flags an answer may add)
    env<TAB><NAME><TAB><flag>           (grading: a variable that sets a flag)
    values<TAB><kind><TAB><flag names>  (grading: how values compare)
    args<TAB><kind><TAB><command paths> (grading: how arguments compare)

and <flags> is a space-separated list of specs, each optionally prefixed by its one-letter
shorthand and `|`: `long` a boolean that defaults to false, `long+` one that defaults to true,
`long!` one whose default depends on other flags, `long=` a flag that takes a value, `long=D`
one whose default is D, `long?` a flag whose value is optional (`--dry-run` alone),
`long?D` the same with default D.

The grading records are the hand-chosen constants below, not read from help.
"""

import os
import re
import subprocess
import sys

KUBECTL = os.environ.get("KUBECTL", "kubectl")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kubectl-commands.txt")

# Commands that exist but that `kubectl --help` does not list: cobra's `help`, and `options`.
HIDDEN_ROOT_COMMANDS = ["help", "options"]

# Flags whose value is optional (pflag's NoOptDefVal). Help prints them like any value flag, so
# they are named here; a following word is then an argument, not the flag's value.
# Checked with: kubectl create deployment x --image=n --dry-run -o yaml  (prints YAML).
OPTIONAL_VALUE_FLAGS = {"dry-run", "validate", "cascade"}

# Flags that change how kubectl reaches the cluster, whom it logs in as through the
# kubeconfig, or how much it logs, never what the command does: an answer may add them.
# (`--as` and `--as-group` change the identity the request is authorised as: not neutral.)
NEUTRAL_FLAGS = [
    "cache-dir", "certificate-authority", "client-certificate", "client-key", "cluster",
    "context", "disable-compression", "kubeconfig", "log-flush-frequency",
    "match-server-version", "password", "profile", "profile-output", "request-timeout",
    "server", "tls-server-name", "token", "user", "username", "v", "vmodule",
    "warnings-as-errors",
]

# Environment variables that set a flag.
ENV_FLAGS = [("KUBECONFIG", "kubeconfig")]

# Flags whose values are label or field selectors (`a=b,c in (d)`), or JSONPath (`{.a}`).
VALUE_KINDS = [
    ("selector", ["field-selector", "pod-selector", "selector"]),
    ("jsonpath", ["sort-by"]),
]

# Commands whose arguments name objects of one type, so that `TYPE/NAME` is NAME.
ARG_KINDS = [
    ("pods", ["attach", "exec", "logs", "port-forward", "top pod"]),
    ("nodes", ["cordon", "drain", "top node", "uncordon"]),
    ("certificatesigningrequests", ["certificate approve", "certificate deny"]),
]

# `  -n, --namespace='':` or `    --watch=false:` on its own line, in an Options section.
FLAG_LINE = re.compile(r"^\s+(?:-(\w), )?--([\w-]+)=(.*):$")
# `  create          Create a resource ...` in a "... Commands:" section.
COMMAND_LINE = re.compile(r"^  ([a-z][\w-]*)\s")
# "Default is 'TCP'." in a flag's description, when its declared default is empty.
DEFAULT_IN_TEXT = re.compile(r"Default is '([^']+)'")
# A description that makes the default depend on other flags.
CONDITIONAL_DEFAULT = re.compile(r"\bdefaults?\b[^.]*\b(unless|otherwise|when|if)\b", re.I)


def run(args):
    """kubectl's output for `args`, with no kubeconfig so nothing is ever contacted."""
    env = dict(os.environ, KUBECONFIG=os.devnull, LC_ALL="C")
    result = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env,
                            timeout=60, check=False)
    return result.stdout


def sections(text):
    """{header: [lines]} for every `Header:` line that starts a section of the help."""
    found, current = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            current = line[:-1]
            found.setdefault(current, [])
        elif current is not None:
            found[current].append(line)
    return found


def portable_default(value):
    """The default as the table records it, or None when it may differ between machines."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1]
    if not value or value == "[]" or any(c in value for c in " \t/~$[]"):
        return None
    return value


def flag_spec(short, long, default, description):
    """The table's spelling of one flag."""
    conditional = CONDITIONAL_DEFAULT.search(description) is not None
    if default in ("true", "false"):
        kind = "!" if conditional else ("+" if default == "true" else "")
    else:
        value = None if conditional else portable_default(default)
        if value is None and not conditional:
            match = DEFAULT_IN_TEXT.search(description)
            value = match.group(1) if match else None
        kind = ("?" if long in OPTIONAL_VALUE_FLAGS else "=") + (value or "")
    return (f"{short}|" if short else "") + long + kind


def long_name(spec):
    """The long name of a spec, to sort by."""
    return re.split(r"[=?+!]", spec.split("|")[-1])[0]


def flags(lines):
    """The specs of every flag in an Options section (each line, then its description)."""
    specs = set()
    for i, line in enumerate(lines):
        match = FLAG_LINE.match(line)
        if match:
            description = lines[i + 1].strip() if i + 1 < len(lines) else ""
            specs.add(flag_spec(*match.groups(), description))
    return specs


def subcommands(help_sections, is_root):
    """The names listed under every "... Commands" header."""
    names = set(HIDDEN_ROOT_COMMANDS) if is_root else set()
    for header, lines in help_sections.items():
        if "Commands" in header:
            names.update(m.group(1) for m in map(COMMAND_LINE.match, lines) if m)
    return names


def aliases(help_sections, name):
    """Other names of the command, from its "Aliases" section (which repeats the name)."""
    words = " ".join(help_sections.get("Aliases", [])).replace(",", " ").split()
    return sorted(set(words) - {name})


def walk(path, records):
    """Adds the record of `kubectl <path>` and of every command below it."""
    help_sections = sections(run([*path, "--help"]))
    specs = flags(help_sections.get("Options", [])) | {"h|help"}
    name = path[-1] if path else "kubectl"
    records.append((path, aliases(help_sections, name), sorted(specs, key=long_name)))
    for sub in sorted(subcommands(help_sections, not path)):
        walk([*path, sub], records)


def main():
    # `Client Version: v1.32.4-dispatcher`: keep the release, not a distribution's build suffix.
    client = run(["version", "--client"]).splitlines()[0].split(":", 1)[1].strip()
    version = re.match(r"v\d+\.\d+\.\d+", client).group(0)
    global_flags = sorted(flags(run(["options"]).splitlines()), key=long_name)
    records = []
    walk([], records)
    out = [
        "# kubectl command table of coursebook-commands: generated by gen-kubectl-table.py",
        "# from kubectl's own help. Do not edit; run the script again (see its header).",
        "program\tkubectl\tk",
        f"version\t{version}",
        "style\tcobra",
        "global\t" + " ".join(global_flags),
    ]
    for path, alias_list, specs in sorted(records):
        if path:
            out.append("command\t" + " ".join(path) + "\t" + ",".join(alias_list) + "\t"
                       + " ".join(specs))
    out.append("neutral\t" + " ".join(sorted(NEUTRAL_FLAGS)))
    out.extend(f"env\t{name}\t{flag}" for name, flag in ENV_FLAGS)
    out.extend(f"values\t{kind}\t" + " ".join(names) for kind, names in VALUE_KINDS)
    out.extend(f"args\t{kind}\t" + ",".join(paths) for kind, paths in ARG_KINDS)
    with open(OUT, "w", encoding="utf-8") as table:
        table.write("\n".join(out) + "\n")
    print(f"wrote {len(records) - 1} commands to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
