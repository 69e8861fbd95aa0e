//! Prints an [`Outcome`](crate::Outcome) for people (rustc style), machines (JSON) or GitHub
//! Actions (workflow annotations).
