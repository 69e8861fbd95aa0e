//! What stops a check from running at all (as opposed to the findings it reports).

use coursebook_site::error::Location;

/// A check that could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `[check.rules]` names a rule that does not exist.
    #[error("{location}: unknown rule `{id}` in [check.rules] (`coursebook check --list-rules` lists them)")]
    UnknownRule {
        /// Where the key is written.
        location: Location,
        /// The id as written.
        id: String,
    },
    /// A `[check.external]` value is invalid.
    #[error("{location}: {message}")]
    Config {
        /// Where the key is written.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// The link cache's path holds a file that is not a link cache: it is never replaced.
    #[error("{}: {message}", path.display())]
    NotACache {
        /// The file.
        path: std::path::PathBuf,
        /// Why it is not one, and what to do.
        message: String,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
