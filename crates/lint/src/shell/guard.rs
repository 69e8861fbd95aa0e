//! Runs brush-parser so that a panic inside it becomes a failed parse. brush-parser 0.4 unwraps
//! in its tokenizer and panics on some malformed input (`$(<<EOF\n)<<EOF\nEOF\n`); the checker
//! must not. The panic message is kept quiet too: a panic hook, installed once, stays silent
//! for panics on a thread that is inside [`catch_quietly`] and hands every other panic to the
//! hook that was there before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `f()`, or `None` if it panicked.
pub(super) fn catch_quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_hook();
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was_quiet));
    result.ok()
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_none_and_a_value_passes_through() {
        assert_eq!(catch_quietly(|| 1), Some(1));
        let crashed: Option<()> = catch_quietly(|| panic!("inside the parser"));
        assert_eq!(crashed, None);
        assert!(!QUIET.with(Cell::get));
    }
}
