//! coursebook's full-text search: the tokeniser ([`terms`]), the encoding of posting lists
//! ([`postings`]), and the query ([`Index`]): reading what the learner typed into terms, exact,
//! prefix and typo-tolerant lookup, BM25 ranking, and the snippet with the matching words
//! marked.
//!
//! No I/O, no dependencies: `coursebook-site` builds the index file with the same tokeniser
//! and encoding, and the page runs the query with this code compiled to WebAssembly by
//! `coursebook-web`, so the build and the query always agree on what a term is.
//!
//! ```
//! use coursebook_search::{postings, Index};
//!
//! // Two docs: "etcd backup" (doc 0) and "etcdctl snapshot" (doc 1).
//! let mut lists = String::new();
//! for list in [&[(0, 1)][..], &[(0, 1)], &[(1, 1)], &[(1, 1)]] {
//!     if !lists.is_empty() {
//!         lists.push(' ');
//!     }
//!     postings::push_list(&mut lists, list);
//! }
//! let index = Index::new("backup etcd etcdctl snapshot".into(), lists, vec![2, 2]).unwrap();
//! let found = index.search("etc", 20).unwrap();
//! assert_eq!(found.total, 2);
//! assert_eq!(found.snippet("etcdctl snapshot").segments(), ["", "etcdctl", " snapshot"]);
//! ```

mod fuzzy;
mod index;
mod lowercase;
mod marks;
pub mod postings;
mod query;
pub mod terms;

pub use fuzzy::{allowed_edits, FUZZY_MIN_CHARS, TWO_EDITS_MIN_CHARS};
pub use index::{Index, IndexError};
pub use lowercase::lowercase;
pub use marks::{marks, Marked, SNIPPET_CHARS};
pub use query::{
    Correction, Found, Hit, QueryTerm, B, FUZZY_WEIGHT, K1, MAX_EXPANSIONS, MAX_QUERY_TERMS,
    MAX_RESULTS, PREFIX_WEIGHT, QUESTION_WEIGHT,
};

#[cfg(test)]
mod tests;
