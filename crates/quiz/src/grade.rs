//! Grading: an [`Answer`] against an [`AnswerKey`] gives a [`Verdict`].
//!
//! Choice questions give no partial credit: a multiple-choice answer is right only with every
//! option that applies and no other, and the verdict says how many were missed or wrongly
//! chosen (the page marks which, with the feedback of each). Order questions are judged by
//! relative order: the misplaced steps are the fewest that, moved, put the rest in order.

use serde::{Deserialize, Serialize};

use crate::model::AnswerKey;
use crate::number::{self, Reading};
use crate::text::{looks_exact, normalise};
use crate::{command, cron};

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
    /// Step positions (0-based) that hold a step out of order (order questions).
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
            messages,
            ..Verdict::right()
        }
    }
}

/// Grades `answer` against `key`.
pub fn grade(key: &AnswerKey, answer: &Answer) -> Verdict {
    match (key, answer) {
        (AnswerKey::Single { correct, options }, Answer::Choice(chosen)) => {
            choices(&[*correct], *options, chosen, false)
        }
        (AnswerKey::Multiple { correct, options }, Answer::Choice(chosen)) => {
            choices(correct, *options, chosen, true)
        }
        (
            AnswerKey::Short {
                answers,
                case_sensitive,
                words,
            },
            Answer::Text(text),
        ) => short(answers, *case_sensitive, words, text),
        (
            AnswerKey::Numeric {
                answer,
                tolerance,
                unit,
                words,
            },
            Answer::Text(text),
        ) => numeric(*answer, *tolerance, unit.as_deref(), words, text),
        (AnswerKey::Order { steps }, Answer::Order(order)) => ordering(*steps, order),
        (AnswerKey::Command { answers, table }, Answer::Text(text)) => {
            commands(answers, table, text)
        }
        (AnswerKey::Flashcard, Answer::SelfGrade(grade)) if (1..=4).contains(grade) => Verdict {
            correct: *grade >= 3,
            ..Verdict::right()
        },
        _ => Verdict::wrong(vec!["this answer does not fit the question".into()]),
    }
}

/// Single or multiple choice; `multiple` adds how many options were missed or wrongly chosen.
pub fn choices(correct: &[usize], options: usize, chosen: &[usize], multiple: bool) -> Verdict {
    if chosen.is_empty() {
        return Verdict::wrong(vec!["choose an answer first".into()]);
    }
    let picked_wrong: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|i| *i < options && !correct.contains(i))
        .collect();
    let missed: Vec<usize> = correct
        .iter()
        .copied()
        .filter(|i| !chosen.contains(i))
        .collect();
    let mut wrong: Vec<usize> = picked_wrong.iter().chain(&missed).copied().collect();
    wrong.sort_unstable();
    wrong.dedup();
    let mut messages = Vec::new();
    if multiple && !wrong.is_empty() {
        if !missed.is_empty() {
            messages.push(format!(
                "you missed {} of the {} options that apply",
                missed.len(),
                correct.len()
            ));
        }
        match picked_wrong.len() {
            0 => {}
            1 => messages.push("one option you chose does not apply".into()),
            n => messages.push(format!("{n} options you chose do not apply")),
        }
    }
    Verdict {
        correct: wrong.is_empty() && chosen.iter().all(|i| *i < options),
        correct_options: if wrong.is_empty() {
            Vec::new()
        } else {
            correct.to_vec()
        },
        wrong_options: wrong,
        messages,
        ..Verdict::right()
    }
}

fn short(
    answers: &[String],
    case_sensitive: Option<bool>,
    words: &[String],
    text: &str,
) -> Verdict {
    if text.trim().is_empty() {
        return Verdict::wrong(vec!["type an answer first".into()]);
    }
    if let Some(same) = cron::same_schedule(answers, &normalise(text, true)) {
        return if same {
            Verdict::right()
        } else {
            Verdict::wrong(Vec::new())
        };
    }
    let right = answers.iter().any(|answer| {
        let exact = case_sensitive.unwrap_or_else(|| looks_exact(answer));
        let expected = normalise(answer, exact);
        let given = normalise(text, exact);
        expected == given || with_prompt_words(&expected, &given, words)
    });
    if right {
        Verdict::right()
    } else {
        Verdict::wrong(Vec::new())
    }
}

/// Whether `given` is `expected` with at most two words of the prompt before or after it
/// (`admin ClusterRole` for `admin`, when the prompt asks for a ClusterRole).
fn with_prompt_words(expected: &str, given: &str, words: &[String]) -> bool {
    let expected: Vec<&str> = expected.split(' ').collect();
    let given: Vec<&str> = given.split(' ').collect();
    let extra = given.len().saturating_sub(expected.len());
    if extra == 0 || extra > 2 {
        return false;
    }
    let from_prompt = |w: &&str| words.contains(&crate::text::singular(&w.to_ascii_lowercase()));
    (0..=extra).any(|before| {
        given[before..before + expected.len()] == expected[..]
            && given[..before].iter().all(from_prompt)
            && given[before + expected.len()..].iter().all(from_prompt)
    })
}

fn numeric(
    answer: f64,
    tolerance: f64,
    unit: Option<&str>,
    words: &[String],
    text: &str,
) -> Verdict {
    let value = match number::read(text, unit, words) {
        Reading::Value(value) => value,
        Reading::Refused(message) => return Verdict::wrong(vec![message]),
    };
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
    let mut stays = vec![false; order.len()];
    for position in longest_in_order(order) {
        stays[position] = true;
    }
    let misplaced: Vec<usize> = (0..order.len()).filter(|&p| !stays[p]).collect();
    let messages = match misplaced.len() {
        0 => Vec::new(),
        1 => vec!["one step is out of place".into()],
        n => vec![format!("{n} steps are out of place")],
    };
    Verdict {
        correct: misplaced.is_empty(),
        misplaced,
        messages,
        ..Verdict::right()
    }
}

/// The positions of a longest run of steps already in increasing order (not necessarily
/// adjacent): the steps that need not move. Patience sorting, `O(n log n)`: a question with many
/// steps does not stall the page.
fn longest_in_order(order: &[usize]) -> Vec<usize> {
    // `tails[k]`: the position ending the best increasing run of length `k + 1` found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; order.len()];
    for (i, &step) in order.iter().enumerate() {
        let k = tails.partition_point(|&t| order[t] < step);
        if k > 0 {
            previous[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut kept = Vec::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        kept.push(i);
        at = (previous[i] != usize::MAX).then_some(previous[i]);
    }
    kept
}

fn commands(answers: &[String], table: &str, text: &str) -> Verdict {
    if text.trim().is_empty() {
        return Verdict::wrong(vec!["type a command first".into()]);
    }
    match command::grade(answers, table, text) {
        Ok(()) => Verdict::right(),
        Err(messages) if messages.is_empty() => {
            Verdict::wrong(vec!["this is not the command asked for".into()])
        }
        Err(messages) => Verdict::wrong(messages),
    }
}

#[cfg(test)]
mod tests;
