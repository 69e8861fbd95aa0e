//! Queries: reading what the learner typed into terms, finding the index terms each stands for
//! (itself, the terms it starts, or, for a word the index does not have, the terms within one
//! or two typing mistakes of it), and ranking the docs with BM25.

use crate::fuzzy::{allowed_edits, Matcher};
use crate::index::Index;
use crate::lowercase::lowercase;
use crate::terms::{is_indexed, is_part_char, parts, slice, words};

/// Results shown at most (the count says how many matched).
pub const MAX_RESULTS: usize = 20;

/// Terms a prefix may stand for.
pub const MAX_EXPANSIONS: usize = 200;

/// Query terms read at most; the rest of a very long query is ignored.
pub const MAX_QUERY_TERMS: usize = 32;

/// How much a longer term matched by a typed prefix counts, against the term itself.
pub const PREFIX_WEIGHT: f64 = 0.7;

/// How much an index term within one typing mistake of a query term counts, against the term
/// itself; two mistakes count the square of it.
pub const FUZZY_WEIGHT: f64 = 0.6;

/// How much a quiz question counts against a section of a lesson holding the same words: the
/// lesson teaches them, the question only asks about them.
pub const QUESTION_WEIGHT: f64 = 0.5;

/// BM25's term-frequency saturation.
pub const K1: f64 = 1.2;

/// BM25's length normalisation.
pub const B: f64 = 0.75;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The term, lowercase.
    pub text: String,
    /// Whether it also matches the longer terms it starts (the word being typed).
    pub prefix: bool,
}

impl QueryTerm {
    /// Whether `word` (lowercase) matches this term.
    pub fn matches(&self, word: &str) -> bool {
        if self.prefix {
            word.starts_with(&self.text)
        } else {
            word == self.text
        }
    }
}

/// One ranked doc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The doc's number in the index.
    pub doc: usize,
    /// Its score (higher is better).
    pub score: f64,
}

/// A word of the query the index does not have, read as the index term closest to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The word as typed (lowercase).
    pub typed: String,
    /// The index term read instead: the fewest mistakes away, then the most frequent.
    pub read: String,
}

/// What a query found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The query's terms, to mark in the results, followed by the index terms that typo
    /// tolerance read for the words the index does not have.
    pub terms: Vec<QueryTerm>,
    /// The words read as other terms, in query order.
    pub corrections: Vec<Correction>,
    /// How many docs matched.
    pub total: usize,
    /// The best of them, best first, at most the `max` asked for.
    pub hits: Vec<Hit>,
}

impl Index {
    /// The terms of `query`: each word whole when the index has it (or, for the last word,
    /// a term starting with it), else its parts. The last word is a prefix unless the query
    /// ends with a space or punctuation. Stop words and single letters are dropped unless
    /// they are the prefix; repeated terms count once.
    pub fn parse_query(&self, query: &str) -> Vec<QueryTerm> {
        let typing = query.chars().next_back().is_some_and(is_part_char);
        let spans: Vec<_> = words(query).collect();
        let mut out: Vec<QueryTerm> = Vec::new();
        let mut add = |text: &str, prefix: bool| {
            let known = out.iter().any(|t| t.prefix == prefix && t.text == text);
            if !known && (prefix || is_indexed(text)) && out.len() < MAX_QUERY_TERMS {
                out.push(QueryTerm {
                    text: text.to_owned(),
                    prefix,
                });
            }
        };
        for (k, span) in spans.iter().enumerate() {
            let word = lowercase(slice(query, span.clone()));
            let last = typing && k + 1 == spans.len();
            let word_parts: Vec<_> = parts(&word).collect();
            let whole = word_parts.len() > 1
                && if last {
                    !self.expand(&word, 1).is_empty()
                } else {
                    self.find(&word).is_some()
                };
            if whole || word_parts.len() == 1 {
                add(&word, last);
                continue;
            }
            for (j, part) in word_parts.iter().enumerate() {
                add(
                    slice(&word, part.clone()),
                    last && j + 1 == word_parts.len(),
                );
            }
        }
        out
    }

