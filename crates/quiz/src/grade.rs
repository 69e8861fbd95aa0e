//! Grading: an [`Answer`] against an [`AnswerKey`] gives a [`Verdict`].

use serde::{Deserialize, Serialize};

use crate::command;
use crate::model::AnswerKey;
use crate::text::{normalise, parse_decimal};

/// What the learner gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Answer {
    /// Indices of the chosen options (one for single choice).
    Choice(Vec<usize>),
    /// Typed text (short, numeric, command).
    Text(String),
    /// Step indices in the order the learner put them (the correct order is 0, 1, 2, …).
    Order(Vec<usize>),
    /// A flashcard graded by the learner: 1 again, 2 hard, 3 good, 4 easy.
    SelfGrade(u8),
}

/// The outcome of grading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether the answer is right.
    pub correct: bool,
    /// Options chosen that are wrong, and correct options not chosen (choice questions).
    pub wrong_options: Vec<usize>,
    /// Correct options, to mark after a wrong answer.
    pub correct_options: Vec<usize>,
    /// Step positions (0-based) that hold the wrong step (order questions).
    pub misplaced: Vec<usize>,
    /// Why the answer is wrong, in short sentences (learner text quoted; escape when shown).
    pub messages: Vec<String>,
}

impl Verdict {
    fn right() -> Verdict {
        Verdict {
            correct: true,
            wrong_options: Vec::new(),
            correct_options: Vec::new(),
            misplaced: Vec::new(),
            messages: Vec::new(),
        }
    }

    fn wrong(messages: Vec<String>) -> Verdict {
        Verdict {
            correct: false,
            ..Verdict::right()
        }
        .with_messages(messages)
    }

    fn with_messages(mut self, messages: Vec<String>) -> Verdict {
        self.messages = messages;
        self
    }
}

/// Grades `answer` against `key`.
pub fn grade(key: &AnswerKey, answer: &Answer) -> Verdict {
    match (key, answer) {
        (AnswerKey::Single { correct, options }, Answer::Choice(chosen)) => {
            choices(&[*correct], *options, chosen)
        }
        (AnswerKey::Multiple { correct, options }, Answer::Choice(chosen)) => {
            choices(correct, *options, chosen)
        }
        (
            AnswerKey::Short {
                answers,
                case_sensitive,
            },
            Answer::Text(text),
        ) => short(answers, *case_sensitive, text),
        (
            AnswerKey::Numeric {
                answer,
                tolerance,
                unit,
            },
            Answer::Text(text),
        ) => numeric(*answer, *tolerance, unit.as_deref(), text),
        (AnswerKey::Order { steps }, Answer::Order(order)) => ordering(*steps, order),
        (AnswerKey::Command { answers }, Answer::Text(text)) => command(answers, text),
        (AnswerKey::Flashcard, Answer::SelfGrade(grade)) if (1..=4).contains(grade) => Verdict {
            correct: *grade >= 3,
            ..Verdict::right()
        },
        _ => Verdict::wrong(vec!["this answer does not fit the question".into()]),
    }
}

fn choices(correct: &[usize], options: usize, chosen: &[usize]) -> Verdict {
    if chosen.is_empty() {
        return Verdict::wrong(vec!["choose an answer first".into()]);
    }
    let mut wrong: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|i| *i < options && !correct.contains(i))
        .collect();
    wrong.extend(correct.iter().copied().filter(|i| !chosen.contains(i)));
    wrong.sort_unstable();
    wrong.dedup();
    Verdict {
        correct: wrong.is_empty() && chosen.iter().all(|i| *i < options),
        wrong_options: wrong.clone(),
        correct_options: if wrong.is_empty() {
            Vec::new()
        } else {
            correct.to_vec()
        },
        ..Verdict::right()
    }
}

fn short(answers: &[String], case_sensitive: bool, text: &str) -> Verdict {
    let given = normalise(text, case_sensitive);
    if given.is_empty() {
        return Verdict::wrong(vec!["type an answer first".into()]);
    }
    if answers
        .iter()
        .any(|a| normalise(a, case_sensitive) == given)
    {
        Verdict::right()
    } else {
        Verdict::wrong(Vec::new())
    }
}

fn numeric(answer: f64, tolerance: f64, unit: Option<&str>, text: &str) -> Verdict {
    let text = text.trim();
    let number_end = text
        .find(|c: char| {
            !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | ',' | '_'))
        })
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(number_end);
    let number: String = number.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    let Some(value) = parse_decimal(&number) else {
        return Verdict::wrong(vec![format!("`{text}` is not a number")]);
    };
    let rest = rest.trim();
    if !rest.is_empty() {
        let unit_matches = unit.is_some_and(|u| {
            let u = normalise(u, false);
            let r = normalise(rest, false);
            r == u || r.trim_end_matches('s') == u.trim_end_matches('s')
        });
        if !unit_matches {
            return Verdict::wrong(vec![match unit {
                Some(u) => format!("the unit is {u}, not `{rest}`"),
                None => format!("type just the number, without `{rest}`"),
            }]);
        }
    }
    // A relative epsilon so that 0.1 + 0.2 style answers match an exact key.
    let slack = tolerance + answer.abs() * 1e-9;
    if (value - answer).abs() <= slack {
        Verdict::right()
    } else {
        Verdict::wrong(Vec::new())
    }
}

fn ordering(steps: usize, order: &[usize]) -> Verdict {
    let mut seen = order.to_vec();
    seen.sort_unstable();
    if seen != (0..steps).collect::<Vec<_>>() {
        return Verdict::wrong(vec!["place every step exactly once".into()]);
    }
    let misplaced: Vec<usize> = order
        .iter()
        .enumerate()
        .filter(|(position, step)| position != *step)
        .map(|(position, _)| position)
        .collect();
    Verdict {
        correct: misplaced.is_empty(),
        misplaced,
        ..Verdict::right()
    }
}

fn command(answers: &[String], text: &str) -> Verdict {
    if text.trim().is_empty() {
        return Verdict::wrong(vec!["type a command first".into()]);
    }
    let given = match command::parse(text) {
        Ok(given) => given,
        Err(err) => return Verdict::wrong(vec![format!("the command does not parse: {err}")]),
    };
    let mut closest: Option<Vec<String>> = None;
    for expected in answers.iter().filter_map(|a| command::parse(a).ok()) {
        let differences = command::differences(&expected, &given);
        if differences.is_empty() {
            return Verdict::right();
        }
        if closest.as_ref().is_none_or(|c| differences.len() < c.len()) {
            closest = Some(differences);
        }
    }
    Verdict::wrong(closest.unwrap_or_default())
}

#[cfg(test)]
mod tests;
