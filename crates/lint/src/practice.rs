//! Cluster practice: systemctl/journalctl on kubeadm's static-pod components, legacy package versions with pkgs.k8s.io.
//!
//! Both rules read the simple commands of shell snippets (the manifest family's small scanner:
//! quotes, comments and heredoc bodies are not commands).

use std::sync::LazyLock;

use regex::Regex;

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::shell_scan::{self, Heredoc, ShellScan, Word};
use crate::manifest::yaml::Source;
use crate::manifest::Finding;
use coursebook_site::markdown::fence;

/// `systemctl-static-pod`.
pub(crate) const SYSTEMCTL_STATIC_POD: Rule = Rule {
    id: "systemctl-static-pod",
    family: "practice",
    severity: Severity::Error,
    summary: "systemctl/journalctl on a control-plane component that kubeadm runs as a static pod",
};

/// `legacy-package-version`.
pub(crate) const LEGACY_PACKAGE_VERSION: Rule = Rule {
    id: "legacy-package-version",
    family: "practice",
    severity: Severity::Error,
    summary:
        "a package version string of the shut-down apt.kubernetes.io/yum.kubernetes.io repositories",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[SYSTEMCTL_STATIC_POD, LEGACY_PACKAGE_VERSION];

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for snippet in cx.snippets() {
        if !fence::is_shell(snippet.lang()) {
            continue;
        }
        let mut findings = check_scan(snippet.code(), snippet.scan(), 0);
        findings.sort_by_key(|finding| finding.range.start);
        for finding in findings {
            let diagnostic = finding.into_diagnostic(&snippet);
            snippet.report(out, diagnostic);
        }
    }
}

/// Every finding of this family in a code block of language `lang`.
#[cfg(test)]
pub(crate) fn check_code(code: &str, lang: &str) -> Vec<Finding> {
    if !fence::is_shell(lang) {
        return Vec::new();
    }
    let mut out = check_shell(code, fence::is_transcript(lang, code), 0);
    out.sort_by_key(|finding| finding.range.start);
    out
}

/// How deep scripts written by heredocs inside scripts are followed.
const MAX_SCRIPT_DEPTH: usize = 2;

/// The findings in shell `code`, and in the scripts its heredocs write or run.
fn check_shell(code: &str, console: bool, depth: usize) -> Vec<Finding> {
    check_scan(code, &shell_scan::scan(code, console), depth)
}

/// The findings in shell `code` whose scan is `scan`, and in its heredoc scripts.
fn check_scan(code: &str, scan: &ShellScan, depth: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    for command in scan.commands() {
        static_pod_units(command, &mut out);
    }
    for word in scan.lines.iter().flatten() {
        legacy_version(word, &mut out);
    }
    if depth < MAX_SCRIPT_DEPTH {
        // Many heredocs can share one command line: judge each line once.
        let mut runs_shell: Vec<Option<bool>> = vec![None; scan.lines.len()];
        for heredoc in &scan.heredocs {
            let line_says = match runs_shell.get_mut(heredoc.line) {
                Some(Some(known)) => *known,
                Some(slot) => *slot.insert(command_runs_shell(scan.command_of(heredoc))),
                None => false,
            };
            if line_says || has_shebang(code, heredoc) {
                out.extend(script_findings(code, heredoc, depth));
            } else {
                out.extend(text_findings(code, heredoc));
            }
        }
    }
    out
}

/// The findings in a heredoc that is a script, read as one shell text.
fn script_findings(code: &str, heredoc: &Heredoc, depth: usize) -> Vec<Finding> {
    let source = Source::from_lines(code, heredoc.body.iter().cloned());
    let mut out = check_shell(&source.text, false, depth + 1);
    for finding in &mut out {
        finding.range =
            source.offset_of_byte(finding.range.start)..source.offset_of_byte(finding.range.end);
    }
    out
}

/// The findings in a heredoc of text (a runbook, notes), read word by word: prose is not
/// shell, and an apostrophe in it quotes nothing.
fn text_findings(code: &str, heredoc: &Heredoc) -> Vec<Finding> {
    let mut out = Vec::new();
    for range in &heredoc.body {
        let Some(line) = code.get(range.clone()) else {
            continue;
        };
        let words = prose_words(line, range.start);
        static_pod_units(&words, &mut out);
        for word in &words {
            legacy_version(word, &mut out);
        }
    }
    out
}

