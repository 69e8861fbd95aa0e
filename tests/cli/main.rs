//! Integration tests: the real `coursebook` binary over the fixture books in `tests/fixtures`.

mod bad_input;
mod build;
mod commands;
mod quizzes;
mod serve;
mod support;
