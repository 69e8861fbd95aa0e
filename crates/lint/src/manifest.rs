//! Kubernetes manifests in YAML fences and heredocs: YAML syntax, unknown apiVersion/kind, wrong types and unknown fields, selectors that miss their pod template.

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Runs this family's rules over one chapter.
pub fn check(_cx: &ChapterCx<'_>, _out: &mut Vec<Diagnostic>) {}
