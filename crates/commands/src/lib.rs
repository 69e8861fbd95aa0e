//! coursebook's knowledge of command lines: one table per program ([`Table`]: its commands,
//! flags with their arity, shorthands and defaults, and the hints the quiz grader uses), the
//! committed tables ([`builtin`]), and a [`read()`] that resolves a command line against a
//! table the way the program itself reads it.
//!
//! `coursebook check` (the kubectl rules) and the quiz grader (command questions) both read
//! commands with this crate, so that they agree by construction. No I/O and no dependencies:
//! the quiz grader runs it in WebAssembly, on the subset of a table that the build attaches to
//! each command question ([`Table::subset`]).

pub mod builtin;
pub mod read;
pub mod table;

pub use read::{read, FlagUse, Reading, Stop, UnknownFlag};
pub use table::{Arity, Flag, FlagDefault, Resource, Spec, Style, Table};
