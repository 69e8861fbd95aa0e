//! What a fence's language says its block holds: shell commands, a terminal transcript
//! (commands after `$ ` prompts, the rest output), YAML, or something else. Highlighting and
//! every rule of `coursebook check` ask here, so they never disagree about a block.

/// The kinds of code block the tools treat apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FenceKind {
    /// Shell commands (`bash`, `sh`, `shell`, `zsh`).
    Shell,
    /// A terminal session: `console`, `shell-session`, or a shell block whose first line
    /// starts with a `$ ` prompt.
    Transcript,
    /// A YAML document (`yaml`, `yml`).
    Yaml,
    /// Anything else.
    Other,
}

/// The languages whose blocks hold shell commands, transcripts included.
const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "zsh", "console", "shell-session"];

/// The languages whose blocks are always transcripts.
const TRANSCRIPT_LANGS: &[&str] = &["console", "shell-session"];

/// What a block of language `lang` (lowercased, as [`crate::markdown::Snippet::lang`]) holding
/// `code` is.
pub fn kind(lang: &str, code: &str) -> FenceKind {
    if TRANSCRIPT_LANGS.contains(&lang) {
        FenceKind::Transcript
    } else if SHELL_LANGS.contains(&lang) {
        if starts_with_prompt(code) {
            FenceKind::Transcript
        } else {
            FenceKind::Shell
        }
    } else if matches!(lang, "yaml" | "yml") {
        FenceKind::Yaml
    } else {
        FenceKind::Other
    }
}

/// Whether a block of language `lang` holds shell commands (a transcript's too).
pub fn is_shell(lang: &str) -> bool {
    SHELL_LANGS.contains(&lang)
}

/// Whether a block of language `lang` holding `code` is a terminal transcript.
pub fn is_transcript(lang: &str, code: &str) -> bool {
    kind(lang, code) == FenceKind::Transcript
}

/// Whether the first non-blank line of `code` is a `$ ` prompt.
fn starts_with_prompt(code: &str) -> bool {
    code.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with("$ ") || l == "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_language_is_shell_and_prompts_make_transcripts() {
        for lang in SHELL_LANGS {
            assert!(is_shell(lang), "{lang}");
        }
        assert_eq!(kind("zsh", "ls\n"), FenceKind::Shell);
        assert_eq!(kind("shell-session", "ls\n"), FenceKind::Transcript);
        assert_eq!(kind("bash", "\n$ ls\nfile\n"), FenceKind::Transcript);
        assert_eq!(kind("yml", "a: 1\n"), FenceKind::Yaml);
        assert_eq!(kind("toml", "a = 1\n"), FenceKind::Other);
        assert!(!is_shell("text"));
    }
}
