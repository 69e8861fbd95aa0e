//! Unit tests of the markdown passes.