    /// Ranks the docs for `query`, keeping the best `max` (a page of results: the cost grows
    /// with it); `None` when the query has no term.
    ///
    /// A doc's score is the sum over the query's terms of the best BM25 score among the index
    /// terms each stands for (itself, or up to [`MAX_EXPANSIONS`] terms it is a prefix of,
    /// those counting [`PREFIX_WEIGHT`]; for a term of at least four letters that matches
    /// nothing, the terms within one mistake of it, or two from eight letters — a letter
    /// missing, added, changed, or two swapped — counting [`FUZZY_WEIGHT`] per mistake), times
    /// the square of the share of the query's terms it holds, so that docs holding every term
    /// come first, times [`QUESTION_WEIGHT`] for a quiz question. Ties keep index order.
    pub fn search(&self, query: &str, max: usize) -> Option<Found> {
        let mut terms = self.parse_query(query);
        if terms.is_empty() {
            return None;
        }
        let mut tallies = vec![Tally::default(); self.docs()];
        let mut touched = Vec::new();
        let mut read = Vec::new();
        let mut corrections = Vec::new();
        for term in &terms {
            let candidates = self.candidates(term);
            if let Some(best) = candidates.iter().filter(|c| c.edits > 0).min_by(|a, b| {
                a.edits
                    .cmp(&b.edits)
                    .then(self.doc_frequency(b.term).cmp(&self.doc_frequency(a.term)))
            }) {
                corrections.push(Correction {
                    typed: term.text.clone(),
                    read: self.term(best.term).to_owned(),
                });
            }
            for candidate in candidates.iter().filter(|c| c.edits > 0) {
                read.push(QueryTerm {
                    text: self.term(candidate.term).to_owned(),
                    prefix: false,
                });
            }
            self.score_term(&candidates, &mut tallies, &mut touched);
            for doc in touched.drain(..) {
                if let Some(tally) = tallies.get_mut(doc) {
                    tally.score += tally.best;
                    tally.matched += 1;
                    tally.best = f64::NEG_INFINITY;
                }
            }
        }
        let count = terms.len() as f64;
        let mut total = 0;
        let mut hits: Vec<Hit> = Vec::with_capacity(max.min(tallies.len()));
        for (doc, tally) in tallies.iter().enumerate().filter(|(_, t)| t.matched > 0) {
            total += 1;
            let prior = if self.is_question(doc) {
                QUESTION_WEIGHT
            } else {
                1.0
            };
            let score = prior * tally.score * (f64::from(tally.matched) / count).powi(2);
            // Docs come in increasing order, so a tie goes after the docs already kept.
            let at = hits.partition_point(|kept| kept.score >= score);
            if at < max {
                hits.truncate(max - 1);
                hits.insert(at, Hit { doc, score });
            }
        }
        read.dedup();
        terms.extend(read);
        Some(Found {
            terms,
            corrections,
            total,
            hits,
        })
    }

    /// The index terms `term` stands for, with their weight: itself, the terms it starts when
    /// it is a prefix, else the terms within the mistakes its length allows.
    fn candidates(&self, term: &QueryTerm) -> Vec<Candidate> {
        let found: Vec<Candidate> = if term.prefix {
            self.expand(&term.text, MAX_EXPANSIONS)
                .map(|t| Candidate {
                    term: t,
                    edits: 0,
                    weight: if self.term(t) == term.text {
                        1.0
                    } else {
                        PREFIX_WEIGHT
                    },
                })
                .collect()
        } else {
            self.find(&term.text)
                .map(|t| Candidate {
                    term: t,
                    edits: 0,
                    weight: 1.0,
                })
                .into_iter()
                .collect()
        };
        if !found.is_empty() || allowed_edits(&term.text) == 0 {
            return found;
        }
        let mut matcher = Matcher::new(&term.text, term.prefix);
        // The terms one mistake away first, then those two away, at most MAX_EXPANSIONS in all.
        let (mut out, mut farther) = (Vec::new(), Vec::new());
        for t in 0..self.terms() {
            let Some(edits) = matcher.edits(self.term(t)) else {
                continue;
            };
            let mut weight = FUZZY_WEIGHT.powi(i32::from(edits));
            if term.prefix && self.term(t).chars().count() > term.text.chars().count() {
                weight *= PREFIX_WEIGHT;
            }
            let candidate = Candidate {
                term: t,
                edits,
                weight,
            };
            if edits <= 1 {
                out.push(candidate);
                if out.len() == MAX_EXPANSIONS {
                    return out;
                }
            } else if farther.len() < MAX_EXPANSIONS {
                farther.push(candidate);
            }
        }
        out.extend(farther.into_iter().take(MAX_EXPANSIONS - out.len()));
        out
    }

    /// Sets the `best` score of the `candidates` of one query term in every doc holding one
    /// (negative infinity for every doc on entry), listing those docs in `touched`.
    fn score_term(
        &self,
        candidates: &[Candidate],
        tallies: &mut [Tally],
        touched: &mut Vec<usize>,
    ) {
        let docs = self.docs() as f64;
        for candidate in candidates {
            let t = candidate.term;
            let df = self.doc_frequency(t) as f64;
            let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
            let weight = candidate.weight;
            for (doc, tf) in self.postings(t) {
                let Some(tally) = tallies.get_mut(doc) else {
                    continue;
                };
                let tf = f64::from(tf);
                let norm = 1.0 - B + B * f64::from(self.length(doc)) / self.average_length();
                let score = weight * idf * tf * (K1 + 1.0) / (tf + K1 * norm);
                if tally.best == f64::NEG_INFINITY {
                    touched.push(doc);
                }
                if score > tally.best {
                    tally.best = score;
                }
            }
        }
    }
}

/// An index term a query term stands for.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// The index term's position.
    term: usize,
    /// Typing mistakes between them (0 for the term itself or a term it starts).
    edits: u8,
    /// How much it counts.
    weight: f64,
}

/// A doc's running score during a query.
#[derive(Debug, Clone, Copy)]
struct Tally {
    /// The sum of the best score of each query term so far.
    score: f64,
    /// How many query terms it holds.
    matched: u32,
    /// The best score of the current query term.
    best: f64,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            score: 0.0,
            matched: 0,
            best: f64::NEG_INFINITY,
        }
    }
}
