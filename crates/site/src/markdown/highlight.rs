//! The code pass: turns fenced code into server-side highlighted HTML (syntect, one short class
//! per token kind so light and dark themes switch without re-rendering) and records each block
//! as a snippet.

mod cache;
mod contrast;
mod tokens;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::{escape_attr, ChapterIr, Node, Role};
use contrast::{readable, DARK_CODE_BG, LIGHT_CODE_BG};

/// A code block of a chapter, as the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The language: the info string's first word, lowercased (`""` when none).
    pub lang: String,
    /// The whole info string (`bash lint-allow=x`).
    pub info: String,
    /// The code, ending in a newline.
    pub code: String,
    /// The file line of the code's first line.
    pub line: usize,
}

/// Syntax definitions, loaded once per build and shared by every chapter, with the lines
/// parsed so far.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    lines: cache::LineCache,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter").finish_non_exhaustive()
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads syntect's syntaxes plus two-face's extras (TOML, Dockerfile, …).
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            lines: cache::LineCache::default(),
        }
    }

    /// The inner HTML of `<code>` for `code` in `lang`.
    pub fn highlight(&self, lang: &str, code: &str) -> String {
        if super::fence::is_transcript(lang, code) {
            return self.console(code);
        }
        match self.syntax(lang) {
            Some(syntax) => self.classed(syntax, code),
            None => plain(code),
        }
    }

    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let token = match lang {
            "" | "text" | "txt" | "plain" | "plaintext" | "output" => return None,
            "sh" | "shell" | "zsh" | "console" | "shell-session" => "bash",
            "yml" => "yaml",
            "jsonc" | "json5" => "json",
            other => other,
        };
        self.syntaxes.find_syntax_by_token(token)
    }

    /// `code` as HTML with a `<span class="hl-…">` around each run of one token kind (see
    /// [`tokens`]); the plain code when syntect cannot parse it.
    fn classed(&self, syntax: &SyntaxReference, code: &str) -> String {
        let mut spans = Spans::new(code.len());
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = self
                .lines
                .parse_line(syntax, &mut state, line, &self.syntaxes)
            else {
                return plain(code);
            };
            let mut done = 0;
            for (at, op) in ops.iter() {
                let at = (*at).clamp(done, line.len());
                if let Some(text) = line.get(done..at) {
                    spans.push(text, tokens::class_of(stack.as_slice()));
                }
                done = at;
                if stack.apply(op).is_err() {
                    return plain(code);
                }
            }
            if let Some(text) = line.get(done..) {
                spans.push(text, tokens::class_of(stack.as_slice()));
            }
        }
        spans.finish()
    }

    /// A shell session: `$ ` lines are commands (highlighted, prompt marked), a line after one
    /// ending in `\` continues it, anything else is output.
    fn console(&self, code: &str) -> String {
        let bash = self.syntax("bash");
        let mut html = String::with_capacity(code.len() * 2);
        let mut continues = false;
        for line in code.lines() {
            let command = line.strip_prefix("$ ").or((line == "$").then_some(""));
            let (prompt, text, class) = match command {
                Some(cmd) => (true, cmd, "cmd-line"),
                None if continues => (false, line, "cmd-line"),
                None => (false, line, "output-line"),
            };
            html.push_str("<span class=\"");
            html.push_str(class);
            html.push_str("\">");
            if prompt {
                html.push_str("<span class=\"prompt\">$ </span>");
            }
            if class == "cmd-line" {
                let with_newline = format!("{text}\n");
                let inner = match bash {
                    Some(syntax) => self.classed(syntax, &with_newline),
                    None => plain(&with_newline),
                };
                // The newline syntect needs sits inside its spans; the line's own comes after.
                html.push_str(&inner.replace('\n', ""));
                continues = text.trim_end().ends_with('\\');
            } else {
                escape_attr(&mut html, text);
            }
            html.push_str("</span>\n");
        }
        html
    }

    /// `highlight.css`: the token kinds' colours in the light theme, and in the dark theme
    /// scoped to `[data-theme=dark]` and to `prefers-color-scheme: dark` when no theme is
    /// chosen. Token colours too faint on the code blocks' background are darkened (light) or
    /// lightened (dark) until they reach WCAG AA contrast.
    pub fn css() -> String {
        let themes = two_face::theme::extra();
        let light = readable(
            themes.get(two_face::theme::EmbeddedThemeName::Github),
            LIGHT_CODE_BG,
        );
        let dark = readable(
            themes.get(two_face::theme::EmbeddedThemeName::OneHalfDark),
            DARK_CODE_BG,
        );
        format!(
            "/* Generated by coursebook from syntect themes: GitHub (light), OneHalfDark (dark). */\n\
             {}\n{}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            tokens::css(&light, ""),
            tokens::css(&dark, ":root[data-theme=\"dark\"]"),
            tokens::css(&dark, ":root:not([data-theme=\"light\"])"),
        )
    }
}