/// The words of a line of prose starting at snippet byte `start`, without the quotes,
/// backquotes and punctuation around them.
fn prose_words(line: &str, start: usize) -> Vec<Word> {
    let mut words = Vec::new();
    let mut rest = line;
    while let Some(begin) = rest.find(|c: char| !c.is_whitespace()) {
        let end = rest[begin..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |i| begin + i);
        let token = &rest[begin..end];
        let trimmed = token.trim_matches(|c: char| "'\"`,.;:()[]".contains(c));
        if !trimmed.is_empty() {
            let offset =
                start + (line.len() - rest.len()) + begin + token.find(trimmed).unwrap_or(0);
            words.push(Word {
                range: offset..offset + trimmed.len(),
                text: trimmed.replace(['\'', '"', '`'], ""),
                operator: false,
                quoted: false,
            });
        }
        rest = &rest[end..];
    }
    words
}

/// Whether a heredoc body is a script by its first line, `#!`. (Other bodies are scripts when
/// their command line says so, [`command_runs_shell`], and text otherwise: a runbook, notes.)
fn has_shebang(code: &str, heredoc: &Heredoc) -> bool {
    heredoc
        .body
        .first()
        .and_then(|range| code.get(range.clone()))
        .is_some_and(|line| line.starts_with("#!"))
}

/// Whether a heredoc's command line writes it to a `.sh` file or feeds it to a shell
/// (`| bash`, `ssh node <<EOF`).
fn command_runs_shell(command: &[Word]) -> bool {
    command.iter().any(|word| {
        !word.operator
            && (word.text.ends_with(".sh")
                || matches!(basename(&word.text), "bash" | "sh" | "zsh" | "ssh"))
    })
}

/// The control-plane components that kubeadm (and kind) run as static pods.
const STATIC_POD_COMPONENTS: [&str; 4] = [
    "kube-apiserver",
    "kube-scheduler",
    "kube-controller-manager",
    "etcd",
];

fn basename(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

/// `systemctl VERB UNIT...` and `journalctl -u UNIT` on a static-pod component, wherever the
/// command runs them (`sudo`, `ssh node`, `watch`...).
fn static_pod_units(command: &[Word], out: &mut Vec<Finding>) {
    let tools: Vec<usize> = (command.iter().enumerate())
        .filter(|(_, word)| {
            !word.operator && matches!(basename(&word.text), "systemctl" | "journalctl")
        })
        .map(|(index, _)| index)
        .collect();
    // A tool's arguments end where the next tool starts: each word is read once.
    for (n, &index) in tools.iter().enumerate() {
        let end = tools.get(n + 1).copied().unwrap_or(command.len());
        let args = &command[index + 1..end];
        match basename(&command[index].text) {
            "systemctl" => systemctl(args, out),
            _ => journalctl(args, out),
        }
    }
}

/// systemctl options that take a value in the next word.
const SYSTEMCTL_VALUE_OPTIONS: [&str; 15] = [
    "-n",
    "-H",
    "-M",
    "-p",
    "-t",
    "-o",
    "-s",
    "--lines",
    "--host",
    "--machine",
    "--property",
    "--type",
    "--output",
    "--signal",
    "--state",
];

fn systemctl(args: &[Word], out: &mut Vec<Finding>) {
    let mut positional = Vec::new();
    let mut words = args.iter().filter(|w| !w.operator);
    while let Some(word) = words.next() {
        if SYSTEMCTL_VALUE_OPTIONS.contains(&word.text.as_str()) {
            words.next();
        } else if !word.text.starts_with('-') {
            positional.push(word);
        }
    }
    let Some((verb, units)) = positional.split_first() else {
        return;
    };
    let Some(help) = systemctl_help(&verb.text) else {
        return;
    };
    for unit in units {
        if let Some(component) = component(&unit.text) {
            out.push(Finding::new(
                &SYSTEMCTL_STATIC_POD,
                unit.range.clone(),
                format!(
                    "`systemctl {} {component}`: on a kubeadm cluster {component} is a static pod run by the kubelet, not a systemd unit",
                    verb.text
                ),
                Some(help.replace("{c}", component)),
            ));
        }
    }
}

/// What to do instead of `systemctl VERB` on a static pod (`{c}` is the component).
fn systemctl_help(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "stop" => "to stop it, move /etc/kubernetes/manifests/{c}.yaml out of the manifests directory; the kubelet stops the pod",
        "start" => "to start it, move {c}.yaml back into /etc/kubernetes/manifests/; the kubelet starts the pod",
        "restart" | "reload" | "try-restart" | "reload-or-restart" => "to restart it, move /etc/kubernetes/manifests/{c}.yaml out of the directory and back, or `crictl stop` its container (the kubelet starts a new one)",
        "status" | "is-active" => "check it with `kubectl -n kube-system get pods -l component={c}`, or on the node `crictl ps --name {c}`",
        "enable" | "disable" => "the kubelet runs every manifest in /etc/kubernetes/manifests at boot: there is no unit to enable or disable",
        _ => return None,
    })
}

