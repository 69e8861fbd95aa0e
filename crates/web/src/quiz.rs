//! The quiz bundle's surface: grading, the review schedule and the calculators.

use coursebook_calc::{iptables, parse_in_range, CalcError, Calculator};
use coursebook_quiz::{choices, grade, Answer, AnswerKey, Rating, ReviewState, Verdict};
use wasm_bindgen::prelude::*;

/// The outcome of grading, as the page reads it.
#[wasm_bindgen]
pub struct Grade(Verdict);

#[wasm_bindgen]
impl Grade {
    /// Whether the answer is right.
    #[wasm_bindgen(getter)]
    pub fn correct(&self) -> bool {
        self.0.correct
    }

    /// Options chosen wrongly or missed.
    #[wasm_bindgen(getter)]
    pub fn wrong_options(&self) -> Vec<u32> {
        indices(&self.0.wrong_options)
    }

    /// The correct options, after a wrong answer.
    #[wasm_bindgen(getter)]
    pub fn correct_options(&self) -> Vec<u32> {
        indices(&self.0.correct_options)
    }

    /// Positions holding the wrong step.
    #[wasm_bindgen(getter)]
    pub fn misplaced(&self) -> Vec<u32> {
        indices(&self.0.misplaced)
    }

    /// Why the answer is wrong (learner text quoted: show as text).
    #[wasm_bindgen(getter)]
    pub fn messages(&self) -> Vec<String> {
        self.0.messages.clone()
    }
}

