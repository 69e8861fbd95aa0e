//! coursebook-lint: the rules of `coursebook check`, run over the chapter IR that the build
//! produces (no markdown is parsed again), reported as rustc-style diagnostics.
//!
//! [`engine`] runs every family over a [`coursebook_site::Site`] and applies `lint-allow=` and
//! `book.toml`'s `[check.rules]`; [`report`] prints the result for people, machines or GitHub.
//! Families: [`links`], [`external`], [`shell`], [`kubectl`], [`manifest`], [`practice`],
//! [`quiz`], [`text`]. [`rules`] lists them all.

pub mod context;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod external;
#[cfg(test)]
mod hostile_tests;
pub mod kubectl;
pub mod links;
pub mod manifest;
pub mod practice;
pub mod quiz;
pub mod report;
pub mod rules;
pub mod shell;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
pub mod versions;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{check, validate_rules, Options, Outcome};
pub use error::{Error, Result};
