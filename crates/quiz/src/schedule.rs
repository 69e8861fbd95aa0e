//! Spaced repetition: when a question or flashcard is due again, by FSRS-5 with the default
//! parameters, and which answers count as a review. The review state is plain numbers so the
//! page can store it as it likes.
//!
//! The scheduler is written out here rather than taken from the `rs-fsrs` crate, which with
//! `chrono` weighed 23 KB of the page's gzipped WebAssembly; the tests check that it gives the
//! same states as `rs-fsrs` 1.2.1 (a dev-dependency) over thousands of random reviews. One
//! choice is coursebook's own: a new question answered right (or a card graded good or easy)
//! skips FSRS's same-day learning steps and is due again in days (FSRS's long-term scheduler),
//! since the learner recalled it without being shown the answer; a wrong answer still comes
//! back within minutes, so the same day.

/// How the learner did, as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// Forgot, or answered wrongly.
    Again = 1,
    /// Recalled with difficulty.
    Hard = 2,
    /// Recalled; a right quiz answer counts as this.
    Good = 3,
    /// Recalled at once.
    Easy = 4,
}

impl Rating {
    /// 1 again, 2 hard, 3 good, 4 easy.
    pub fn from_number(n: u8) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    fn value(self) -> f64 {
        f64::from(self as u8)
    }
}

/// One question's review state (FSRS's card), with times in milliseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReviewState {
    /// When it is next due.
    pub due_ms: i64,
    /// Memory stability (days).
    pub stability: f64,
    /// Difficulty, 1 to 10.
    pub difficulty: f64,
    /// Days between the last two reviews.
    pub elapsed_days: i64,
    /// Days scheduled until the next review.
    pub scheduled_days: i64,
    /// Reviews so far.
    pub reps: i32,
    /// Times forgotten after being learnt.
    pub lapses: i32,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub state: u8,
    /// When it was last reviewed.
    pub last_review_ms: i64,
}

const NEW: u8 = 0;
const LEARNING: u8 = 1;
const REVIEW: u8 = 2;
const RELEARNING: u8 = 3;

impl ReviewState {
    /// The state as numbers in field order, the form the page stores.
    pub fn to_numbers(self) -> [f64; 9] {
        [
            self.due_ms as f64,
            self.stability,
            self.difficulty,
            self.elapsed_days as f64,
            self.scheduled_days as f64,
            f64::from(self.reps),
            f64::from(self.lapses),
            f64::from(self.state),
            self.last_review_ms as f64,
        ]
    }

    /// The state from numbers in field order; `None` unless there are nine finite numbers with
    /// a known state.
    pub fn from_numbers(numbers: &[f64]) -> Option<ReviewState> {
        let [due, stability, difficulty, elapsed, scheduled, reps, lapses, state, last] =
            <[f64; 9]>::try_from(numbers).ok()?;
        if !numbers.iter().all(|n| n.is_finite()) || !(0.0..=3.0).contains(&state) {
            return None;
        }
        Some(ReviewState {
            due_ms: due as i64,
            stability,
            difficulty,
            elapsed_days: elapsed as i64,
            scheduled_days: scheduled as i64,
            reps: reps as i32,
            lapses: lapses as i32,
            state: state as u8,
            last_review_ms: last as i64,
        })
    }
}

/// FSRS-5's default weights (those of `rs-fsrs` 1.2.1).
const W: [f64; 19] = [
    0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824, 1.9813,
    0.0953, 0.2975, 2.2042, 0.2407, 2.9466, 0.5034, 0.6567,
];
const DECAY: f64 = -0.5;
/// 0.9 ^ (1 / DECAY) - 1.
const FACTOR: f64 = 19.0 / 81.0;
const RETENTION: f64 = 0.9;
const MAXIMUM_INTERVAL: f64 = 36500.0;
const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

fn init_difficulty(rating: Rating) -> f64 {
    (W[4] - (W[5] * (rating.value() - 1.0)).exp() + 1.0).clamp(1.0, 10.0)
}

fn init_stability(rating: Rating) -> f64 {
    W[rating as usize - 1].max(0.1)
}

fn next_interval(stability: f64) -> f64 {
    (stability / FACTOR * (RETENTION.powf(1.0 / DECAY) - 1.0))
        .round()
        .clamp(1.0, MAXIMUM_INTERVAL)
}

fn next_difficulty(difficulty: f64, rating: Rating) -> f64 {
    let next = W[6].mul_add(-(rating.value() - 3.0), difficulty);
    W[7].mul_add(init_difficulty(Rating::Easy), (1.0 - W[7]) * next)
        .clamp(1.0, 10.0)
}

fn short_term_stability(stability: f64, rating: Rating) -> f64 {
    stability * (W[17] * (rating.value() - 3.0 + W[18])).exp()
}

