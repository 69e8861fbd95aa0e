//! kube-proxy's iptables mode: the KUBE-SVC chain that spreads a Service's connections over its
//! endpoints, one `statistic --mode random` rule per endpoint.

use crate::html::{fixed, grouped, percent, Table};

/// The most endpoints the widget accepts.
pub const MAX_ENDPOINTS: u32 = 64;

/// The most connections one simulation runs.
pub const MAX_CONNECTIONS: u32 = 1_000_000;

/// One rule of the service chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// 0-based position in the chain.
    pub index: u32,
    /// The `--probability` argument as kube-proxy writes it (`%0.10f`), `None` for the last
    /// rule, which always matches.
    pub probability: Option<String>,
    /// The chance that this rule matches a connection that reached it: 1/(n-i).
    pub conditional: f64,
    /// The share of all connections this endpoint receives.
    pub share: f64,
}

/// The rules kube-proxy writes for `endpoints` endpoints (at least 1).
pub fn chain(endpoints: u32) -> Vec<Rule> {
    let n = endpoints;
    let mut reach = 1.0;
    (0..n)
        .map(|i| {
            let remaining = n - i;
            let conditional = 1.0 / f64::from(remaining);
            let share = reach * conditional;
            reach *= 1.0 - conditional;
            Rule {
                index: i,
                // kube-proxy: fmt.Sprintf("%0.10f", 1.0/float64(n-i)) for every rule but the last.
                probability: (i + 1 < n).then(|| fixed(1, u64::from(remaining), 10)),
                conditional,
                share,
            }
        })
        .collect()
}

/// How `iptables-save` prints the probability 1/`remaining`: the kernel keeps it as a 31-bit
/// fraction, and iptables prints that fraction with 11 decimals (1/3, written 0.3333333333,
/// comes back as 0.33333333349).
pub fn as_saved(remaining: u32) -> String {
    const ONE: u64 = 0x8000_0000;
    let remaining = u64::from(remaining.max(1));
    let stored = (ONE * 2 + remaining) / (remaining * 2);
    fixed(stored, ONE, 11)
}

/// The chain as `iptables-save` lines, with placeholder chain names.
pub fn chain_text(endpoints: u32) -> String {
    let mut text = String::new();
    for rule in chain(endpoints) {
        text.push_str("-A KUBE-SVC-EXAMPLE -m comment --comment \"default/web -> endpoint ");
        text.push_str(&(rule.index + 1).to_string());
        text.push('"');
        if let Some(p) = &rule.probability {
            text.push_str(" -m statistic --mode random --probability ");
            text.push_str(p);
        }
        text.push_str(" -j KUBE-SEP-ENDPOINT");
        text.push_str(&(rule.index + 1).to_string());
        text.push('\n');
    }
    text
}

/// Walks `connections` connections through the chain with a seeded generator and counts where
/// each lands, as the kernel would: each rule draws, the first match wins.
pub fn simulate(endpoints: u32, connections: u32, seed: u64) -> Vec<u64> {
    let rules = chain(endpoints);
    let mut counts = vec![0u64; rules.len()];
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..connections {
        let hit = rules
            .iter()
            .position(|rule| rule.probability.is_none() || rng.f64() < rule.conditional)
            .unwrap_or(rules.len() - 1);
        counts[hit] += 1;
    }
    counts
}

/// The chain and a table of each rule's probability and share.
pub fn render_html(endpoints: u32) -> String {
    let mut html = format!(
        "<p class=\"calc-result\">For <strong>{endpoints}</strong> endpoint{}, kube-proxy writes \
         {endpoints} rule{} in the service chain. Rule <var>i</var> of <var>n</var>, counting \
         from 1, matches with probability 1/(<var>n</var>&minus;<var>i</var>+1) of the \
         connections that reach it (rule 1 takes 1/<var>n</var>, the last one all that is left), so every endpoint gets 1/{endpoints} of \
         the traffic. <code>iptables-save</code> prints the kernel's rounding of each probability \
         (0.3333333333 as {}).</p><pre class=\"calc-chain\"><code>",
        plural(endpoints),
        plural(endpoints),
        as_saved(3),
    );
    // One block per rule, so that a narrow column wraps a rule under itself (book.css) and
    // its `--probability` stays in view.
    // Lines break between words only (never at a word's hyphens), `--probability` and its value
    // kept together.
    for line in chain_text(endpoints).lines() {
        html.push_str("<span class=\"chain-rule\">");
        let mut words = line.split(' ').peekable();
        let mut first = true;
        while let Some(word) = words.next() {
            if !first {
                html.push(' ');
            }
            first = false;
            html.push_str("<span class=\"chain-word\">");
            html.push_str(&escape(word));
            if word == "--probability" {
                if let Some(value) = words.next() {
                    html.push(' ');
                    html.push_str(&escape(value));
                }
            }
            html.push_str("</span>");
        }
        html.push_str("</span>");
    }
    html.push_str("</code></pre>");
    Table {
        caption: "Rules of the KUBE-SVC chain",
        head: &[
            "Rule",
            "--probability",
            "Matches if reached",
            "Share of connections",
        ],
        rows: chain(endpoints)
            .into_iter()
            .map(|rule| {
                vec![
                    (rule.index + 1).to_string(),
                    rule.probability.unwrap_or_else(|| "(always)".to_owned()),
                    percent(1, u64::from(endpoints - rule.index)),
                    percent(1, u64::from(endpoints)),
                ]
            })
            .collect(),
        current: None,
    }
    .render(&mut html);
    html
}

