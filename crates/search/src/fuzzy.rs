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
    pub fn edits(&mut self, term: &str) -> Option<u8> {
        let most = usize::from(self.most);
        let m = self.typed.len();
        self.term.clear();
        self.term.extend(term.chars());
        let n = self.term.len();
        if (!self.prefix && n.abs_diff(m) > most) || n + most < m {
            return None;
        }
        // rows[2] is row j (the first j characters of the term), rows[1] row j-1, rows[0] j-2.
        for (i, cell) in self.rows[2].iter_mut().enumerate() {
            *cell = u8::try_from(i).unwrap_or(u8::MAX);
        }
        let mut best = if self.prefix {
            usize::from(self.rows[2][m])
        } else {
            usize::MAX
        };
        let mut previous_min = 0;
        for j in 1..=n {
            self.rows.rotate_left(1);
            let [before, last, row] = &mut self.rows;
            row[0] = u8::try_from(j).unwrap_or(u8::MAX);
            let mut row_min = row[0];
            let t = self.term[j - 1];
            for i in 1..=m {
                let q = self.typed[i - 1];
                let substitution = last[i - 1].saturating_add(u8::from(q != t));
                let mut cell = substitution
                    .min(last[i].saturating_add(1))
                    .min(row[i - 1].saturating_add(1));
                if i > 1 && j > 1 && q == self.term[j - 2] && self.typed[i - 2] == t {
                    cell = cell.min(before[i - 2].saturating_add(1));
                }
                row[i] = cell;
                row_min = row_min.min(cell);
            }
            if self.prefix {
                best = best.min(usize::from(row[m]));
            }
            // Rows never drop by more than one below the smaller of the two before them.
            if usize::from(row_min) > most && usize::from(previous_min) > most {
                break;
            }
            previous_min = row_min;
        }
        if !self.prefix {
            best = usize::from(self.rows[2][m]);
        }
        (best <= most).then(|| u8::try_from(best).unwrap_or(u8::MAX))
    }
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
