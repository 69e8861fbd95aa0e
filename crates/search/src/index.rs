//! The query side of the index: the sorted terms, their encoded posting lists and the length
//! of each doc, as the index file holds them, ready for [`Index::search`](crate::Index).

use std::fmt;
use std::ops::Range;

use crate::postings;

/// Why an index cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The number of posting lists differs from the number of terms.
    Counts {
        /// Terms.
        terms: usize,
        /// Posting lists.
        postings: usize,
    },
    /// The terms are not sorted, or one is repeated: the term at this position.
    Unsorted(usize),
    /// The index is too large to address with 32-bit offsets.
    TooLarge,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::Counts { terms, postings } => write!(
                f,
                "the index has {terms} terms but {postings} posting lists"
            ),
            IndexError::Unsorted(i) => write!(f, "the index's term {i} is out of order"),
            IndexError::TooLarge => write!(f, "the index is too large"),
        }
    }
}

impl std::error::Error for IndexError {}

/// Space-separated items kept in one string, with the offset where each starts.
#[derive(Debug, Clone, Default)]
struct Joined {
    text: String,
    starts: Vec<u32>,
}

impl Joined {
    fn new(text: String) -> Result<Joined, IndexError> {
        u32::try_from(text.len()).map_err(|_| IndexError::TooLarge)?;
        let starts = if text.is_empty() {
            Vec::new()
        } else {
            std::iter::once(0)
                .chain(text.match_indices(' ').map(|(i, _)| i as u32 + 1))
                .collect()
        };
        Ok(Joined { text, starts })
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    fn get(&self, i: usize) -> &str {
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next as usize - 1);
        self.text.get(start as usize..end).unwrap_or("")
    }
}

/// A loaded search index.
#[derive(Debug, Clone)]
pub struct Index {
    terms: Joined,
    postings: Joined,
    lengths: Vec<u32>,
    average_length: f64,
    /// The docs that are quiz questions, in increasing order.
    questions: Vec<u32>,
}

impl Index {
    /// The index of the file's space-separated, sorted `terms`, their space-separated encoded
    /// `postings` (see [`postings`]) and the weighted term count of every doc, `lengths`.
    pub fn new(terms: String, postings: String, lengths: Vec<u32>) -> Result<Index, IndexError> {
        let terms = Joined::new(terms)?;
        let postings = Joined::new(postings)?;
        if terms.len() != postings.len() {
            return Err(IndexError::Counts {
                terms: terms.len(),
                postings: postings.len(),
            });
        }
        if let Some(i) = (1..terms.len()).find(|&i| terms.get(i - 1) >= terms.get(i)) {
            return Err(IndexError::Unsorted(i));
        }
        let total: f64 = lengths.iter().map(|&l| f64::from(l)).sum();
        let average = total / lengths.len().max(1) as f64;
        Ok(Index {
            terms,
            postings,
            average_length: if average > 0.0 { average } else { 1.0 },
            lengths,
            questions: Vec::new(),
        })
    }

    /// The index with the docs `questions` marked as quiz questions, which rank below the
    /// sections of lessons (see [`QUESTION_WEIGHT`](crate::QUESTION_WEIGHT)). The index file
    /// lists them in increasing order; a doc out of order is dropped (not sorted: sorting
    /// code would grow the WebAssembly bundle).
    pub fn with_questions(mut self, questions: Vec<u32>) -> Index {
        let mut kept: Vec<u32> = Vec::with_capacity(questions.len());
        for doc in questions {
            if kept.last().is_none_or(|&last| doc > last) {
                kept.push(doc);
            }
        }
        self.questions = kept;
        self
    }

    /// Whether `doc` is a quiz question.
    pub fn is_question(&self, doc: usize) -> bool {
        u32::try_from(doc).is_ok_and(|doc| self.questions.binary_search(&doc).is_ok())
    }

    /// Number of docs.
    pub fn docs(&self) -> usize {
        self.lengths.len()
    }

    /// Number of terms.
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// Term `i` (empty when out of range).
    pub fn term(&self, i: usize) -> &str {
        self.terms.get(i)
    }

