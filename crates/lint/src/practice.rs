//! Cluster practice: systemctl/journalctl on kubeadm's static-pod components, legacy package versions with pkgs.k8s.io.

use crate::context::ChapterCx;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Runs this family's rules over one chapter.
pub fn check(_cx: &ChapterCx<'_>, _out: &mut Vec<Diagnostic>) {}
