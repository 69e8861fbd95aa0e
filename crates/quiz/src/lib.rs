//! coursebook's quizzes: the question model and its validation ([`spec`]), grading
//! ([`grade()`], with the command grader in [`command`]), and the spaced-repetition schedule
//! ([`schedule`]).
//!
//! No I/O: the build validates with this crate and the page grades with the same code,
//! compiled to WebAssembly by `coursebook-web`. What the grader knows about commands comes from
//! `coursebook-commands`, whose tables `coursebook check` reads too; the build puts the records
//! a command question needs into its answer key, so the page's WebAssembly carries no table.

pub mod command;
mod cron;
pub mod grade;
pub mod model;
mod number;
pub mod schedule;
pub mod spec;
mod text;

pub use grade::{choices, grade, Answer, Verdict};
pub use model::{AnswerKey, ChoiceOption, Kind, Question};
pub use schedule::{review, review_in_sitting, Rating, ReviewState};
pub use spec::{looks_exact, parse_quiz, QuizError};