fn recall_stability(difficulty: f64, stability: f64, retrievability: f64, rating: Rating) -> f64 {
    let modifier = match rating {
        Rating::Hard => W[15],
        Rating::Easy => W[16],
        _ => 1.0,
    };
    stability
        * (W[8].exp()
            * (11.0 - difficulty)
            * stability.powf(-W[9])
            * ((1.0 - retrievability) * W[10]).exp_m1())
        .mul_add(modifier, 1.0)
}

fn forget_stability(difficulty: f64, stability: f64, retrievability: f64) -> f64 {
    W[11]
        * difficulty.powf(-W[12])
        * ((stability + 1.0).powf(W[13]) - 1.0)
        * ((1.0 - retrievability) * W[14]).exp()
}

/// The state after a review rated `rating` at `now_ms`; `previous` is `None` for the first.
pub fn review(previous: Option<ReviewState>, rating: Rating, now_ms: i64) -> ReviewState {
    let last = previous.unwrap_or(ReviewState {
        due_ms: now_ms,
        last_review_ms: now_ms,
        ..ReviewState::default()
    });
    let mut next = last;
    next.elapsed_days = if last.state == NEW {
        0
    } else {
        now_ms.saturating_sub(last.last_review_ms) / DAY_MS
    };
    next.last_review_ms = now_ms;
    next.reps = last.reps.saturating_add(1);
    let after_minutes = |m: i64| now_ms.saturating_add(m * MINUTE_MS);
    let after_days = |d: f64| now_ms.saturating_add(d as i64 * DAY_MS);
    let (state, minutes, days) = match (last.state, rating) {
        (NEW, Rating::Good | Rating::Easy) => {
            // Long-term scheduling: the first right answer is due in days.
            next.difficulty = init_difficulty(rating);
            next.stability = init_stability(rating);
            let mut intervals = Rating::ALL.map(|r| next_interval(init_stability(r)));
            intervals[0] = intervals[0].min(intervals[1]);
            for i in 1..4 {
                intervals[i] = intervals[i].max(intervals[i - 1] + 1.0);
            }
            (REVIEW, 0, intervals[rating as usize - 1])
        }
        (NEW, _) => {
            next.difficulty = init_difficulty(rating);
            next.stability = init_stability(rating);
            (LEARNING, if rating == Rating::Again { 1 } else { 5 }, 0.0)
        }
        (LEARNING | RELEARNING, _) => {
            next.difficulty = next_difficulty(last.difficulty, rating);
            next.stability = short_term_stability(last.stability, rating);
            match rating {
                Rating::Again => (last.state, 5, 0.0),
                Rating::Hard => (last.state, 10, 0.0),
                Rating::Good => (REVIEW, 0, next_interval(next.stability)),
                Rating::Easy => {
                    let good = next_interval(short_term_stability(last.stability, Rating::Good));
                    (REVIEW, 0, next_interval(next.stability).max(good + 1.0))
                }
            }
        }
        _ => {
            let elapsed = (now_ms.saturating_sub(last.last_review_ms) / DAY_MS) as f64;
            let retrievability = (1.0 + FACTOR * elapsed / last.stability).powf(DECAY);
            let (d, s) = (last.difficulty, last.stability);
            next.difficulty = next_difficulty(d, rating);
            let stability = |r| recall_stability(d, s, retrievability, r);
            let hard = next_interval(stability(Rating::Hard));
            let good = next_interval(stability(Rating::Good));
            let (hard, good) = (hard.min(good), good.max(hard.min(good) + 1.0));
            match rating {
                Rating::Again => {
                    next.stability = forget_stability(d, s, retrievability);
                    next.lapses = last.lapses.saturating_add(1);
                    (RELEARNING, 5, 0.0)
                }
                Rating::Hard => {
                    next.stability = stability(Rating::Hard);
                    (REVIEW, 0, hard)
                }
                Rating::Good => {
                    next.stability = stability(Rating::Good);
                    (REVIEW, 0, good)
                }
                Rating::Easy => {
                    next.stability = stability(Rating::Easy);
                    (REVIEW, 0, next_interval(next.stability).max(good + 1.0))
                }
            }
        }
    };
    next.state = state;
    next.scheduled_days = days as i64;
    next.due_ms = if days > 0.0 {
        after_days(days)
    } else {
        after_minutes(minutes)
    };
    next
}

impl Rating {
    const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];
}

/// The state after the learner's answer rated `rating` at `now_ms`, in a sitting (a visit of
/// the page) that started at `sitting_ms`: only the first answer of a question in a sitting is
/// a review. `None` when it was already reviewed in this sitting: a later answer is practice
/// (after a wrong answer the page shows the right one, so it would measure copying, not
/// recall) and leaves the schedule as it is.
pub fn review_in_sitting(
    previous: Option<ReviewState>,
    rating: Rating,
    now_ms: i64,
    sitting_ms: i64,
) -> Option<ReviewState> {
    match previous {
        Some(state) if state.last_review_ms >= sitting_ms => None,
        _ => Some(review(previous, rating, now_ms)),
    }
}

#[cfg(test)]
mod tests;
