//! coursebook's quizzes: the question model and its validation ([`spec`]), grading
//! ([`grade()`], with the command grader in [`command`]), and the spaced-repetition schedule
//! ([`schedule`]).
//!
//! No I/O: the build validates with this crate and the page grades with the same code,
//! compiled to WebAssembly by `coursebook-web`.

pub mod command;
pub mod grade;
pub mod model;
pub mod schedule;
pub mod spec;
mod text;

pub use grade::{grade, Answer, Verdict};
pub use model::{AnswerKey, ChoiceOption, Kind, Question};
pub use schedule::{review, Rating, ReviewState};
pub use spec::{parse_quiz, QuizError};
