//! Integration tests: the real `coursebook` binary over fixture books.
fn main() {}
