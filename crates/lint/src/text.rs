//! Text: mojibake (UTF-8 read as another encoding), with the repaired text as the suggestion.

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Runs this family's rules over one chapter.
pub fn check(_cx: &ChapterCx<'_>, _out: &mut Vec<Diagnostic>) {}

#[cfg(test)]
mod tests {
    #[test]
    fn a_clean_chapter_has_no_findings() {
        assert!(crate::testing::check_markdown("# Hi\n\nText.\n\n```bash\necho hi\n```\n").is_empty());
    }
}
