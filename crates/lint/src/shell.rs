//! Shell snippets: bash that does not parse, placeholders the shell reads as redirections, fences holding prose or output, fences without a language.

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Runs this family's rules over one chapter.
pub fn check(_cx: &ChapterCx<'_>, _out: &mut Vec<Diagnostic>) {}
