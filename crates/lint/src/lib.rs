//! coursebook-lint: the rules of `coursebook check`, run over the chapter IR that the build
//! produces (no markdown is parsed again), reported as rustc-style diagnostics.
//!
//! `engine` ([`check`]) runs every family over a [`coursebook_site::Site`] and applies
//! `lint-allow=` and `book.toml`'s `[check.rules]`; [`report`] prints the result for people,
//! machines or GitHub. Families: `links`, `external`, `shell`, `kubectl`, `manifest`,
//! `practice`, `quiz`, `text`, `versions`. [`rules`] lists them all. Only what the binary uses is public: the
//! families are private modules (`unreachable_pub` keeps their items `pub(crate)`).
#![warn(unreachable_pub)]

mod context;
mod diagnostic;
mod engine;
mod error;
mod external;
#[cfg(test)]
mod hostile_tests;
mod kubectl;
mod links;
mod manifest;
mod practice;
mod quiz;
pub mod report;
pub mod rules;
mod shell;
#[cfg(test)]
pub(crate) mod testing;
mod text;
mod versions;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{check, validate_rules, Options, Outcome};
pub use error::{Error, Result};
