//! The scheduler against `rs-fsrs`, and only the first answer of a sitting as a review.

use super::*;

const DAY: i64 = 86_400_000;
const MINUTE: i64 = 60_000;
const START: i64 = 1_764_500_000_000;

/// The same review by `rs-fsrs` 1.2.1, with coursebook's one choice (a new card answered good
/// or easy goes to the long-term scheduler).
fn reference(previous: Option<ReviewState>, rating: Rating, now: i64) -> ReviewState {
    use rs_fsrs::{Card, Parameters, State, FSRS};
    let time = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let card = previous.map_or_else(
        || Card {
            due: time(now),
            last_review: time(now),
            ..Card::default()
        },
        |s| Card {
            due: time(s.due_ms),
            stability: s.stability,
            difficulty: s.difficulty,
            elapsed_days: s.elapsed_days,
            scheduled_days: s.scheduled_days,
            reps: s.reps,
            lapses: s.lapses,
            state: match s.state {
                1 => State::Learning,
                2 => State::Review,
                3 => State::Relearning,
                _ => State::New,
            },
            last_review: time(s.last_review_ms),
        },
    );
    let first_recall = card.state == State::New && rating as u8 >= 3;
    let parameters = Parameters {
        enable_short_term: !first_recall,
        ..Parameters::default()
    };
    let rating = match rating {
        Rating::Again => rs_fsrs::Rating::Again,
        Rating::Hard => rs_fsrs::Rating::Hard,
        Rating::Good => rs_fsrs::Rating::Good,
        Rating::Easy => rs_fsrs::Rating::Easy,
    };
    let card = FSRS::new(parameters).next(card, time(now), rating).card;
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

#[test]
fn agrees_with_rs_fsrs_over_random_reviews() {
    let mut rng = fastrand::Rng::with_seed(17);
    for _ in 0..400 {
        let mut state: Option<ReviewState> = None;
        let mut now = START + rng.i64(0..DAY);
        for _ in 0..12 {
            let rating = Rating::ALL[rng.usize(0..4)];
            let ours = review(state, rating, now);
            let theirs = reference(state, rating, now);
            assert_eq!(ours, theirs, "after {state:?}, {rating:?} at {now}");
            state = Some(ours);
            // Sometimes on time, sometimes early or late, sometimes minutes later.
            now = match rng.u8(0..4) {
                0 => ours.due_ms,
                1 => now + rng.i64(0..30 * MINUTE),
                2 => ours.due_ms + rng.i64(0..40 * DAY),
                _ => now + rng.i64(0..3 * DAY),
            };
        }
    }
}

#[test]
fn a_first_right_answer_is_due_in_days_and_a_wrong_one_the_same_day() {
    let right = review(None, Rating::Good, START);
    assert_eq!((right.state, right.scheduled_days), (2, 3));
    assert_eq!(right.due_ms, START + 3 * DAY);
    let easy = review(None, Rating::Easy, START);
    assert!(easy.due_ms > right.due_ms);
    let wrong = review(None, Rating::Again, START);
    assert_eq!(wrong.due_ms, START + MINUTE, "due again today");
    assert_eq!((wrong.state, wrong.reps), (1, 1));
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
    assert!(last_interval >= 20 * DAY, "{last_interval}");
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
fn clicking_check_again_in_a_sitting_changes_nothing() {
    let sitting = START;
    let first = review_in_sitting(None, Rating::Good, START + 1000, sitting);
    let Some(first) = first else {
        panic!("the first answer of a sitting is a review");
    };
    for later in [5_000, 60_000, 3_600_000] {
        assert_eq!(
            review_in_sitting(Some(first), Rating::Good, START + later, sitting),
            None,
            "a click {later} ms later is practice"
        );
    }
    assert_eq!(first.due_ms, START + 1000 + 3 * DAY, "not 4 or 5 days");
    // The next visit is a review again.
    let next_visit = first.due_ms;
    let Some(second) = review_in_sitting(Some(first), Rating::Good, next_visit, next_visit) else {
        panic!("a new sitting reviews");
    };
    assert!(second.due_ms - next_visit > 3 * DAY);
}

#[test]
fn wrong_then_right_in_a_sitting_keeps_the_wrong_answers_schedule() {
    let sitting = START;
    let Some(wrong) = review_in_sitting(None, Rating::Again, START + 2000, sitting) else {
        panic!("first answer");
    };
    assert_eq!(
        review_in_sitting(Some(wrong), Rating::Good, START + 9000, sitting),
        None,
        "copying the revealed answer is not recall"
    );
    assert_eq!(wrong.due_ms, START + 2000 + MINUTE);
    let right_first = review(None, Rating::Good, START);
    assert!(wrong.due_ms < right_first.due_ms);
    // Right on the Review page later that day: due in a day, sooner than a first-try right.
    let Some(recovered) = review_in_sitting(
        Some(wrong),
        Rating::Good,
        wrong.due_ms + DAY / 4,
        wrong.due_ms,
    ) else {
        panic!("a new sitting");
    };
    assert_eq!(recovered.scheduled_days, 1);
    assert!(recovered.scheduled_days < right_first.scheduled_days);
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