fn indices(values: &[usize]) -> Vec<u32> {
    values
        .iter()
        .map(|&i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

fn usizes(values: &[u32]) -> Vec<usize> {
    values.iter().map(|&i| i as usize).collect()
}

/// A single or multiple choice: `correct` option indices out of `options`, `chosen` by the
/// learner; `multiple` adds how many options were missed or wrongly chosen.
#[wasm_bindgen]
pub fn grade_choice(correct: Vec<u32>, options: u32, chosen: Vec<u32>, multiple: bool) -> Grade {
    Grade(choices(
        &usizes(&correct),
        options as usize,
        &usizes(&chosen),
        multiple,
    ))
}

/// A short answer against the accepted `answers`; `case_sensitive` undefined: by each answer's
/// shape; `words`: the prompt's words.
#[wasm_bindgen]
pub fn grade_short(
    answers: Vec<String>,
    case_sensitive: Option<bool>,
    words: Vec<String>,
    text: &str,
) -> Grade {
    let key = AnswerKey::Short {
        answers,
        case_sensitive,
        words,
    };
    Grade(grade(&key, &Answer::Text(text.to_owned())))
}

/// A number with its tolerance, optional unit and the prompt's words.
#[wasm_bindgen]
pub fn grade_numeric(
    answer: f64,
    tolerance: f64,
    unit: Option<String>,
    words: Vec<String>,
    text: &str,
) -> Grade {
    let key = AnswerKey::Numeric {
        answer,
        tolerance,
        unit,
        words,
    };
    Grade(grade(&key, &Answer::Text(text.to_owned())))
}

/// Steps (indices of the correct order) in the order the learner placed them.
#[wasm_bindgen]
pub fn grade_order(steps: u32, order: Vec<u32>) -> Grade {
    let key = AnswerKey::Order {
        steps: steps as usize,
    };
    Grade(grade(&key, &Answer::Order(usizes(&order))))
}

/// A typed command against the accepted `answers`, read with `table` (the records the build
/// put in the answer key).
#[wasm_bindgen]
pub fn grade_command(answers: Vec<String>, table: String, text: &str) -> Grade {
    let key = AnswerKey::Command { answers, table };
    Grade(grade(&key, &Answer::Text(text.to_owned())))
}

/// The review state after the learner's answer rated `rating` (1 again … 4 easy) at `now_ms`,
/// in the sitting (page visit) that started at `sitting_ms`; `previous` is the stored state
/// (nine numbers) or empty for the first review. Returns nine numbers (due, stability,
/// difficulty, elapsed days, scheduled days, reps, lapses, state, last review), or none when
/// the question was already reviewed in this sitting: a later answer is practice and leaves
/// the schedule as it is.
#[wasm_bindgen]
pub fn review(
    previous: Vec<f64>,
    rating: u8,
    now_ms: f64,
    sitting_ms: f64,
) -> Result<Vec<f64>, JsError> {
    let rating = Rating::from_number(rating).ok_or_else(|| JsError::new("rating is 1 to 4"))?;
    let previous = ReviewState::from_numbers(&previous);
    let next =
        coursebook_quiz::review_in_sitting(previous, rating, now_ms as i64, sitting_ms as i64);
    Ok(next.map(|s| s.to_numbers().to_vec()).unwrap_or_default())
}

/// The calculator `kind` for `args` (`key=value` words) as HTML, the same HTML the build
/// renders; an error names the bad argument.
#[wasm_bindgen]
pub fn calc_render(kind: &str, args: Vec<String>) -> Result<String, JsError> {
    Calculator::parse(kind, args.iter().map(String::as_str))
        .and_then(|calculator| calculator.render_html())
        .map_err(|err| JsError::new(&err.to_string()))
}

/// A simulation of `connections` connections through the chain for `endpoints` endpoints (both
/// as the learner typed them), as an HTML table; an error names the bad field (`key: message`).
#[wasm_bindgen]
pub fn calc_simulate(endpoints: &str, connections: &str, seed: u32) -> Result<String, JsError> {
    simulation(endpoints, connections, seed).map_err(|err| JsError::new(&err.to_string()))
}

fn simulation(endpoints: &str, connections: &str, seed: u32) -> Result<String, CalcError> {
    let endpoints = parse_in_range("endpoints", endpoints, 1..=iptables::MAX_ENDPOINTS)?;
    let connections = parse_in_range("connections", connections, 1..=iptables::MAX_CONNECTIONS)?;
    Ok(iptables::render_simulation_html(
        endpoints,
        connections,
        u64::from(seed),
    ))
}

#[cfg(test)]
mod tests {
    //! The surface's conversions, natively (error paths need a JavaScript host).

    use super::*;

    #[test]
    fn choice_verdicts_report_indices() {
        let grade = grade_choice(vec![0, 2], 4, vec![0, 1], true);
        assert!(!grade.correct());
        assert_eq!(grade.wrong_options(), vec![1, 2]);
        assert_eq!(grade.correct_options(), vec![0, 2]);
        assert_eq!(
            grade.messages(),
            [
                "you missed 1 of the 2 options that apply",
                "one option you chose does not apply"
            ]
        );
        assert!(grade_choice(vec![1], 3, vec![1], false).correct());
        assert!(grade_choice(vec![1], 3, vec![2], false)
            .messages()
            .is_empty());
    }

    #[test]
    fn text_kinds_grade_through_the_quiz_crate() {
        assert!(grade_short(vec!["etcd".into()], None, Vec::new(), " ETCD. ").correct());
        assert!(!grade_short(vec!["/etc/x".into()], None, Vec::new(), "/ETC/X").correct());
        assert!(grade_short(vec!["/etc/x".into()], Some(false), Vec::new(), "/ETC/X").correct());
        assert!(grade_numeric(2.0, 0.0, Some("members".into()), Vec::new(), "2 nodes").correct());
        assert!(grade_numeric(300.0, 0.0, Some("seconds".into()), Vec::new(), "5m").correct());
        let answers = vec!["kubectl get pods -n a".to_owned()];
        let table = coursebook_quiz::command::key_table(&answers);
        let wrong = grade_command(answers.clone(), table.clone(), "kubectl get pods -n b");
        assert_eq!(
            wrong.messages(),
            vec!["`--namespace`: expected `a`, got `b`"]
        );
        assert!(grade_command(
            answers,
            table,
            "kubectl get po --namespace=a --kubeconfig x"
        )
        .correct());
        assert_eq!(grade_order(3, vec![1, 0, 2]).misplaced().len(), 1);
    }

    #[test]
    fn review_returns_nine_numbers_once_per_sitting() {
        let now = 1_764_500_000_000.0;
        let first = review(Vec::new(), 3, now, now - 1000.0).unwrap_or_default();
        assert_eq!(first.len(), 9);
        assert!(first[0] > now, "due later");
        let again = review(first.clone(), 3, now + 5000.0, now - 1000.0).unwrap_or_default();
        assert!(
            again.is_empty(),
            "a second answer in the sitting is practice"
        );
        let second = review(first.clone(), 3, first[0], first[0]).unwrap_or_default();
        assert_eq!(second[5], 2.0, "two reviews");
        assert!(second[0] - first[0] >= first[0] - now);
    }

    #[test]
    fn calculators_render() {
        let html = calc_render("quorum", vec!["members=4".into()]).unwrap_or_default();
        assert!(html.contains("aria-current=\"true\"><td>4</td><td>3</td><td>1</td>"));
        let sim = calc_simulate("2", "1000", 7).unwrap_or_default();
        assert!(sim.contains("1,000 simulated connections"));
        assert_eq!(
            simulation("2", "0", 7).map_err(|e| e.to_string()),
            Err("connections: enter a whole number from 1 to 1000000 (0 is too small)".into())
        );
    }
}
