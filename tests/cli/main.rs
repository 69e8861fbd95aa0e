//! Integration tests: the real `coursebook` binary over the fixture books in `tests/fixtures`.

mod bad_input;
mod build;
mod check;
mod commands;
mod hostile;
mod hostile_check;
mod offline;
mod quizzes;
mod scale;
mod search;
mod serve;
mod serve_hostile;
mod support;
