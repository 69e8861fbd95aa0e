//! Cron schedules compared by when they run, not by how they are written: `0 2 * * *`,
//! `00 02 * * *`, `0 2 */1 * *` and `0 2 * * 0-6` all run daily at 02:00.

/// The times a five-field cron expression runs at, as sets of minutes, hours, days of the
/// month, months and days of the week, with whether each day field was `*`-based (cron runs on
/// days matching both day fields when either starts with `*`, on days matching either
/// otherwise).
#[derive(Debug, PartialEq, Eq)]
struct Schedule {
    minutes: u64,
    hours: u64,
    days: Days,
    months: u64,
}

#[derive(Debug, PartialEq, Eq)]
enum Days {
    /// Days matching both sets (one field starts with `*`).
    Both(u64, u64),
    /// Days matching either set.
    Either(u64, u64),
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn parse(text: &str) -> Option<Schedule> {
    let text = text.trim().to_ascii_lowercase();
    let fields: Vec<&str> = match text.as_str() {
        "@hourly" => vec!["0", "*", "*", "*", "*"],
        "@daily" | "@midnight" => vec!["0", "0", "*", "*", "*"],
        "@weekly" => vec!["0", "0", "*", "*", "0"],
        "@monthly" => vec!["0", "0", "1", "*", "*"],
        "@yearly" | "@annually" => vec!["0", "0", "1", "1", "*"],
        _ => text.split_whitespace().collect(),
    };
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return None;
    };
    let mut weekdays = field(dow, 0, 7, WEEKDAYS, 0)?;
    if weekdays & (1 << 7) != 0 {
        weekdays = (weekdays | 1) & !(1 << 7); // 7 is Sunday too
    }
    let day_set = field(dom, 1, 31, &[], 1)?;
    let days = if dom.starts_with('*') || dow.starts_with('*') {
        Days::Both(day_set, weekdays)
    } else {
        Days::Either(day_set, weekdays)
    };
    Some(Schedule {
        minutes: field(minute, 0, 59, &[], 0)?,
        hours: field(hour, 0, 23, &[], 0)?,
        days,
        months: field(month, 1, 12, MONTHS, 1)?,
    })
}

/// One field as a bit set: `*`, `n`, `a-b`, `*/s`, `a-b/s`, lists of those, and names.
fn field(text: &str, min: u32, max: u32, names: &[&str], first: u32) -> Option<u64> {
    let value = |word: &str| -> Option<u32> {
        let n = match names.iter().position(|n| *n == word) {
            Some(i) => u32::try_from(i).ok()? + first,
            None if word.bytes().all(|b| b.is_ascii_digit()) && word.len() <= 2 => {
                word.parse().ok()?
            }
            None => return None,
        };
        (min..=max).contains(&n).then_some(n)
    };
    let mut set = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, value_step(step)?),
            None => (part, 1),
        };
        let (from, to) = match range {
            "*" => (min, max),
            _ => match range.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None if step > 1 => (value(range)?, max),
                None => {
                    let n = value(range)?;
                    (n, n)
                }
            },
        };
        if from > to {
            return None;
        }
        let mut n = from;
        while n <= to {
            set |= 1 << n;
            n += step;
        }
    }
    Some(set)
}

fn value_step(step: &str) -> Option<u32> {
    let step: u32 = if step.bytes().all(|b| b.is_ascii_digit()) && step.len() <= 2 {
        step.parse().ok()?
    } else {
        return None;
    };
    (step > 0).then_some(step)
}

/// Whether every expression in `answers` is a cron schedule; then, whether `text` runs at the
/// same times as one of them. `None` when the answers are not cron schedules.
pub(crate) fn same_schedule(answers: &[String], text: &str) -> Option<bool> {
    let schedules: Vec<Schedule> = answers.iter().map(|a| parse(a)).collect::<Option<_>>()?;
    let given = parse(text);
    Some(given.is_some_and(|g| schedules.contains(&g)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> Option<bool> {
        same_schedule(&[a.to_owned()], b)
    }

    #[test]
    fn spellings_of_daily_at_two_are_one_schedule() {
        for text in [
            "0 2 * * *",
            "00 02 * * *",
            "0 2 */1 * *",
            "0 2 * * 0-6",
            "0 2 * * 0-7",
            "0 2 * * sun-sat",
            "0 2 1-31 * *",
            "0 2 * jan-dec *",
            "0 2 * 1-12 0,1,2,3,4,5,6",
        ] {
            assert_eq!(same("0 2 * * *", text), Some(true), "{text}");
        }
        for text in [
            "0 14 * * *",
            "2 0 * * *",
            "0 2 * * 1-5",
            "0 2 1 * *",
            "0 */2 * * *",
            "0 2 * *",
            "every day at 2",
            "0 2 * * 8",
        ] {
            assert_eq!(same("0 2 * * *", text), Some(false), "{text}");
        }
        assert_eq!(
            same("kubelet", "kubelet"),
            None,
            "not cron: plain text compare"
        );
        assert_eq!(same("@daily", "0 0 * * *"), Some(true));
    }

    #[test]
    fn day_fields_either_or_both() {
        // The 1st and every Monday, against the 1st if it is a Monday.
        assert_eq!(same("0 0 1 * 1", "0 0 1 * mon"), Some(true));
        assert_eq!(same("0 0 1 * 1", "0 0 */31 * 1"), Some(false));
    }
}
