//! Readable token colours: every foreground colour of a syntect theme darkened (on a light
//! background) or lightened (on a dark one) until it reaches WCAG AA contrast.

use syntect::highlighting::{Color, Theme};

/// `--code-bg` of the default `book.css`, light and dark: the background tokens are read on.
pub(super) const LIGHT_CODE_BG: Color = rgb(0xf6, 0xf8, 0xfa);
pub(super) const DARK_CODE_BG: Color = rgb(0x16, 0x1b, 0x22);
/// WCAG AA for normal text is 4.5:1; a little more so rounding never lands below it.
const MIN_CONTRAST: f64 = 4.6;

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// `theme` with every foreground colour readable on its own background, or on `background`.
pub(super) fn readable(theme: &Theme, background: Color) -> Theme {
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

#[cfg(test)]
mod tests {
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
        assert!(!super::super::Highlighter::css().contains("#969896"));
    }

    #[test]
    fn readable_colours_are_left_alone() {
        let black = rgb(0, 0, 0);
        assert_eq!(with_contrast(black, LIGHT_CODE_BG), black);
        assert!((contrast(black, rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
    }
}
