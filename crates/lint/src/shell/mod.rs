//! Shell snippets: bash that does not parse, placeholders the shell reads as redirections, fences holding prose or output, fences without a language.
//!
//! [`parse`] is the one parse of a fence that the kubectl rules read too.

mod depth;
mod guard;
mod lines;
pub(crate) mod parse;
mod placeholder;
mod prose;

use coursebook_site::markdown::fence;

use crate::context::{ChapterCx, SnippetCx};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};

use lines::{Line, LineKind};
use parse::Prepared;
pub(crate) use parse::{Command, Script, Word};

/// A fence that does not parse as bash.
pub(crate) const SHELL_SYNTAX: Rule = Rule {
    id: "shell-syntax",
    family: "shell",
    severity: Severity::Error,
    summary: "a bash/sh/shell/console snippet that does not parse as bash",
};

/// A fence nested too deeply to be parsed safely.
pub(crate) const SHELL_TOO_DEEP: Rule = Rule {
    id: "shell-too-deep",
    family: "shell",
    severity: Severity::Warning,
    summary: "a shell snippet nested too deeply (`$(`, `{`, `if` …) to be checked",
};

/// A `<placeholder>` outside quotes, which the shell reads as a redirection.
pub(crate) const PLACEHOLDER_REDIRECT: Rule = Rule {
    id: "shell-placeholder-redirect",
    family: "shell",
    severity: Severity::Error,
    summary: "a `<placeholder>` that the shell would read as a redirection",
};

/// A shell fence holding command output or prose.
pub(crate) const FENCE_NOT_COMMANDS: Rule = Rule {
    id: "fence-not-commands",
    family: "shell",
    severity: Severity::Warning,
    summary: "a shell fence whose content is command output or prose rather than commands",
};

/// A code fence without a language.
pub(crate) const FENCE_NO_LANGUAGE: Rule = Rule {
    id: "fence-no-language",
    family: "shell",
    severity: Severity::Warning,
    summary: "a code fence with no language",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[
    SHELL_SYNTAX,
    SHELL_TOO_DEEP,
    PLACEHOLDER_REDIRECT,
    FENCE_NOT_COMMANDS,
    FENCE_NO_LANGUAGE,
];

pub(crate) use coursebook_site::markdown::fence::is_shell;

/// The commands of a shell fence, or `None` for another language or a fence that does not
/// parse (which `shell-syntax` reports). Parsed once for every rule.
pub(crate) fn parse<'a>(snippet: &SnippetCx<'a>) -> Option<&'a Script> {
    snippet.bash()?.1.as_ref().ok()
}

/// Runs this family's rules over one chapter.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for snippet in cx.snippets() {
        if snippet.lang().is_empty() {
            check_no_language(&snippet, out);
        } else if is_shell(snippet.lang()) {
            check_shell(&snippet, out);
        }
    }
}

fn check_shell(snippet: &SnippetCx<'_>, out: &mut Vec<Diagnostic>) {
    let Some((prepared, parsed)) = snippet.bash() else {
        return;
    };
    check_not_commands(snippet, prepared, out);
    match parsed {
        Ok(script) => placeholder::check(snippet, prepared, script, out),
        Err(err) if err.too_deep => {
            let diagnostic = snippet
                .diagnostic(&SHELL_TOO_DEEP, err.offset..err.offset + 1, &err.message)
                .with_help("no rule read this block; split it, or give the fence ```text");
            snippet.report(out, diagnostic);
        }
        Err(err) => {
            let diagnostic = snippet
                .diagnostic(
                    &SHELL_SYNTAX,
                    err.offset..err.offset + 1,
                    format!("this does not parse as bash: {}", err.message),
                )
                .with_help(
                    "fix the command; if the block is not meant to be run, give the fence \
                     another language (```text)",
                );
            snippet.report(out, diagnostic);
        }
    }
}

/// `fence-not-commands`: output or prose lines in a shell fence, or a console fence without
/// a single prompt. One finding per fence, at its first such line.
fn check_not_commands(snippet: &SnippetCx<'_>, prepared: &Prepared, out: &mut Vec<Diagnostic>) {
    let code = snippet.code();
    let output: Vec<&Line> = prepared
        .lines
        .iter()
        .filter(|line| line.kind == LineKind::Output)
        .collect();
    let Some(first) = output.first() else {
        return;
    };
    let diagnostic = if fence::is_transcript(snippet.lang(), snippet.code()) {
        if prepared
            .lines
            .iter()
            .any(|l| l.kind != LineKind::Output && l.kind != LineKind::Blank)
        {
            return;
        }
        snippet
            .diagnostic(
                &FENCE_NOT_COMMANDS,
                first.range.clone(),
                "this console fence has no `$ ` prompt: none of it is a command",
            )
            .with_help("mark each command with a `$ ` prompt, or make the fence ```text")
    } else {
        let what = prose::kind_of(code[first.range.clone()].trim());
        let others = match output.len() {
            1 => String::new(),
            n => format!(" ({n} such lines in this fence)"),
        };
        snippet
            .diagnostic(
                &FENCE_NOT_COMMANDS,
                first.range.clone(),
                format!(
                    "this line of a {} fence is {what}, not a command{others}",
                    snippet.lang()
                ),
            )
            .with_help(
                "put output in its own ```text fence (or use ```console with `$ ` prompts), \
                 and move prose out of the fence or into `# ` comments",
            )
    };
    snippet.report(out, diagnostic);
}

/// `fence-no-language`: a fenced block (not an indented one) with an empty info string.
fn check_no_language(snippet: &SnippetCx<'_>, out: &mut Vec<Diagnostic>) {
    let cx = snippet.chapter;
    let fence_line = snippet.snippet.line.saturating_sub(1);
    let Some(text) = cx.line_text(fence_line) else {
        return;
    };
    let Some(column) = text.find("```").or_else(|| text.find("~~~")) else {
        return; // an indented code block: it has no info string to give
    };
    let column = text[..column].chars().count() + 1;
    let diagnostic = cx
        .diagnostic(
            &FENCE_NO_LANGUAGE,
            fence_line,
            column,
            3,
            "this code fence has no language",
        )
        .with_help(
            "name one (```bash, ```yaml, or ```text for output) so it is highlighted and checked",
        );
    snippet.report(out, diagnostic);
}

#[cfg(test)]
mod tests;
