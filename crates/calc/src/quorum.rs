//! etcd quorum: how many members must agree, and how many may fail.

use crate::html::Table;

/// The largest cluster the widget accepts (etcd recommends at most 7).
pub const MAX_MEMBERS: u32 = 99;

/// Quorum figures for one cluster size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quorum {
    /// Members in the cluster.
    pub members: u32,
    /// Members that must agree on a write: floor(n/2)+1.
    pub quorum: u32,
    /// Members that may fail with writes still going on.
    pub tolerated: u32,
}

/// The quorum of a cluster of `members` (at least 1).
pub fn quorum(members: u32) -> Quorum {
    let quorum = members / 2 + 1;
    Quorum {
        members,
        quorum,
        tolerated: members.saturating_sub(quorum),
    }
}

/// Why this size is or is not a good choice, in one sentence.
pub fn advice(members: u32) -> String {
    let q = quorum(members);
    if members == 1 {
        "A single member has no fault tolerance: losing it stops every write.".to_owned()
    } else if members.is_multiple_of(2) {
        let odd = quorum(members - 1);
        format!(
            "{members} members tolerate {} failure{}, no more than {} members do: the extra member \
             raises the quorum to {} and adds one more machine that can fail.",
            q.tolerated,
            plural(q.tolerated),
            odd.members,
            q.quorum
        )
    } else {
        let even = quorum(members + 1);
        format!(
            "{members} members tolerate {} failure{}; growing to {} members would raise the quorum \
             to {} without tolerating any more.",
            q.tolerated,
            plural(q.tolerated),
            even.members,
            even.quorum
        )
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A sentence for `members` and a table of sizes 1..=max(7, members), `members` marked.
pub fn render_html(members: u32) -> String {
    let q = quorum(members);
    let mut html = format!(
        "<p class=\"calc-result\">With <strong>{}</strong> member{} the quorum is <strong>{}</strong> \
         and the cluster tolerates <strong>{}</strong> failed member{}. {}</p>",
        q.members,
        plural(q.members),
        q.quorum,
        q.tolerated,
        plural(q.tolerated),
        advice(members)
    );
    let last = members.max(7);
    Table {
        caption: "etcd quorum by cluster size",
        head: &["Members", "Quorum", "Failures tolerated"],
        rows: (1..=last)
            .map(quorum)
            .map(|q| {
                vec![
                    q.members.to_string(),
                    q.quorum.to_string(),
                    q.tolerated.to_string(),
                ]
            })
            .collect(),
        current: Some((members - 1) as usize),
    }
    .render(&mut html);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_for_one_to_seven() {
        let expected = [
            (1, 1, 0),
            (2, 2, 0),
            (3, 2, 1),
            (4, 3, 1),
            (5, 3, 2),
            (6, 4, 2),
            (7, 4, 3),
        ];
        for (members, quorum_size, tolerated) in expected {
            assert_eq!(
                quorum(members),
                Quorum {
                    members,
                    quorum: quorum_size,
                    tolerated
                }
            );
        }
    }

    #[test]
    fn even_sizes_add_no_tolerance() {
        for n in (2..=20).step_by(2) {
            assert_eq!(quorum(n).tolerated, quorum(n - 1).tolerated, "{n}");
        }
        assert!(advice(4).contains("no more than 3 members"));
        assert!(advice(3).contains("growing to 4 members would raise the quorum to 3"));
    }

    #[test]
    fn one_member_is_singular() {
        let html = render_html(1);
        assert!(
            html.contains("With <strong>1</strong> member the quorum"),
            "{html}"
        );
        assert!(render_html(3).contains("With <strong>3</strong> members the quorum"));
    }

    #[test]
    fn table_grows_past_seven_and_marks_the_size() {
        let html = render_html(9);
        assert_eq!(html.matches("<tr>").count() + 1, 1 + 9, "{html}");
        assert!(html.contains("aria-current=\"true\"><td>9</td><td>5</td><td>4</td>"));
    }
}
