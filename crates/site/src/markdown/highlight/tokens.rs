//! Token kinds: syntect's scope stacks folded into a small fixed set of classes (`hl-k` for
//! keywords, `hl-s` for strings…), so a highlighted line carries one short span per coloured
//! token instead of one span per scope, and `highlight.css` holds one rule per kind and theme.
//!
//! A token takes the kind of the innermost scope of its stack that names one; scopes that name
//! none (`meta.*`, `source.*`, most `punctuation.*`) defer to the scopes around them, so the
//! quotes of a string are coloured as the string. Each kind's colour in a theme is the colour
//! the theme gives the kind's representative scope.

use std::fmt::Write as _;
use std::sync::LazyLock;

use syntect::highlighting::{FontStyle, Highlighter as ThemeHighlighter, Style, Theme};
use syntect::parsing::Scope;

/// A kind of token: its class (`hl-k`), the scopes it takes (prefixes, most
/// specific first), and the scope whose theme colour it gets.
struct Kind {
    class: &'static str,
    scopes: &'static [&'static str],
    representative: &'static str,
}

/// Every kind, in the order a scope is tested against them (specific prefixes before the
/// general ones they refine).
#[rustfmt::skip]
const KINDS: &[Kind] = &[
    Kind { class: "hl-c", scopes: &["comment", "punctuation.definition.comment"], representative: "comment.line" },
    Kind { class: "hl-se", scopes: &["constant.character.escape"], representative: "constant.character.escape" },
    Kind { class: "hl-s", scopes: &["string", "punctuation.definition.string"], representative: "string.quoted.double" },
    Kind { class: "hl-m", scopes: &["constant.numeric"], representative: "constant.numeric" },
    Kind { class: "hl-kc", scopes: &["constant.language"], representative: "constant.language" },
    Kind { class: "hl-no", scopes: &["constant", "support.constant"], representative: "constant.other" },
    Kind { class: "hl-o", scopes: &["keyword.operator"], representative: "keyword.operator" },
    Kind { class: "hl-kt", scopes: &["storage.type"], representative: "storage.type" },
    Kind { class: "hl-k", scopes: &["keyword", "storage"], representative: "keyword.control" },
    Kind { class: "hl-nf", scopes: &["entity.name.function", "support.function", "variable.function"], representative: "entity.name.function" },
    Kind { class: "hl-nt", scopes: &["entity.name.tag"], representative: "entity.name.tag" },
    Kind { class: "hl-na", scopes: &["entity.other.attribute-name"], representative: "entity.other.attribute-name" },
    Kind { class: "hl-nc", scopes: &["entity.name.type", "entity.name.class", "entity.other.inherited-class", "support.type", "support.class"], representative: "entity.name.type" },
    Kind { class: "hl-nn", scopes: &["entity.name"], representative: "entity.name.section" },
    Kind { class: "hl-vp", scopes: &["variable.parameter"], representative: "variable.parameter" },
    Kind { class: "hl-vl", scopes: &["variable.language"], representative: "variable.language" },
    Kind { class: "hl-nv", scopes: &["variable", "punctuation.definition.variable"], representative: "variable.other" },
    Kind { class: "hl-gh", scopes: &["markup.heading"], representative: "markup.heading" },
    Kind { class: "hl-gs", scopes: &["markup.bold"], representative: "markup.bold" },
    Kind { class: "hl-ge", scopes: &["markup.italic"], representative: "markup.italic" },
    Kind { class: "hl-gi", scopes: &["markup.inserted"], representative: "markup.inserted" },
    Kind { class: "hl-gd", scopes: &["markup.deleted"], representative: "markup.deleted" },
    Kind { class: "hl-gl", scopes: &["markup.underline.link", "string.other.link"], representative: "markup.underline.link" },
    Kind { class: "hl-gr", scopes: &["markup.raw"], representative: "markup.raw.inline" },
    Kind { class: "hl-err", scopes: &["invalid"], representative: "invalid.illegal" },
];

/// [`KINDS`]' scopes, parsed once: (scope, index into `KINDS`).
static SELECTORS: LazyLock<Vec<(Scope, usize)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .enumerate()
        .flat_map(|(i, kind)| kind.scopes.iter().map(move |s| (s, i)))
        .filter_map(|(s, i)| Scope::new(s).ok().map(|scope| (scope, i)))
        .collect()
});

