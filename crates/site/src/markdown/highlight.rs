//! The code pass: turns fenced code into server-side highlighted HTML (syntect, CSS classes so
//! light and dark themes switch without re-rendering) and records each block as a snippet.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::highlighting::{Color, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::{escape_attr, ChapterIr, Node, Role};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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

/// Syntax definitions, loaded once per build and shared by every chapter.
pub struct Highlighter {
    syntaxes: SyntaxSet,
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
        }
    }

    /// The inner HTML of `<code>` for `code` in `lang`.
    pub fn highlight(&self, lang: &str, code: &str) -> String {
        if is_shell(lang) && (lang_is_console(lang) || starts_with_prompt(code)) {
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

    fn classed(&self, syntax: &SyntaxReference, code: &str) -> String {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return plain(code);
            }
        }
        generator.finalize()
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

    /// `highlight.css`: token colours for the light theme, and the dark theme scoped to
    /// `[data-theme=dark]` and to `prefers-color-scheme: dark` when no theme is chosen.
    /// Token colours too faint on the code blocks' background are darkened (light) or
    /// lightened (dark) until they reach WCAG AA contrast.
    pub fn css() -> String {
        let themes = two_face::theme::extra();
        let light = theme_css(&readable(
            themes.get(two_face::theme::EmbeddedThemeName::Github),
            LIGHT_CODE_BG,
        ));
        let dark = theme_css(&readable(
            themes.get(two_face::theme::EmbeddedThemeName::OneHalfDark),
            DARK_CODE_BG,
        ));
        format!(
            "/* Generated by coursebook from syntect themes: GitHub (light), OneHalfDark (dark). */\n\
             {light}\n\
             {dark_chosen}\n\
             @media (prefers-color-scheme: dark) {{\n{dark_system}}}\n",
            dark_chosen = scope(&dark, ":root[data-theme=\"dark\"]"),
            dark_system = scope(&dark, ":root:not([data-theme=\"light\"])"),
        )
    }
}

/// `--code-bg` of the default `book.css`, light and dark: the background tokens are read on.
const LIGHT_CODE_BG: Color = rgb(0xf6, 0xf8, 0xfa);
const DARK_CODE_BG: Color = rgb(0x16, 0x1b, 0x22);
/// WCAG AA for normal text is 4.5:1; a little more so rounding never lands below it.
const MIN_CONTRAST: f64 = 4.6;

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// `theme` with every foreground colour readable on its own background, or on `background`.
fn readable(theme: &Theme, background: Color) -> Theme {
    let mut theme = theme.clone();
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = with_contrast(*fg, background);
    }
    for item in &mut theme.scopes {
        let bg = item.style.background.unwrap_or(background);
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = with_contrast(*fg, bg);
        }
    }
    theme
}

/// `fg`, mixed towards black (on a light `bg`) or white (on a dark one) in small steps until
/// its contrast ratio with `bg` reaches [`MIN_CONTRAST`].
fn with_contrast(fg: Color, bg: Color) -> Color {
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |c: u8, t: f64| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
    (0..=20)
        .map(|step| {
            let t = f64::from(step) / 20.0;
            rgb(mix(fg.r, t), mix(fg.g, t), mix(fg.b, t))
        })
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST)
        .unwrap_or(fg)
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG contrast ratio, 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn theme_css(theme: &Theme) -> String {
    // Only fails for a theme without colours, which the embedded ones are not.
    css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}

/// Prefixes every selector of the (flat, syntect-generated) `css` with `scope`.
fn scope(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let selectors = strip_comments(selectors);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        if scoped.is_empty() {
            continue;
        }
        out.push_str(&scoped.join(", "));
        out.push_str(" {");
        out.push_str(body);
        out.push('\n');
    }
    out
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

fn plain(code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 16);
    escape_attr(&mut html, code);
    html
}

fn is_shell(lang: &str) -> bool {
    matches!(
        lang,
        "bash" | "sh" | "shell" | "zsh" | "console" | "shell-session"
    )
}

fn lang_is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session")
}

fn starts_with_prompt(code: &str) -> bool {
    code.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with("$ ") || l == "$")
}

/// Replaces every code block in `ir` with its highlighted HTML and returns the snippets.
pub fn highlight_code(ir: &mut ChapterIr, highlighter: &Highlighter) -> Vec<Snippet> {
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
                let (line, _) = ir.position(start.span.start);
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
                out.push(Node {
                    event: Event::Html(CowStr::from(code_block_html(highlighter, snippet))),
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

#[cfg(test)]
mod contrast_tests {
    use super::*;
    use two_face::theme::EmbeddedThemeName;

    #[test]
    fn every_token_colour_reaches_aa_contrast_on_the_code_background() {
        let themes = two_face::theme::extra();
        for (name, bg) in [
            (EmbeddedThemeName::Github, LIGHT_CODE_BG),
            (EmbeddedThemeName::OneHalfDark, DARK_CODE_BG),
        ] {
            let theme = readable(themes.get(name), bg);
            for item in &theme.scopes {
                if let Some(fg) = item.style.foreground {
                    let on = item.style.background.unwrap_or(bg);
                    assert!(contrast(fg, on) >= 4.5, "{name:?}: {fg:?} on {on:?}");
                }
            }
        }
        // GitHub's comment grey (#969896) is 2.7:1 on #f6f8fa: it must not survive.
        assert!(!Highlighter::css().contains("#969896"));
    }

    #[test]
    fn readable_colours_are_left_alone() {
        let black = rgb(0, 0, 0);
        assert_eq!(with_contrast(black, LIGHT_CODE_BG), black);
        assert!((contrast(black, rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
    }
}
