//! The encoding of posting lists in the index file.
//!
//! The posting list of a term lists the docs holding it in increasing order, each as a varint
//! `2 * gap + (tf > 1)` followed by a varint `tf - 2` when `tf > 1`, `gap` being the distance
//! from the previous doc (from 0 for the first). A varint is written most significant digit
//! first in base 32: every digit but the last from [`MORE`], the last from [`LAST`], so lists
//! need no separators inside and no escaping in JSON; lists are separated by spaces.

/// Final digits of a varint (values 0 to 31).
pub const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Leading digits of a varint (values 0 to 31, more digits follow).
pub const MORE: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Appends `n` as a varint.
pub fn push_varint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 13];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for &d in digits[1..len].iter().rev() {
        out.push(char::from(MORE[usize::from(d)]));
    }
    out.push(char::from(LAST[usize::from(digits[0])]));
}

/// Appends the posting list `list` of `(doc, term frequency)`, docs in increasing order and
/// frequencies at least 1.
pub fn push_list(out: &mut String, list: &[(u32, u32)]) {
    let mut previous = 0;
    for &(doc, tf) in list {
        push_posting(out, doc.saturating_sub(previous), tf);
        previous = doc;
    }
}

/// Appends one posting to a list: a doc `gap` docs after the list's previous one (after doc 0
/// for the first), holding the term `tf` times (at least 1). Lets a builder encode a list as
/// its docs come, never holding the list unencoded.
pub fn push_posting(out: &mut String, gap: u32, tf: u32) {
    let repeated = tf > 1;
    push_varint(out, 2 * u64::from(gap) + u64::from(repeated));
    if repeated {
        push_varint(out, u64::from(tf - 2));
    }
}

/// The value of digit `b`: `(value, last)`, or `None` for a character that is no digit.
fn digit(b: u8) -> Option<(u64, bool)> {
    let value = match b {
        b'0'..=b'9' => (b - b'0', true),
        b'a'..=b'v' => (b - b'a' + 10, true),
        b'w'..=b'z' => (b - b'w', false),
        b'A'..=b'Z' => (b - b'A' + 4, false),
        b'-' => (30, false),
        b'_' => (31, false),
        _ => return None,
    };
    Some((u64::from(value.0), value.1))
}

/// The `(doc, term frequency)` pairs of one encoded posting list. Decoding stops at the first
/// character that is not a digit, or at a number too large for a doc.
pub fn decode(list: &str) -> Decode<'_> {
    Decode {
        bytes: list.as_bytes(),
        at: 0,
        doc: 0,
    }
}

/// Iterator over a posting list: see [`decode`].
#[derive(Debug, Clone)]
pub struct Decode<'a> {
    bytes: &'a [u8],
    at: usize,
    doc: u32,
}

impl Decode<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        loop {
            let (d, last) = digit(*self.bytes.get(self.at)?)?;
            self.at += 1;
            n = n.checked_mul(32)?.checked_add(d)?;
            if last {
                return Some(n);
            }
        }
    }
}

impl Iterator for Decode<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        let head = self.varint();
        let Some(head) = head else {
            self.at = self.bytes.len();
            return None;
        };
        let gap = u32::try_from(head / 2).ok();
        let tf = if head % 2 == 1 {
            self.varint()
                .and_then(|t| u32::try_from(t).ok())
                .and_then(|t| t.checked_add(2))
        } else {
            Some(1)
        };
        match (gap.and_then(|g| self.doc.checked_add(g)), tf) {
            (Some(doc), Some(tf)) => {
                self.doc = doc;
                Some((doc, tf))
            }
            _ => {
                self.at = self.bytes.len();
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(n: u64) -> String {
        let mut s = String::new();
        push_varint(&mut s, n);
        s
    }

    #[test]
    fn the_digit_table_matches_the_alphabets() {
        for (i, (&last, &more)) in LAST.iter().zip(MORE).enumerate() {
            assert_eq!(digit(last), Some((i as u64, true)));
            assert_eq!(digit(more), Some((i as u64, false)));
        }
        assert_eq!(digit(b' '), None);
    }

    #[test]
    fn varints_use_separate_final_digits() {
        assert_eq!(encode(0), "0");
        assert_eq!(encode(31), "v");
        assert_eq!(encode(32), "x0");
        assert_eq!(encode(32 * 32 + 5), "xw5");
        assert_eq!(encode(u64::MAX).len(), 13);
    }

    #[test]
    fn lists_round_trip() {
        let list = [(0, 1), (3, 2), (4, 40), (1000, 1), (u32::MAX, 7)];
        let mut s = String::new();
        push_list(&mut s, &list);
        assert_eq!(decode(&s).collect::<Vec<_>>(), list);
        assert_eq!(decode("").count(), 0);
    }

    #[test]
    fn bad_lists_stop_early_without_panicking() {
        assert_eq!(decode("2 4").collect::<Vec<_>>(), [(1, 1)]);
        assert_eq!(decode("3").count(), 0, "a frequency is missing");
        assert_eq!(decode(&"_".repeat(20)).count(), 0, "overflow");
        // A doc number beyond u32.
        assert_eq!(decode(&encode(2 * (u64::from(u32::MAX) + 1))).count(), 0);
    }
}