    /// The position of `term`, if the index has it.
    pub fn find(&self, term: &str) -> Option<usize> {
        let i = self.lower_bound(term);
        (i < self.terms.len() && self.terms.get(i) == term).then_some(i)
    }

    /// The positions of the first `max` terms starting with `prefix`, in sorted order.
    pub fn expand(&self, prefix: &str, max: usize) -> Range<usize> {
        let start = self.lower_bound(prefix);
        let end = (start..self.terms.len().min(start.saturating_add(max)))
            .find(|&i| !self.terms.get(i).starts_with(prefix))
            .unwrap_or_else(|| self.terms.len().min(start.saturating_add(max)));
        start..end
    }

    fn lower_bound(&self, term: &str) -> usize {
        let (mut low, mut high) = (0, self.terms.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.terms.get(mid) < term {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// The `(doc, term frequency)` pairs of term `i`, skipping docs the index does not have.
    pub fn postings(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let docs = self.lengths.len();
        postings::decode(self.postings.get(i))
            .map(|(doc, tf)| (doc as usize, tf))
            .take_while(move |&(doc, _)| doc < docs)
    }

    /// The number of docs holding term `i`.
    pub fn doc_frequency(&self, i: usize) -> usize {
        self.postings(i).count()
    }

    /// The weighted number of terms of `doc`.
    pub fn length(&self, doc: usize) -> u32 {
        self.lengths.get(doc).copied().unwrap_or(0)
    }

    /// The average doc length (1 for an empty index).
    pub fn average_length(&self) -> f64 {
        self.average_length
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(terms: &str) -> Index {
        let postings = vec!["0"; terms.split(' ').count()].join(" ");
        Index::new(terms.to_owned(), postings, vec![3]).expect("an index")
    }

    #[test]
    fn exact_terms_are_found_by_binary_search() {
        let index = index("etcd etcdctl kube kube-proxy proxy");
        assert_eq!(index.find("etcd"), Some(0));
        assert_eq!(index.find("proxy"), Some(4));
        assert_eq!(index.find("etc"), None);
        assert_eq!(index.find("zzz"), None);
        assert_eq!(index.find(""), None);
    }

    #[test]
    fn prefixes_expand_to_a_run_of_terms() {
        let index = index("etcd etcdctl kube kube-proxy proxy");
        assert_eq!(index.expand("etc", 200), 0..2);
        assert_eq!(index.expand("kube", 200), 2..4);
        assert_eq!(index.expand("kube", 1), 2..3);
        assert_eq!(index.expand("q", 200), 5..5);
        assert_eq!(index.expand("", 200), 0..5);
    }

    #[test]
    fn bad_indexes_are_refused() {
        let unsorted = Index::new("b a".into(), "0 0".into(), vec![1]);
        assert_eq!(unsorted.err(), Some(IndexError::Unsorted(1)));
        let repeated = Index::new("a a".into(), "0 0".into(), vec![1]);
        assert_eq!(repeated.err(), Some(IndexError::Unsorted(1)));
        let counts = Index::new("a b".into(), "0".into(), vec![1]);
        assert!(counts.is_err_and(|e| e.to_string().contains("2 terms but 1")));
        let empty = Index::new(String::new(), String::new(), Vec::new()).expect("empty");
        assert_eq!((empty.terms(), empty.docs()), (0, 0));
        assert_eq!(empty.average_length(), 1.0);
    }

    #[test]
    fn question_docs_are_marked() {
        let index = index("a b").with_questions(vec![2, 2, 4, 3]);
        assert!(index.is_question(2) && index.is_question(4));
        assert!(!index.is_question(3), "out of order: dropped");
        assert!(!index.is_question(0) && !index.is_question(usize::MAX));
    }

    #[test]
    fn postings_past_the_last_doc_are_dropped() {
        // Docs 0 and 5, but the index has one doc.
        let index = Index::new("a".into(), "0a".into(), vec![2]).expect("index");
        assert_eq!(index.postings(0).collect::<Vec<_>>(), [(0, 1)]);
        assert_eq!(index.doc_frequency(0), 1);
        assert_eq!(index.postings(7).count(), 0);
        assert_eq!(index.length(9), 0);
    }
}
