//! The authored quiz format (TOML in a ```` ```quiz ```` block) and its validation into
//! [`Question`]s; every error carries the line within the block.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{ChoiceOption, Kind, Question};
use crate::text::derived_id;

/// Why a quiz block is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct QuizError {
    /// 1-based line within the block.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizSpec {
    #[serde(default)]
    question: Vec<Spanned<QuestionSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionSpec {
    id: Option<String>,
    kind: KindName,
    prompt: String,
    explanation: Option<String>,
    shuffle: Option<bool>,
    option: Option<Vec<OptionSpec>>,
    answers: Option<Vec<String>>,
    case_sensitive: Option<bool>,
    answer: Option<AnswerValue>,
    tolerance: Option<f64>,
    unit: Option<String>,
    steps: Option<Vec<String>>,
    alternatives: Option<Vec<String>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum KindName {
    Single,
    Multiple,
    Short,
    Numeric,
    Order,
    Command,
    Flashcard,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AnswerValue {
    Number(f64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionSpec {
    text: String,
    #[serde(default)]
    correct: bool,
    feedback: Option<String>,
}

impl fmt::Display for KindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            KindName::Single => "single",
            KindName::Multiple => "multiple",
            KindName::Short => "short",
            KindName::Numeric => "numeric",
            KindName::Order => "order",
            KindName::Command => "command",
            KindName::Flashcard => "flashcard",
        };
        f.write_str(name)
    }
}

/// Whether a short answer looks like a path, key or field name (`/etc/kubernetes/pki`,
/// `spec.nodeName`), which the grader compares with case unless `case_sensitive = false`.
pub fn looks_exact(answer: &str) -> bool {
    crate::text::looks_exact(answer)
}

/// Parses and validates the TOML of one quiz block.
pub fn parse_quiz(source: &str) -> Result<Vec<Question>, QuizError> {
    // Newline offsets, found once: a line number is then a binary search, not a count from the
    // top of the block per question.
    let newlines: Vec<usize> = source.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| newlines.partition_point(|&at| at < offset) + 1;
    let spec: QuizSpec = toml::from_str(source).map_err(|err| QuizError {
        line: err.span().map_or(1, |span| line_of(span.start)),
        message: err.message().trim_end().to_owned(),
    })?;
    if spec.question.is_empty() {
        return Err(QuizError {
            line: 1,
            message: "a quiz needs at least one [[question]]".into(),
        });
    }
    let mut ids = BTreeSet::new();
    let mut questions = Vec::with_capacity(spec.question.len());
    for spanned in spec.question {
        let line = line_of(spanned.span().start);
        let question =
            validate(spanned.into_inner(), line).map_err(|message| QuizError { line, message })?;
        if !ids.insert(question.id.clone()) {
            return Err(QuizError {
                line,
                message: format!("duplicate question id `{}`", question.id),
            });
        }
        questions.push(question);
    }
    Ok(questions)
}

fn validate(spec: QuestionSpec, line: usize) -> Result<Question, String> {
    reject_foreign_keys(&spec)?;
    let prompt = non_empty("prompt", spec.prompt.clone())?;
    let id = match &spec.id {
        Some(id) => valid_id(id)?,
        None => derived_id(&prompt),
    };
    let explanation = match (spec.kind, &spec.explanation) {
        (KindName::Flashcard, Some(_)) => {
            return Err("a flashcard has no `explanation`: put it in `answer`".into())
        }
        (KindName::Flashcard, None) => String::new(),
        (_, Some(text)) => non_empty("explanation", text.clone())?,
        (kind, None) => return Err(format!("a {kind} question needs an `explanation`")),
    };
    let shuffle = spec.shuffle.unwrap_or(true);
    let kind = kind_of(spec)?;
    Ok(Question {
        shuffle,
        id,
        line,
        prompt,
        explanation,
        kind,
    })
}

/// Keys that belong to other kinds are errors, so a typo'd kind cannot silently drop them.
fn reject_foreign_keys(spec: &QuestionSpec) -> Result<(), String> {
    let present = [
        ("shuffle", spec.shuffle.is_some()),
        ("option", spec.option.is_some()),
        ("answers", spec.answers.is_some()),
        ("case_sensitive", spec.case_sensitive.is_some()),
        ("answer", spec.answer.is_some()),
        ("tolerance", spec.tolerance.is_some()),
        ("unit", spec.unit.is_some()),
        ("steps", spec.steps.is_some()),
        ("alternatives", spec.alternatives.is_some()),
    ];
    let allowed: &[&str] = match spec.kind {
        KindName::Single | KindName::Multiple => &["shuffle", "option"],
        KindName::Short => &["answers", "case_sensitive"],
        KindName::Numeric => &["answer", "tolerance", "unit"],
        KindName::Order => &["steps"],
        KindName::Command => &["answer", "alternatives"],
        KindName::Flashcard => &["answer"],
    };
    match present
        .iter()
        .find(|(key, set)| *set && !allowed.contains(key))
    {
        Some((key, _)) => Err(format!(
            "a {} question takes no `{key}` (it takes: {})",
            spec.kind,
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

fn kind_of(spec: QuestionSpec) -> Result<Kind, String> {
    let kind = spec.kind;
    match kind {
        KindName::Single | KindName::Multiple => {
            let options = options(spec.option.unwrap_or_default())?;
            let correct = options.iter().filter(|o| o.correct).count();
            match (kind, correct) {
                (_, 0) => Err(format!("a {kind} question needs a correct option")),
                (KindName::Single, n) if n > 1 => Err(format!(
                    "a single question has exactly one correct option, not {n}: use kind = \"multiple\""
                )),
                (KindName::Single, _) => Ok(Kind::Single(options)),
                _ => Ok(Kind::Multiple(options)),
            }
        }
        KindName::Short => {
            let answers = non_empty_list("answers", spec.answers)?;
            if let Some(empty) = answers
                .iter()
                .find(|a| crate::text::normalise(a, true).is_empty())
            {
                return Err(format!(
                    "the answer {empty:?} is empty once normalised (quotes, a final `.`, an \
                     article are ignored): no answer a learner types could match it"
                ));
            }
            Ok(Kind::Short {
                answers,
                case_sensitive: spec.case_sensitive,
            })
        }
        KindName::Numeric => {
            let answer = match spec.answer {
                Some(AnswerValue::Number(n)) if n.is_finite() => n,
                Some(_) => return Err("a numeric question's `answer` must be a number".into()),
                None => return Err("a numeric question needs an `answer`".into()),
            };
            let tolerance = spec.tolerance.unwrap_or(0.0);
            if !(tolerance.is_finite() && tolerance >= 0.0) {
                return Err("`tolerance` must be zero or more".into());
            }
            Ok(Kind::Numeric {
                answer,
                tolerance,
                unit: spec.unit.map(|u| non_empty("unit", u)).transpose()?,
            })
        }
        KindName::Order => {
            let steps = non_empty_list("steps", spec.steps)?;
            if steps.len() < 2 {
                return Err("an order question needs at least two `steps`".into());
            }
            let mut seen = BTreeSet::new();
            if let Some(twice) = steps
                .iter()
                .find(|step| !seen.insert(step.split_whitespace().collect::<Vec<_>>()))
            {
                return Err(format!(
                    "the step {twice:?} is listed twice: a learner cannot tell the two apart, \
                     so the right order could be marked wrong; make every step different"
                ));
            }
            Ok(Kind::Order(steps))
        }
        KindName::Command => {
            let answer = text_answer(kind, spec.answer)?;
            let mut answers = vec![answer];
            answers.extend(spec.alternatives.unwrap_or_default());
            for answer in &answers {
                crate::command::validate(answer)
                    .map_err(|err| format!("the command `{answer}` cannot be graded: {err}"))?;
            }
            Ok(Kind::Command(answers))
        }
        KindName::Flashcard => Ok(Kind::Flashcard(text_answer(kind, spec.answer)?)),
    }
}

fn options(specs: Vec<OptionSpec>) -> Result<Vec<ChoiceOption>, String> {
    if specs.len() < 2 {
        return Err("a choice question needs at least two [[question.option]] tables".into());
    }
    specs
        .into_iter()
        .map(|o| {
            Ok(ChoiceOption {
                text: non_empty("option text", o.text)?,
                correct: o.correct,
                feedback: o.feedback,
            })
        })
        .collect()
}

fn text_answer(kind: KindName, answer: Option<AnswerValue>) -> Result<String, String> {
    match answer {
        Some(AnswerValue::Text(text)) => non_empty("answer", text),
        Some(AnswerValue::Number(_)) => Err(format!("a {kind} question's `answer` is text")),
        None => Err(format!("a {kind} question needs an `answer`")),
    }
}

fn non_empty(key: &str, text: String) -> Result<String, String> {
    if text.trim().is_empty() {
        Err(format!("`{key}` is empty"))
    } else {
        Ok(text)
    }
}

fn non_empty_list(key: &str, list: Option<Vec<String>>) -> Result<Vec<String>, String> {
    let list = list.ok_or_else(|| format!("`{key}` is missing"))?;
    if list.is_empty() {
        return Err(format!("`{key}` is empty"));
    }
    list.into_iter().map(|item| non_empty(key, item)).collect()
}

fn valid_id(id: &str) -> Result<String, String> {
    let valid = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.starts_with(|c: char| c.is_ascii_alphanumeric());
    if valid {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "id `{id}` may only hold a-z, 0-9 and '-', and starts with a letter or digit"
        ))
    }
}

#[cfg(test)]
mod tests;