/// The class (`hl-k`…) of a token whose scope stack is `stack` (outermost first), if any.
pub fn class_of(stack: &[Scope]) -> Option<&'static str> {
    KIND_OF.with(|known| {
        let mut known = known.borrow_mut();
        stack.iter().rev().find_map(|scope| {
            *known.entry(*scope).or_insert_with(|| {
                SELECTORS
                    .iter()
                    .find(|(selector, _)| selector.is_prefix_of(*scope))
                    .map(|&(_, i)| KINDS[i].class)
            })
        })
    })
}

thread_local! {
    /// Each scope's kind, once found: a few hundred scopes serve millions of tokens.
    static KIND_OF: std::cell::RefCell<std::collections::HashMap<Scope, Option<&'static str>>> =
        std::cell::RefCell::default();
}

/// CSS rules giving each kind `theme`'s colour and font style, every selector prefixed with
/// `scope` (`""` for none). Kinds the theme leaves at its plain text colour get no rule.
pub fn css(theme: &Theme, scope: &str) -> String {
    let highlighter = ThemeHighlighter::new(theme);
    let source = Scope::new("source").ok();
    let plain = highlighter.style_for_stack(&source.into_iter().collect::<Vec<_>>());
    let mut out = String::new();
    for kind in KINDS {
        let Ok(scope_of_kind) = Scope::new(kind.representative) else {
            continue;
        };
        let stack: Vec<Scope> = source.into_iter().chain([scope_of_kind]).collect();
        let style = highlighter.style_for_stack(&stack);
        if let Some(body) = declarations(&style, &plain) {
            let prefix = if scope.is_empty() {
                String::new()
            } else {
                format!("{scope} ")
            };
            let _ = writeln!(out, "{prefix}.code .{} {{ {body}}}", kind.class);
        }
    }
    out
}

/// The declarations that set `style` apart from `plain`, if any.
fn declarations(style: &Style, plain: &Style) -> Option<String> {
    let mut body = String::new();
    if style.foreground != plain.foreground {
        let c = style.foreground;
        let _ = write!(body, "color: #{:02x}{:02x}{:02x}; ", c.r, c.g, c.b);
    }
    let font = style.font_style;
    if font.contains(FontStyle::BOLD) {
        body.push_str("font-weight: bold; ");
    }
    if font.contains(FontStyle::ITALIC) {
        body.push_str("font-style: italic; ");
    }
    if font.contains(FontStyle::UNDERLINE) {
        body.push_str("text-decoration: underline; ");
    }
    (!body.is_empty()).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(scopes: &[&str]) -> Vec<Scope> {
        scopes
            .iter()
            .map(|s| Scope::new(s).expect("scope"))
            .collect()
    }

    #[test]
    fn every_kind_has_its_own_class() {
        let mut classes: Vec<&str> = KINDS.iter().map(|k| k.class).collect();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(classes.len(), KINDS.len());
        assert!(classes.iter().all(|c| c.starts_with("hl-")));
        assert_eq!(
            SELECTORS.len(),
            KINDS.iter().map(|k| k.scopes.len()).sum::<usize>()
        );
    }

    #[test]
    fn the_innermost_scope_that_names_a_kind_wins() {
        let string = ["source.shell", "string.quoted.double.shell"];
        assert_eq!(class_of(&stack(&string)), Some("hl-s"));
        let quote = [&string[..], &["punctuation.definition.string.begin.shell"]].concat();
        assert_eq!(class_of(&stack(&quote)), Some("hl-s"), "quotes are string");
        let escape = [&string[..], &["constant.character.escape.shell"]].concat();
        assert_eq!(class_of(&stack(&escape)), Some("hl-se"));
        let parens = [
            "source.shell",
            "meta.group.shell",
            "punctuation.section.parens.begin",
        ];
        assert_eq!(
            class_of(&stack(&parens)),
            None,
            "plain punctuation has no kind"
        );
        let option = ["source.shell", "variable.parameter.option.shell"];
        assert_eq!(class_of(&stack(&option)), Some("hl-vp"));
        let op = ["source.shell", "keyword.operator.assignment.shell"];
        assert_eq!(class_of(&stack(&op)), Some("hl-o"), "not hl-k");
        assert_eq!(class_of(&stack(&["source.yaml"])), None);
    }

    #[test]
    fn css_gives_colours_to_kinds_and_prefixes_selectors() {
        let themes = two_face::theme::extra();
        let theme = themes.get(two_face::theme::EmbeddedThemeName::Github);
        let css = css(theme, ":root[data-theme=\"dark\"]");
        assert!(
            css.contains(":root[data-theme=\"dark\"] .code .hl-c { color: #"),
            "{css}"
        );
        assert!(css.contains(".code .hl-s {"), "{css}");
        assert!(css.lines().count() >= 8, "{css}");
    }
}
