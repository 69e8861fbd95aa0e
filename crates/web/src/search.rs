//! The search bundle's surface: the query over the index the page hands over once.

use coursebook_search::{Found, Index, Marked};
use wasm_bindgen::prelude::*;

/// The search index, handed over once from the index script (`static/search-index.js`, see
/// `crates/site/src/search.rs`); the section texts stay in the page, which passes the few it
/// shows to [`SearchResults`].
#[wasm_bindgen]
pub struct SearchIndex(Index);

#[wasm_bindgen]
impl SearchIndex {
    /// The index of the file's `terms` and `postings` strings, every doc's `length`, and the
    /// docs that are quiz questions (which rank below the lessons' sections).
    #[wasm_bindgen(constructor)]
    pub fn new(
        terms: String,
        postings: String,
        lengths: Vec<u32>,
        questions: Vec<u32>,
    ) -> Result<SearchIndex, JsError> {
        Index::new(terms, postings, lengths)
            .map(|index| SearchIndex(index.with_questions(questions)))
            // A fixed message: formatting the error would pull `core::fmt` into the bundle.
            .map_err(|_| JsError::new("the search index is not readable"))
    }

    /// The docs matching `query`, ranked, the best `max` kept; `undefined` when the query holds
    /// no word to search for.
    pub fn search(&self, query: &str, max: u32) -> Option<SearchResults> {
        self.0.search(query, max as usize).map(SearchResults)
    }
}

/// What a query found: the ranked docs, and the marking of the texts shown for them.
#[wasm_bindgen]
pub struct SearchResults(Found);

#[wasm_bindgen]
impl SearchResults {
    /// How many docs matched.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> u32 {
        u32::try_from(self.0.total).unwrap_or(u32::MAX)
    }

    /// The best docs, best first.
    #[wasm_bindgen(getter)]
    pub fn docs(&self) -> Vec<u32> {
        self.0
            .hits
            .iter()
            .map(|hit| u32::try_from(hit.doc).unwrap_or(u32::MAX))
            .collect()
    }

    /// The words the index does not have, each followed by the term read instead: typed,
    /// read, typed, read, …
    #[wasm_bindgen(getter)]
    pub fn corrections(&self) -> Vec<String> {
        self.0
            .corrections
            .iter()
            .flat_map(|c| [c.typed.clone(), c.read.clone()])
            .collect()
    }

    /// `text` (a title or heading) in pieces: plain, marked, plain, …, plain.
    pub fn mark(&self, text: &str) -> Vec<String> {
        pieces(&self.0.marked(text))
    }

    /// The snippet of `text` (a section) in pieces: plain, marked, plain, …, plain.
    pub fn snippet(&self, text: &str) -> Vec<String> {
        pieces(&self.0.snippet(text))
    }
}

fn pieces(marked: &Marked) -> Vec<String> {
    marked.segments().into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    //! The surface, natively (error paths need a JavaScript host).

    use super::*;

    #[test]
    fn search_ranks_and_marks_in_pieces() {
        // Terms "backup", "etcd", "etcdctl": doc 0 holds backup and etcd, doc 1 etcdctl.
        let index = SearchIndex::new(
            "backup etcd etcdctl".into(),
            "0 0 2".into(),
            vec![2, 1],
            vec![],
        )
        .map_err(|_| "a valid index");
        let Ok(index) = index else {
            panic!("the index was refused");
        };
        assert!(index.search("the ", 20).is_none(), "nothing to search for");
        let Some(found) = index.search("etcd", 20) else {
            panic!("no results");
        };
        assert_eq!((found.total(), found.docs()), (2, vec![0, 1]));
        assert_eq!(found.mark("Etcd backup"), ["", "Etcd", " backup"]);
        assert_eq!(found.snippet("no match"), ["no match"]);
        assert_eq!(index.search("etcd", 1).map(|f| f.docs()), Some(vec![0]));
        let Some(found) = index.search("backpu ", 20) else {
            panic!("no results");
        };
        assert_eq!(found.corrections(), ["backpu", "backup"]);
        // Doc 0 marked as a question ranks below doc 1 for a term both hold equally.
        let both = SearchIndex::new("etcd".into(), "02".into(), vec![1, 1], vec![0])
            .map_err(|_| "a valid index");
        let Ok(both) = both else {
            panic!("the index was refused");
        };
        assert_eq!(both.search("etcd", 20).map(|f| f.docs()), Some(vec![1, 0]));
    }
}
