//! The small HTML vocabulary the calculators share: tables of numbers and grouped digits.

/// A table with a caption, a header row and body rows; `current` marks one body row.
pub(crate) struct Table<'a> {
    pub caption: &'a str,
    pub head: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
    pub current: Option<usize>,
}

impl Table<'_> {
    pub(crate) fn render(&self, out: &mut String) {
        out.push_str("<table class=\"calc-table\"><caption>");
        out.push_str(self.caption);
        out.push_str("</caption><thead><tr>");
        for cell in self.head {
            out.push_str("<th scope=\"col\">");
            out.push_str(cell);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead><tbody>");
        for (i, row) in self.rows.iter().enumerate() {
            if self.current == Some(i) {
                out.push_str("<tr class=\"current\" aria-current=\"true\">");
            } else {
                out.push_str("<tr>");
            }
            for cell in row {
                out.push_str("<td>");
                out.push_str(cell);
                out.push_str("</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
}

/// `n` with thin groups of three digits: `1,048,576`.
pub(crate) fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `numerator / denominator` with `decimals` decimals, rounded half up, in integer arithmetic
/// (exact, and without pulling float formatting into the wasm module).
pub(crate) fn fixed(numerator: u64, denominator: u64, decimals: u32) -> String {
    let scale = 10u128.pow(decimals);
    let denominator = u128::from(denominator.max(1));
    let scaled = (u128::from(numerator) * scale * 2 + denominator) / (denominator * 2);
    let (whole, fraction) = (scaled / scale, scaled % scale);
    if decimals == 0 {
        return whole.to_string();
    }
    format!("{whole}.{fraction:0width$}", width = decimals as usize)
}

/// `numerator / denominator` as a percentage with two decimals: `33.33%`.
pub(crate) fn percent(numerator: u64, denominator: u64) -> String {
    format!("{}%", fixed(numerator * 100, denominator, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_048_576), "1,048,576");
    }

    #[test]
    fn fixed_point_rounds_half_up() {
        assert_eq!(fixed(1, 3, 10), "0.3333333333");
        assert_eq!(fixed(2, 3, 10), "0.6666666667");
        assert_eq!(fixed(1, 2, 10), "0.5000000000");
        assert_eq!(fixed(1, 1, 2), "1.00");
        assert_eq!(fixed(1, 8, 2), "0.13");
        assert_eq!(fixed(7, 2, 0), "4");
        assert_eq!(percent(1, 3), "33.33%");
        assert_eq!(percent(2, 3), "66.67%");
        assert_eq!(percent(0, 5), "0.00%");
    }

    #[test]
    fn marks_the_current_row() {
        let mut html = String::new();
        Table {
            caption: "c",
            head: &["a"],
            rows: vec![vec!["1".into()], vec!["2".into()]],
            current: Some(1),
        }
        .render(&mut html);
        assert!(html.contains("<tr class=\"current\" aria-current=\"true\"><td>2</td>"));
    }
}