/// `text` with the characters of `chain_text` that HTML needs escaped.
fn escape(text: &str) -> String {
    text.replace('"', "&quot;").replace('>', "&gt;")
}

/// The observed shares of a simulation next to the expected ones.
pub fn render_simulation_html(endpoints: u32, connections: u32, seed: u64) -> String {
    let counts = simulate(endpoints, connections, seed);
    let mut html = String::new();
    Table {
        caption: &format!("{} simulated connections", grouped(u128::from(connections))),
        head: &[
            "Endpoint",
            "Connections",
            "Observed share",
            "Expected share",
        ],
        rows: counts
            .iter()
            .enumerate()
            .map(|(i, &count)| {
                vec![
                    (i + 1).to_string(),
                    grouped(u128::from(count)),
                    percent(count, u64::from(connections)),
                    percent(1, u64::from(endpoints)),
                ]
            })
            .collect(),
        current: None,
    }
    .render(&mut html);
    html
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probabilities(n: u32) -> Vec<Option<String>> {
        chain(n).into_iter().map(|r| r.probability).collect()
    }

    #[test]
    fn probabilities_for_one_to_five_endpoints_as_kube_proxy_prints_them() {
        let p = |s: &str| Some(s.to_owned());
        assert_eq!(probabilities(1), vec![None]);
        assert_eq!(probabilities(2), vec![p("0.5000000000"), None]);
        assert_eq!(
            probabilities(3),
            vec![p("0.3333333333"), p("0.5000000000"), None]
        );
        assert_eq!(
            probabilities(4),
            vec![
                p("0.2500000000"),
                p("0.3333333333"),
                p("0.5000000000"),
                None
            ]
        );
        assert_eq!(
            probabilities(5),
            vec![
                p("0.2000000000"),
                p("0.2500000000"),
                p("0.3333333333"),
                p("0.5000000000"),
                None
            ]
        );
    }

    #[test]
    fn every_endpoint_gets_an_equal_share() {
        for n in 1..=5 {
            for rule in chain(n) {
                assert!(
                    (rule.share - 1.0 / f64::from(n)).abs() < 1e-12,
                    "{n}: {rule:?}"
                );
            }
        }
    }

    #[test]
    fn the_prose_counts_rules_as_the_table_does() {
        let html = render_html(4);
        assert!(
            html.contains("1/(<var>n</var>&minus;<var>i</var>+1)"),
            "{html}"
        );
        // Rule 1 of 4 matches a quarter of the connections reaching it, as the table says.
        assert!(
            html.contains("<td>1</td><td>0.2500000000</td><td>25"),
            "{html}"
        );
    }

    #[test]
    fn each_rule_of_the_chain_is_its_own_block() {
        let html = render_html(3);
        assert_eq!(
            html.matches("<span class=\"chain-rule\">").count(),
            3,
            "{html}"
        );
        assert!(html.contains(
            "<span class=\"chain-word\">--probability 0.3333333333</span> \
             <span class=\"chain-word\">-j</span> <span class=\"chain-word\">KUBE-SEP-ENDPOINT1</span></span>"
        ), "{html}");
    }

    #[test]
    fn iptables_save_shows_the_kernel_rounding() {
        assert_eq!(as_saved(3), "0.33333333349");
        assert_eq!(as_saved(2), "0.50000000000");
        assert_eq!(as_saved(1), "1.00000000000");
    }

    #[test]
    fn chain_text_matches_kube_proxy_layout() {
        let text = chain_text(2);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with(
            "-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ENDPOINT1"
        ));
        assert!(!lines[1].contains("statistic"));
    }

    #[test]
    fn simulation_is_seeded_and_close_to_uniform() {
        let counts = simulate(4, 100_000, 7);
        assert_eq!(counts, simulate(4, 100_000, 7));
        assert_eq!(counts.iter().sum::<u64>(), 100_000);
        for count in counts {
            assert!((23_500..=26_500).contains(&count), "{count}");
        }
        assert_eq!(simulate(1, 10, 1), vec![10]);
    }

    #[test]
    fn html_escapes_the_chain() {
        let html = render_html(3);
        assert!(
            html.contains(
                "&quot;default/web</span> <span class=\"chain-word\">-&gt;</span> \
             <span class=\"chain-word\">endpoint</span> <span class=\"chain-word\">1&quot;"
            ),
            "{html}"
        );
        assert!(!html.contains("\"default/web"));
    }
}
