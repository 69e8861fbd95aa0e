//! Calculator arguments as an author (or an attacker) may write them: repeated keys are errors,
//! and no generated argument list — long, repeated, odd numbers and addresses — panics or takes
//! long to parse and render.

use coursebook_calc::{CalcError, Calculator};

#[test]
fn an_argument_given_twice_is_an_error() {
    for (kind, args) in [
        ("quorum", vec!["members=3", "members=5"]),
        ("quorum", vec!["members=3", "members=3"]),
        ("iptables", vec!["endpoints=2", "endpoints=9"]),
        (
            "cidr",
            vec!["node-mask=24", "pod-cidr=10.0.0.0/8", "node-mask=25"],
        ),
    ] {
        let key = args[0].split('=').next().unwrap_or_default().to_owned();
        assert_eq!(
            Calculator::parse(kind, args.iter().copied()),
            Err(CalcError::DuplicateArg(key)),
            "{kind} {args:?}"
        );
    }
}

/// A small deterministic generator (xorshift), so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn generated_arguments_never_panic_and_render_quickly() {
    let kinds = ["quorum", "iptables", "cidr", "", "QUORUM", "quorum=", "é"];
    let keys = [
        "members",
        "endpoints",
        "pod-cidr",
        "node-mask",
        "service-cidr",
        "",
        "=",
        "members=members",
    ];
    let values = [
        "0",
        "1",
        "3",
        "-1",
        "4294967296",
        "99999999999999999999999",
        "1e9",
        "0x10",
        "10.244.0.0/16",
        "0.0.0.0/0",
        "255.255.255.255/32",
        "::/0",
        "fd00::/8",
        "10.0.0.0/33",
        "32",
        "",
        "=",
        "١٢",
    ];
    let long_value = "9".repeat(100_000);
    let long_key = "k".repeat(100_000);
    for seed in 1..=2_000u64 {
        let mut rng = Rng(seed);
        let kind = rng.pick(&kinds);
        let count = (rng.next() % 6) as usize;
        let mut args: Vec<String> = (0..count)
            .map(|_| format!("{}={}", rng.pick(&keys), rng.pick(&values)))
            .collect();
        if seed % 97 == 0 {
            args.push(format!("members={long_value}"));
        }
        if seed % 101 == 0 {
            args.push(format!("{long_key}=1"));
        }
        let started = std::time::Instant::now();
        if let Ok(calculator) = Calculator::parse(kind, args.iter().map(String::as_str)) {
            if let Ok(html) = calculator.render_html() {
                assert!(html.len() < 2_000_000, "seed {seed}: {} bytes", html.len());
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "seed {seed}: {kind} {args:?}"
        );
    }
    // Many arguments at once: the duplicate check is not quadratic.
    let many: Vec<String> = (0..100_000).map(|i| format!("k{i}=1")).collect();
    let started = std::time::Instant::now();
    assert!(Calculator::parse("quorum", many.iter().map(String::as_str)).is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
