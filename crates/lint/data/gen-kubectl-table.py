#!/usr/bin/env python3
"""Regenerates kubectl-commands.txt, the table behind the kubectl-unknown-command and
kubectl-unknown-flag rules of `coursebook check`, from kubectl's own help.

Usage (from anywhere; needs a kubectl on PATH, or KUBECTL=/path/to/kubectl):

    python3 crates/lint/data/gen-kubectl-table.py

It runs `kubectl options` for the global flags and `kubectl <sub...> --help` for every command,
recursively (commands are read from the help's "... Commands:" sections), and writes the table
next to this script. Help never contacts a cluster, so no kubeconfig is needed. The output is
deterministic: commands and flags are sorted, and flag defaults (which can depend on $HOME) are
not recorded. Commit the table together with any change to this script.

Table format (plain text, one record per line, fields separated by a tab):

    # comments
    version<TAB><kubectl client version>
    global<TAB><flags>
    command<TAB><path words separated by spaces><TAB><aliases, comma separated><TAB><flags>

A command with subcommands is a group: a later record's path starts with its path. <flags> is a
space-separated list of `SPEC`s: `long` for a boolean flag, `long=` for a flag that takes a
value, `long?` for a flag whose value is optional (`--dry-run` alone means `--dry-run=client`),
each optionally prefixed by its one-letter shorthand and `|` (`n|namespace=`).
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

# `  -n, --namespace='':` or `    --watch=false:` on its own line, in an Options section.
FLAG_LINE = re.compile(r"^\s+(?:-(\w), )?--([\w-]+)=(.*):$")
# `  create          Create a resource ...` in a "... Commands:" section.
COMMAND_LINE = re.compile(r"^  ([a-z][\w-]*)\s")


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


def flag_spec(short, long, default):
    """The table's spelling of one flag."""
    if long in OPTIONAL_VALUE_FLAGS:
        kind = "?"
    elif default in ("true", "false"):
        kind = ""
    else:
        kind = "="
    return (f"{short}|" if short else "") + long + kind


def long_name(spec):
    """The long name of a spec, to sort by."""
    return spec.split("|")[-1].rstrip("=?")


def flags(lines):
    """The specs of every flag in an Options section."""
    specs = set()
    for line in lines:
        match = FLAG_LINE.match(line)
        if match:
            specs.add(flag_spec(*match.groups()))
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
        "# kubectl command table for `coursebook check`: generated by gen-kubectl-table.py",
        "# from kubectl's own help. Do not edit; run the script again (see its header).",
        f"version\t{version}",
        "global\t" + " ".join(global_flags),
    ]
    for path, alias_list, specs in sorted(records):
        if path:
            out.append("command\t" + " ".join(path) + "\t" + ",".join(alias_list) + "\t"
                       + " ".join(specs))
    with open(OUT, "w", encoding="utf-8") as table:
        table.write("\n".join(out) + "\n")
    print(f"wrote {len(records) - 1} commands to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
