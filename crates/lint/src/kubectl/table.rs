//! kubectl's table of commands and flags: the one `coursebook-commands` embeds (generated from
//! kubectl's own help by that crate's `data/gen-kubectl-table.py`), which the quiz grader reads
//! too, so that `coursebook check` and the grader agree on every kubectl command.

pub(super) use coursebook_commands::{Spec, Table};

/// The committed kubectl table, parsed on first use.
pub(super) fn table() -> &'static Table {
    coursebook_commands::builtin::kubectl()
}