fn journalctl(args: &[Word], out: &mut Vec<Finding>) {
    let mut words = args.iter().filter(|w| !w.operator).peekable();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let unit = match text {
            "-u" | "--unit" => words.next().map(|w| (w.text.as_str(), w.range.clone())),
            _ => text
                .strip_prefix("--unit=")
                .or_else(|| text.strip_prefix("-u"))
                .or_else(|| text.strip_prefix("_SYSTEMD_UNIT="))
                .map(|unit| (unit, word.range.clone())),
        };
        let Some((unit, range)) = unit else {
            continue;
        };
        if let Some(component) = component(unit) {
            out.push(Finding::new(
                &SYSTEMCTL_STATIC_POD,
                range,
                format!("`journalctl -u {component}`: on a kubeadm cluster {component} is a static pod, so systemd has no logs of it"),
                Some(format!("read its logs with `kubectl -n kube-system logs -l component={component}`, or on the node `crictl ps --name {component}` then `crictl logs <container-id>`")),
            ));
        }
    }
}

/// The static-pod component a unit name names (`kube-apiserver.service` → `kube-apiserver`).
fn component(unit: &str) -> Option<&'static str> {
    let name = unit.strip_suffix(".service").unwrap_or(unit);
    STATIC_POD_COMPONENTS.into_iter().find(|c| *c == name)
}

/// `kubeadm=1.28.0-00` (apt) or `kubeadm-1.28.0-0` (yum): the legacy repositories' revisions.
static LEGACY_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(kubeadm|kubelet|kubectl|kubernetes-cni|cri-tools)(?:(=)([0-9]+\.[0-9]+\.[0-9*]+)-00|(-)([0-9]+\.[0-9]+\.[0-9*]+)-0)$",
    )
    .unwrap_or_else(|_| unreachable!("the pattern is a valid regex"))
});

