//! Spaced repetition: when a question or flashcard is due again, by FSRS (the `rs-fsrs`
//! crate). The review state is plain numbers so the page can store it as it likes.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, Parameters, State, FSRS};

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

    fn fsrs(self) -> rs_fsrs::Rating {
        match self {
            Rating::Again => rs_fsrs::Rating::Again,
            Rating::Hard => rs_fsrs::Rating::Hard,
            Rating::Good => rs_fsrs::Rating::Good,
            Rating::Easy => rs_fsrs::Rating::Easy,
        }
    }
}

/// One question's review state: FSRS's card, with times in milliseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
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

    fn to_card(self) -> Card {
        Card {
            due: time(self.due_ms),
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: self.elapsed_days,
            scheduled_days: self.scheduled_days,
            reps: self.reps,
            lapses: self.lapses,
            state: match self.state {
                1 => State::Learning,
                2 => State::Review,
                3 => State::Relearning,
                _ => State::New,
            },
            last_review: time(self.last_review_ms),
        }
    }

    fn from_card(card: &Card) -> ReviewState {
        ReviewState {
            due_ms: card.due.timestamp_millis(),
            stability: card.stability,
            difficulty: card.difficulty,
            elapsed_days: card.elapsed_days,
            scheduled_days: card.scheduled_days,
            reps: card.reps,
            lapses: card.lapses,
            state: card.state as u8,
            last_review_ms: card.last_review.timestamp_millis(),
        }
    }
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// The state after a review rated `rating` at `now_ms`; `previous` is `None` for the first.
pub fn review(previous: Option<ReviewState>, rating: Rating, now_ms: i64) -> ReviewState {
    let card = previous.map_or_else(
        || Card {
            due: time(now_ms),
            last_review: time(now_ms),
            ..Card::default()
        },
        ReviewState::to_card,
    );
    let scheduler = FSRS::new(Parameters::default());
    ReviewState::from_card(&scheduler.next(card, time(now_ms), rating.fsrs()).card)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const START: i64 = 1_764_500_000_000;

    #[test]
    fn again_comes_back_sooner_than_good_and_easy() {
        let again = review(None, Rating::Again, START);
        let good = review(None, Rating::Good, START);
        let easy = review(None, Rating::Easy, START);
        assert!(again.due_ms < good.due_ms, "{again:?} {good:?}");
        assert!(good.due_ms < easy.due_ms, "{good:?} {easy:?}");
        assert!(
            again.due_ms - START < DAY,
            "a forgotten card is due the same day"
        );
        assert_eq!(again.reps, 1);
    }

    #[test]
    fn good_reviews_space_out_further_each_time() {
        let mut state = None;
        let mut now = START;
        let mut last_interval = 0;
        for _ in 0..5 {
            let next = review(state, Rating::Good, now);
            let interval = next.due_ms - now;
            assert!(interval >= last_interval, "{interval} < {last_interval}");
            last_interval = interval;
            now = next.due_ms;
            state = Some(next);
        }
        assert!(last_interval >= 3 * DAY, "{last_interval}");
    }

    #[test]
    fn forgetting_a_learnt_card_counts_a_lapse() {
        let mut state = review(None, Rating::Easy, START);
        state = review(Some(state), Rating::Good, state.due_ms);
        let lapsed = review(Some(state), Rating::Again, state.due_ms);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.due_ms - state.due_ms < DAY);
    }

    #[test]
    fn numbers_round_trip_and_bad_numbers_are_refused() {
        let state = review(None, Rating::Good, START);
        assert_eq!(ReviewState::from_numbers(&state.to_numbers()), Some(state));
        assert_eq!(ReviewState::from_numbers(&[1.0; 8]), None);
        let mut bad = state.to_numbers();
        bad[1] = f64::NAN;
        assert_eq!(ReviewState::from_numbers(&bad), None);
        bad = state.to_numbers();
        bad[7] = 9.0;
        assert_eq!(ReviewState::from_numbers(&bad), None);
    }

    #[test]
    fn ratings_from_numbers() {
        assert_eq!(Rating::from_number(1), Some(Rating::Again));
        assert_eq!(Rating::from_number(4), Some(Rating::Easy));
        assert_eq!(Rating::from_number(0), None);
        assert_eq!(Rating::from_number(5), None);
    }
}
