//! Lines already parsed. Syntect's parse of a line depends only on the state the parse is in
//! when the line starts and on the line itself, and courses repeat lines (`kind: Pod`,
//! `metadata:`, `kubectl get pods -A`), so each distinct (syntax, state, line) is parsed once
//! per build and thread. (A parse state holds oniguruma regions, which may not cross threads:
//! each thread keeps its own cache, for the highlighter it last served.)

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxReference, SyntaxSet};

/// Lines longer than this are parsed every time: long lines rarely repeat.
const MAX_LINE: usize = 160;
/// Entries kept at most per thread (each a line, two parse states and the ops: a few hundred
/// bytes).
const MAX_ENTRIES: usize = 32_000;

/// The scope operations of one line, at their byte offsets.
pub type LineOps = Rc<[(usize, ScopeStackOp)]>;

struct Entry {
    syntax: usize,
    line: Box<str>,
    start: ParseState,
    ops: LineOps,
    end: ParseState,
}

#[derive(Default)]
struct Cache {
    /// The highlighter the entries belong to (syntaxes are told apart by address in it).
    owner: u64,
    /// Entries by the hash of their syntax and line.
    entries: HashMap<u64, Vec<Entry>>,
    count: usize,
    hasher: foldhash::fast::RandomState,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::default();
}

/// Tells highlighters apart, so that a thread's cache never serves another's syntaxes.
static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

/// One highlighter's view of the per-thread line caches.
#[derive(Debug)]
pub struct LineCache {
    owner: u64,
}

impl Default for LineCache {
    fn default() -> Self {
        LineCache {
            owner: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl LineCache {
    /// Parses `line` in `syntax` from `state` (advanced to the line's end), or reuses this
    /// thread's parse of the same line from the same state.
    pub fn parse_line(
        &self,
        syntax: &SyntaxReference,
        state: &mut ParseState,
        line: &str,
        syntaxes: &SyntaxSet,
    ) -> Result<LineOps, ParsingError> {
        if line.len() > MAX_LINE {
            return state.parse_line(line, syntaxes).map(Rc::from);
        }
        let id = syntax as *const SyntaxReference as usize;
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.owner != self.owner {
                *cache = Cache {
                    owner: self.owner,
                    ..Cache::default()
                };
            }
            let hash = cache.hasher.hash_one((id, line));
            let hit = cache.entries.get(&hash).and_then(|list| {
                list.iter()
                    .find(|e| e.syntax == id && &*e.line == line && e.start == *state)
            });
            if let Some(hit) = hit {
                state.clone_from(&hit.end);
                return Ok(Rc::clone(&hit.ops));
            }
            let start = state.clone();
            let ops: LineOps = Rc::from(state.parse_line(line, syntaxes)?);
            if cache.count < MAX_ENTRIES {
                cache.count += 1;
                let entry = Entry {
                    syntax: id,
                    line: line.into(),
                    start,
                    ops: Rc::clone(&ops),
                    end: state.clone(),
                };
                cache.entries.entry(hash).or_default().push(entry);
            }
            Ok(ops)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_line_from_the_same_state_gives_the_same_ops() {
        let syntaxes = two_face::syntax::extra_newlines();
        let syntax = syntaxes.find_syntax_by_token("yaml").expect("yaml");
        let cache = LineCache::default();
        let parse = |text: &str| {
            let mut state = ParseState::new(syntax);
            let mut fresh = ParseState::new(syntax);
            for line in text.split_inclusive('\n') {
                let cached = cache
                    .parse_line(syntax, &mut state, line, &syntaxes)
                    .expect("parse");
                let direct = fresh.parse_line(line, &syntaxes).expect("parse");
                assert_eq!(&cached[..], &direct[..], "{line:?}");
            }
        };
        let entries = || CACHE.with(|c| c.borrow().count);
        let plain = "kind: Pod\nmetadata:\n  name: a\nkind: Pod\n";
        parse(plain);
        let first = entries();
        parse(plain);
        assert_eq!(entries(), first, "the second pass reads the cache");
        // A block scalar's state holds captures (never equal to another state's): still right.
        parse("spec: |\n  kind: Pod\n  x: 1\nkind: Pod\n");
        parse("spec: |\n  kind: Pod\n  x: 1\nkind: Pod\n");
    }

    #[test]
    fn another_highlighter_never_reads_this_ones_entries() {
        let syntaxes = two_face::syntax::extra_newlines();
        let syntax = syntaxes.find_syntax_by_token("bash").expect("bash");
        let first = LineCache::default();
        let mut state = ParseState::new(syntax);
        first
            .parse_line(syntax, &mut state, "echo hi\n", &syntaxes)
            .expect("parse");
        let second = LineCache::default();
        let mut state = ParseState::new(syntax);
        second
            .parse_line(syntax, &mut state, "ls\n", &syntaxes)
            .expect("parse");
        assert_eq!(CACHE.with(|c| c.borrow().count), 1, "the cache was emptied");
    }
}