fn legacy_version(word: &Word, out: &mut Vec<Finding>) {
    if word.operator {
        return;
    }
    let Some(captures) = LEGACY_VERSION.captures(&word.text) else {
        return;
    };
    let package = &captures[1];
    let (message, help) = if let Some(version) = captures.get(3) {
        let version = version.as_str();
        (
            format!("`{}` is a version of the legacy apt.kubernetes.io repository, which is shut down; pkgs.k8s.io packages have revisions like `{version}-1.1`", word.text),
            format!("write `{package}='{version}-1.1'` (list the versions with `apt-cache madison {package}`)"),
        )
    } else {
        let version = captures.get(5).map_or("", |v| v.as_str());
        (
            format!("`{}` is a version of the legacy yum.kubernetes.io repository, which is shut down; pkgs.k8s.io packages have revisions like `{version}-150500.1.1`", word.text),
            format!("write `{package}-{version}-150500.1.1` (list the versions with `yum list --showduplicates {package} --disableexcludes=kubernetes`)"),
        )
    };
    out.push(Finding::new(
        &LEGACY_PACKAGE_VERSION,
        word.range.clone(),
        message,
        Some(help),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{check_markdown, rules_in};

    fn practice_rules(markdown: &str) -> Vec<&'static str> {
        rules_in(markdown)
            .into_iter()
            .filter(|id| RULES.iter().any(|rule| rule.id == *id))
            .collect()
    }

    fn bash(code: &str) -> String {
        format!("# T\n\n```bash\n{code}```\n")
    }

    #[test]
    fn systemctl_on_static_pods_is_flagged_at_the_unit() {
        let found = check_markdown(&bash(
            "sudo systemctl stop kube-apiserver etcd.service\nsudo journalctl -u kube-scheduler -n 50\n",
        ));
        let found: Vec<_> = found
            .iter()
            .filter(|d| d.rule == SYSTEMCTL_STATIC_POD.id)
            .map(|d| (d.line, d.column, d.width))
            .collect();
        assert_eq!(found, [(4, 21, 14), (4, 36, 12), (5, 20, 14)]);
    }

    #[test]
    fn systemctl_help_names_the_manifest_directory() {
        let findings = check_code("systemctl restart kube-controller-manager\n", "bash");
        let help = findings[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("/etc/kubernetes/manifests/kube-controller-manager.yaml"),
            "{help}"
        );
        let findings = check_code("journalctl --unit=etcd\n", "sh");
        assert!(findings[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("crictl logs"));
    }

    #[test]
    fn systemctl_on_the_kubelet_and_mentions_in_text_are_quiet() {
        let md = bash(
            "sudo systemctl restart kubelet containerd\njournalctl -u kubelet -f\n\
             echo \"systemctl stop kube-apiserver\"  # systemctl stop etcd\n\
             sudo mv /etc/kubernetes/manifests/kube-apiserver.yaml /tmp/\n\
             crictl ps --name kube-apiserver\nsystemctl -n 5 status kubelet\n",
        );
        assert_eq!(practice_rules(&md), Vec::<&str>::new());
    }

    #[test]
    fn console_transcripts_read_prompted_lines_only() {
        let code = "$ sudo systemctl status kube-apiserver\nUnit kube-apiserver.service could not be found.\n";
        let rules: Vec<_> = check_code(code, "console")
            .iter()
            .map(|f| f.rule.id)
            .collect();
        assert_eq!(rules, [SYSTEMCTL_STATIC_POD.id]);
    }

    #[test]
    fn legacy_versions_are_flagged_with_the_new_form() {
        let md = bash("sudo apt-get install -y kubelet=1.28.0-00 'kubectl=1.28.0-00'\nsudo yum install -y kubeadm-1.28.0-0\n");
        assert_eq!(
            practice_rules(&md),
            [
                LEGACY_PACKAGE_VERSION.id,
                LEGACY_PACKAGE_VERSION.id,
                LEGACY_PACKAGE_VERSION.id
            ]
        );
        let findings = check_code("apt-get install -y kubeadm=1.28.0-00\n", "bash");
        assert_eq!(
            findings[0].help.as_deref(),
            Some(
                "write `kubeadm='1.28.0-1.1'` (list the versions with `apt-cache madison kubeadm`)"
            )
        );
        assert_eq!(findings[0].range, 19..36);
    }

    #[test]
    fn current_versions_and_comments_are_quiet() {
        let md = bash(
            "sudo apt-get install -y kubeadm='1.28.0-1.1' kubelet=1.28.1-1.1\n\
             sudo yum install -y kubeadm-1.28.0-150500.1.1\n\
             # once: apt-get install kubeadm=1.27.0-00\n\
             cat <<EOF > notes.txt\nIt's kubeadm='1.28.0-1.1' now, then systemctl restart kubelet\nEOF\n",
        );
        assert_eq!(practice_rules(&md), Vec::<&str>::new());
    }

    #[test]
    fn scripts_written_by_heredocs_are_checked() {
        let md = bash(
            "cat > /usr/local/bin/fix.sh <<'EOF'\n#!/bin/bash\nsystemctl restart kube-apiserver\nEOF\n\
             ssh node-1 <<EOF\nsudo apt-get install -y kubeadm=1.29.0-00\nEOF\n",
        );
        let found: Vec<_> = check_markdown(&md)
            .into_iter()
            .filter(|d| RULES.iter().any(|rule| rule.id == d.rule))
            .map(|d| (d.rule, d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                (SYSTEMCTL_STATIC_POD.id, 6, 19),
                (LEGACY_PACKAGE_VERSION.id, 9, 25)
            ]
        );
    }

    #[test]
    fn runbooks_written_by_heredocs_are_read_line_by_line() {
        let md = bash(
            "cat > runbook.md <<EOF\n## Resolution\n1. Restart: systemctl start kube-apiserver\n2. It's kubeadm=1.28.0-00\nEOF\n\
             ssh cp-1 sudo journalctl -u etcd.service\n",
        );
        let found: Vec<_> = check_markdown(&md)
            .into_iter()
            .filter(|d| RULES.iter().any(|rule| rule.id == d.rule))
            .map(|d| (d.rule, d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                (SYSTEMCTL_STATIC_POD.id, 6, 29),
                (LEGACY_PACKAGE_VERSION.id, 7, 9),
                (SYSTEMCTL_STATIC_POD.id, 9, 29)
            ]
        );
    }

    #[test]
    fn lint_allow_silences_a_rule() {
        let md = "```bash lint-allow=systemctl-static-pod\nsystemctl stop etcd\n```\n";
        assert_eq!(practice_rules(md), Vec::<&str>::new());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_snippet(code in "(?s).{0,300}") {
            for lang in ["bash", "console"] {
                for finding in check_code(&code, lang) {
                    proptest::prop_assert!(finding.range.start <= code.len());
                }
            }
        }

        #[test]
        fn never_panics_on_shell_like_snippets(
            code in r"((sudo |\$ |> )?(systemctl|journalctl|apt-get|cat|echo)( (-u|-n|stop|kube-apiserver|etcd|kubeadm=1\.2[0-9]\.0-00|<<-?'?EOF'?|\||#|'|\x22|\\|\$\(|`|\t|é))*\n?){0,12}"
        ) {
            for lang in ["sh", "console"] {
                let _ = check_code(&code, lang);
            }
        }
    }
}
