//! coursebook's WebAssembly surface, built as two bundles that `cargo xtask wasm` writes into
//! `theme/`: the quiz bundle (feature `quiz`: grading, scheduling and calculators, in
//! `coursebook-wasm.js`, which quiz pages load) and the search bundle (feature `search`: the
//! query, in `coursebook-search-wasm.js`, loaded the first time the learner opens search, so no
//! page pays for search before using it). Native builds and tests have both.
//!
//! The functions take and return plain values (strings, numbers, arrays), never JSON: parsing
//! JSON in wasm would more than double the module, and the browser parses JSON natively. The
//! page-side facades `crates/web/js/api.js` (the learner's records) and
//! `crates/web/js/search-api.js` call these.

#[cfg(feature = "quiz")]
mod quiz;
#[cfg(feature = "search")]
mod search;

#[cfg(feature = "quiz")]
pub use quiz::*;
#[cfg(feature = "search")]
pub use search::*;
