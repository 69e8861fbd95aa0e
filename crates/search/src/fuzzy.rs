//! Typo tolerance: how many typing mistakes a query word may hold, and the distance between a
//! typed word and an index term, counting a letter missing, added or changed and two
//! neighbouring letters swapped as one mistake each (the optimal string alignment distance).

/// Words shorter than this are read as typed: with a mistake allowed, `pod` would match `pid`.
pub const FUZZY_MIN_CHARS: usize = 4;

/// Words this long or longer may hold two mistakes (`kuberntes`, `contianer`).
pub const TWO_EDITS_MIN_CHARS: usize = 8;

/// The mistakes a query word of this text may hold: none below [`FUZZY_MIN_CHARS`]
/// characters, one below [`TWO_EDITS_MIN_CHARS`], else two.
pub fn allowed_edits(word: &str) -> u8 {
    let chars = crate::terms::char_count(word);
    if chars < FUZZY_MIN_CHARS {
        0
    } else if chars < TWO_EDITS_MIN_CHARS {
        1
    } else {
        2
    }
}

/// Measures index terms against one typed word, reusing its buffers from term to term.
#[derive(Debug, Clone)]
pub struct Matcher {
    typed: Vec<char>,
    prefix: bool,
    most: u8,
    term: Vec<char>,
    rows: [Vec<u8>; 3],
}

impl Matcher {
    /// A matcher for `typed` (lowercase); with `prefix`, a term matches when one of its
    /// prefixes is close enough (the word is still being typed).
    pub fn new(typed: &str, prefix: bool) -> Matcher {
        let typed: Vec<char> = typed.chars().collect();
        let width = typed.len() + 1;
        Matcher {
            most: allowed_edits(&typed.iter().collect::<String>()),
            typed,
            prefix,
            term: Vec::new(),
            rows: [vec![0; width], vec![0; width], vec![0; width]],
        }
    }

    /// The mistakes between the typed word and `term` (or its closest prefix), when within
    /// those allowed.
    ///
    /// No slice is indexed (`get` with a fallback instead): a bounds check would pull the
    /// panic message's formatting into the WebAssembly bundle.
    pub fn edits(&mut self, term: &str) -> Option<u8> {
        let most = usize::from(self.most);
        let m = self.typed.len();
        self.term.clear();
        self.term.extend(term.chars());
        let n = self.term.len();
        if (!self.prefix && n.abs_diff(m) > most) || n + most < m {
            return None;
        }
        let last_cell = |row: &[u8]| usize::from(row.last().copied().unwrap_or(u8::MAX));
        // rows[2] is row j (the first j characters of the term), rows[1] row j-1, rows[0] j-2.
        for (i, cell) in self.rows[2].iter_mut().enumerate() {
            *cell = saturated(i);
        }
        let mut best = if self.prefix {
            last_cell(&self.rows[2])
        } else {
            usize::MAX
        };
        let mut previous_min = 0;
        let mut previous_t = None;
        for (j, &t) in self.term.iter().enumerate() {
            self.rows.rotate_left(1);
            let [before, last, row] = &mut self.rows;
            // Row j's cell for the first i characters typed is `left` once computed.
            let mut left = saturated(j + 1);
            if let Some(first) = row.first_mut() {
                *first = left;
            }
            let mut row_min = left;
            let mut previous_q = None;
            for (i, &q) in self.typed.iter().enumerate() {
                let diagonal = last.get(i).copied().unwrap_or(u8::MAX);
                let up = last.get(i + 1).copied().unwrap_or(u8::MAX);
                let mut cell = diagonal
                    .saturating_add(u8::from(q != t))
                    .min(up.saturating_add(1))
                    .min(left.saturating_add(1));
                // Two neighbouring letters swapped.
                if previous_q == Some(t) && previous_t == Some(q) {
                    let swapped = i
                        .checked_sub(1)
                        .and_then(|k| before.get(k))
                        .copied()
                        .unwrap_or(u8::MAX);
                    cell = cell.min(swapped.saturating_add(1));
                }
                if let Some(slot) = row.get_mut(i + 1) {
                    *slot = cell;
                }
                left = cell;
                row_min = row_min.min(cell);
                previous_q = Some(q);
            }
            if self.prefix {
                best = best.min(usize::from(left));
            }
            // Rows never drop by more than one below the smaller of the two before them.
            if usize::from(row_min) > most && usize::from(previous_min) > most {
                break;
            }
            previous_min = row_min;
            previous_t = Some(t);
        }
        if !self.prefix {
            best = last_cell(&self.rows[2]);
        }
        (best <= most).then(|| u8::try_from(best).unwrap_or(u8::MAX))
    }
}

/// `n` as a cell of the distance table, saturating.
fn saturated(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits(typed: &str, term: &str) -> Option<u8> {
        Matcher::new(typed, false).edits(term)
    }

    #[test]
    fn short_words_are_read_as_typed() {
        assert_eq!(allowed_edits("pod"), 0);
        assert_eq!(allowed_edits("etcd"), 1);
        assert_eq!(allowed_edits("kuberntes"), 2);
        assert_eq!(edits("pdo", "pod"), None);
    }

    #[test]
    fn one_mistake_of_each_kind() {
        assert_eq!(
            edits("kuberntes", "kubernetes"),
            Some(1),
            "a letter missing"
        );
        assert_eq!(edits("qourum", "quorum"), Some(1), "two letters swapped");
        assert_eq!(edits("quorrum", "quorum"), Some(1), "a letter added");
        assert_eq!(edits("quorun", "quorum"), Some(1), "a letter changed");
        assert_eq!(edits("quorum", "quorum"), Some(0));
    }

    #[test]
    fn two_mistakes_only_on_long_words() {
        assert_eq!(edits("kubrentes", "kubernetes"), Some(2));
        assert_eq!(edits("cotnainre", "container"), Some(2));
        assert_eq!(
            edits("qoruom", "quorum"),
            None,
            "two mistakes in six letters"
        );
        assert_eq!(edits("kbrntes", "kubernetes"), None);
    }

    #[test]
    fn a_word_being_typed_matches_the_start_of_a_term() {
        let mut matcher = Matcher::new("kubernt", true);
        assert_eq!(matcher.edits("kubernetes"), Some(1));
        assert_eq!(matcher.edits("kubelet"), None);
        assert_eq!(matcher.edits("kuber"), None, "too short to be it");
        let mut matcher = Matcher::new("snpa", true);
        assert_eq!(matcher.edits("snapshot"), Some(1));
    }

    #[test]
    fn non_ascii_letters_count_as_one() {
        assert_eq!(edits("grösse", "größe"), None, "ss for ß is two mistakes");
        assert_eq!(edits("übersict", "übersicht"), Some(1));
    }
}
