//! The validated question model, and the answer key the page grades with.

use serde::{Deserialize, Serialize};

use crate::text::prompt_words;

/// One validated question. Text fields are markdown as the author wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Stable within its chapter: explicit, or derived from the prompt.
    pub id: String,
    /// The 1-based line of the question's `[[question]]` header within the quiz block.
    pub line: usize,
    /// The question.
    pub prompt: String,
    /// Shown after an answer; empty for flashcards.
    pub explanation: String,
    /// Show the options in random order (the default).
    pub shuffle: bool,
    /// What kind of answer it takes, with the correct one.
    pub kind: Kind,
}

/// A question's kind with its correct answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Exactly one option is correct.
    Single(Vec<ChoiceOption>),
    /// Select all that apply.
    Multiple(Vec<ChoiceOption>),
    /// Free text matched after normalisation against any of `answers`.
    Short {
        /// Accepted answers.
        answers: Vec<String>,
        /// Whether case matters; `None`: it does for answers that look like paths, keys or
        /// field names, not for words.
        case_sensitive: Option<bool>,
    },
    /// A number within `tolerance` of `answer`.
    Numeric {
        /// The correct value.
        answer: f64,
        /// Accepted absolute difference.
        tolerance: f64,
        /// An optional unit the learner may type after the number.
        unit: Option<String>,
    },
    /// Steps in their correct order.
    Order(Vec<String>),
    /// Accepted commands; the first is the model answer.
    Command(Vec<String>),
    /// A self-graded card with its model answer.
    Flashcard(String),
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    /// The option's text.
    pub text: String,
    /// Whether it is (one of) the right answer(s).
    pub correct: bool,
    /// Why it is wrong (or, for a missed correct option, why it applies).
    pub feedback: Option<String>,
}

impl Kind {
    /// The kind's name as authors write it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Single(_) => "single",
            Kind::Multiple(_) => "multiple",
            Kind::Short { .. } => "short",
            Kind::Numeric { .. } => "numeric",
            Kind::Order(_) => "order",
            Kind::Command(_) => "command",
            Kind::Flashcard(_) => "flashcard",
        }
    }
}

/// What the page needs to grade a question: the correct answer without the prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AnswerKey {
    /// Index of the correct option.
    Single {
        /// Option index.
        correct: usize,
        /// Options in all.
        options: usize,
    },
    /// Indices of the correct options.
    Multiple {
        /// Option indices.
        correct: Vec<usize>,
        /// Options in all.
        options: usize,
    },
    /// Accepted answers.
    Short {
        /// Accepted answers as written.
        answers: Vec<String>,
        /// Whether case matters; absent: by each answer's shape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case_sensitive: Option<bool>,
        /// The prompt's words, which may stand around the answer (`the admin ClusterRole`).
        #[serde(default)]
        words: Vec<String>,
    },
    /// The value, tolerance and unit.
    Numeric {
        /// The correct value.
        answer: f64,
        /// Accepted absolute difference.
        tolerance: f64,
        /// Optional unit.
        #[serde(default)]
        unit: Option<String>,
        /// The prompt's words, accepted as the unit of a count (`3 members`).
        #[serde(default)]
        words: Vec<String>,
    },
    /// The number of steps; the correct order is 0, 1, 2, ….
    Order {
        /// Steps in all.
        steps: usize,
    },
    /// Accepted commands.
    Command {
        /// The model answer first.
        answers: Vec<String>,
        /// The records of the command tables that the answers use (see
        /// `coursebook_commands::Table::subset`), to read them and the learner's command with.
        #[serde(default)]
        table: String,
    },
    /// Self-graded.
    Flashcard,
}

impl Question {
    /// The answer key the page grades this question with. For a command question it holds the
    /// records of the command tables its answers use, so the page's grader needs no table.
    pub fn key(&self) -> AnswerKey {
        let correct = |options: &[ChoiceOption]| -> Vec<usize> {
            options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| i)
                .collect()
        };
        match &self.kind {
            Kind::Single(options) => AnswerKey::Single {
                correct: correct(options).first().copied().unwrap_or(0),
                options: options.len(),
            },
            Kind::Multiple(options) => AnswerKey::Multiple {
                correct: correct(options),
                options: options.len(),
            },
            Kind::Short {
                answers,
                case_sensitive,
            } => AnswerKey::Short {
                answers: answers.clone(),
                case_sensitive: *case_sensitive,
                words: prompt_words(&self.prompt),
            },
            Kind::Numeric {
                answer,
                tolerance,
                unit,
            } => AnswerKey::Numeric {
                answer: *answer,
                tolerance: *tolerance,
                unit: unit.clone(),
                words: prompt_words(&self.prompt),
            },
            Kind::Order(steps) => AnswerKey::Order { steps: steps.len() },
            Kind::Command(answers) => AnswerKey::Command {
                answers: answers.clone(),
                table: crate::command::key_table(answers),
            },
            Kind::Flashcard(_) => AnswerKey::Flashcard,
        }
    }

    /// Whether the learner grades themselves (no right or wrong answer to check).
    pub fn is_flashcard(&self) -> bool {
        matches!(self.kind, Kind::Flashcard(_))
    }
}