/// Highlighted HTML being written: text runs of one token kind share one span, and blanks
/// join the span they sit in.
struct Spans {
    html: String,
    open: Option<&'static str>,
}

impl Spans {
    fn new(capacity: usize) -> Self {
        Spans {
            html: String::with_capacity(capacity * 2),
            open: None,
        }
    }

    fn push(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        let blank = text.bytes().all(|b| b.is_ascii_whitespace());
        if class != self.open && !(blank && self.open.is_some()) {
            if self.open.take().is_some() {
                self.html.push_str("</span>");
            }
            if let Some(class) = class {
                self.html.push_str("<span class=\"");
                self.html.push_str(class);
                self.html.push_str("\">");
                self.open = Some(class);
            }
        }
        escape_attr(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}

fn plain(code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 16);
    escape_attr(&mut html, code);
    html
}

/// Replaces every code block in `ir` with its highlighted HTML (with its plain HTML when
/// `highlight` is off: nobody reads it) and returns the snippets.
pub fn highlight_code(
    ir: &mut ChapterIr,
    highlighter: &Highlighter,
    highlight: bool,
) -> Vec<Snippet> {
    let mut snippets = Vec::new();
    let mut out = Vec::with_capacity(ir.nodes.len());
    let mut open: Option<(Node, String, bool)> = None; // start node, code, fenced
    for node in std::mem::take(&mut ir.nodes) {
        match (&node.event, &mut open) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                open = Some((node.clone(), info, fenced));
                snippets.push(Snippet {
                    lang: String::new(),
                    info: String::new(),
                    code: String::new(),
                    line: 0,
                });
            }
            (Event::Text(text), Some(_)) => {
                if let Some(last) = snippets.last_mut() {
                    last.code.push_str(text);
                }
            }
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let Some((start, info, fenced)) = open.take() else {
                    continue;
                };
                let line = ir.line(start.span.start);
                let Some(snippet) = snippets.last_mut() else {
                    continue;
                };
                snippet.lang = info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                snippet.info = info;
                snippet.line = if fenced { line + 1 } else { line };
                let html = match highlight {
                    true => code_block_html(highlighter, snippet),
                    false => plain(&snippet.code),
                };
                out.push(Node {
                    event: Event::Html(CowStr::from(html)),
                    span: start.span.start..node.span.end,
                    role: Role::Plain,
                });
            }
            (_, Some(_)) => {}
            (_, None) => out.push(node),
        }
    }
    ir.nodes = out;
    snippets
}

fn code_block_html(highlighter: &Highlighter, snippet: &Snippet) -> String {
    let lang = if snippet.lang.is_empty() {
        "text"
    } else {
        &snippet.lang
    };
    let mut html = String::with_capacity(snippet.code.len() * 3 + 128);
    html.push_str("<div class=\"code-block\" data-lang=\"");
    escape_attr(&mut html, lang);
    html.push_str("\"><pre class=\"code\"><code class=\"language-");
    escape_attr(&mut html, lang);
    html.push_str("\">");
    html.push_str(&highlighter.highlight(&snippet.lang, &snippet.code));
    html.push_str("</code></pre></div>\n");
    html
}
