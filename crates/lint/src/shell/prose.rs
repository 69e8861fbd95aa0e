//! Heuristics for a line of a shell fence that is not a command at all: command output
//! (`NAME READY STATUS`, `pod/web created`, `-A KUBE-SERVICES ...` rules) or an English
//! sentence. They are deliberately narrow: a real command must never match.

use std::sync::LazyLock;

use regex::Regex;

/// Whether `line` (trimmed, the first line of what would be a command) is output or prose.
pub(super) fn is_not_a_command(line: &str) -> bool {
    starts_with_option(line)
        || is_table_header(line)
        || is_kubectl_result(line)
        || is_sentence(line)
        || is_numbered_item(line)
}

/// What a line that is not a command is, for a message: `"prose"` or `"command output"`.
pub(super) fn kind_of(line: &str) -> &'static str {
    if is_sentence(line) || is_numbered_item(line) {
        "prose"
    } else {
        "command output"
    }
}

/// A command name never starts with `-`: this is a listing such as `iptables-save` output.
fn starts_with_option(line: &str) -> bool {
    line.starts_with('-') && line[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '-')
}

/// A header of kubectl's tables: two or more upper-case column names (`NAME   READY   AGE`).
pub(super) fn is_table_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && words.iter().all(|word| {
            word.starts_with(|c: char| c.is_ascii_uppercase())
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-_()%/".contains(c))
        })
}

/// What kubectl prints after a change: `deployment.apps/web created`.
fn is_kubectl_result(line: &str) -> bool {
    static RESULT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^[a-z0-9.-]+/[a-z0-9.-]+ (created|configured|unchanged|deleted|labeled|annotated|patched|scaled|exposed|cordoned|uncordoned|drained|evicted|restarted|replaced|rolled back|serverside-applied)( \([a-z ]+\))?$",
        )
        .expect("a constant, valid pattern")
    });
    RESULT.is_match(line)
}

/// An English sentence: a capitalised word followed by at least two lower-case words, in the
/// first five (`Packet sent to node2's IP`). Commands are lower case or `NAME=value`.
fn is_sentence(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let capitalised = first.starts_with(|c: char| c.is_ascii_uppercase())
        && first
            .trim_end_matches([',', ':'])
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_lowercase());
    let lower_words = words.take(4).filter(|w| is_lower_word(w)).count();
    capitalised && first.len() > 1 && lower_words >= 2
}

fn is_lower_word(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.', ':', ';']);
    !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase())
}

/// A numbered list item: `1. Check the process`.
fn is_numbered_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && line[digits..].starts_with(". ")
        && line[digits + 2..].starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_prose_are_recognised() {
        for line in [
            "-A KUBE-SVC-XXX -j KUBE-SEP-POD3",
            "NAME      READY   STATUS    RESTARTS   AGE",
            "deployment.apps/web created",
            "pod/test deleted (dry run)",
            "Packet sent to node2's IP (192.168.56.11) via eth0",
            "Routes packet to caliYYYY (veth pair to pod2)",
            "1. Check the process",
        ] {
            assert!(is_not_a_command(line), "{line}");
        }
    }

    #[test]
    fn commands_are_not_prose() {
        for line in [
            "kubectl get pods -n kube-system",
            "KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes",
            "Vagrant.configure(\"2\") do |config|",
            "ETCDCTL_API=3 etcdctl member list",
            "sudo systemctl restart kubelet",
            "X=1 Y=2",
            "[ -f /etc/x ] && echo yes",
            "-",
            "echo NAME READY",
            "cd -",
        ] {
            assert!(!is_not_a_command(line), "{line}");
        }
    }
}
