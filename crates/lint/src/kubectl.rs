//! kubectl usage: unknown subcommands and flags (from a table generated from kubectl's help), resources used after they were deleted, `--rm` without `--restart=Never`.

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Runs this family's rules over one chapter.
pub fn check(_cx: &ChapterCx<'_>, _out: &mut Vec<Diagnostic>) {}
