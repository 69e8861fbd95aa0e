//! Comparing canonical command lines: whether a learner's command is one of the accepted ones
//! or the model answer with the changes of several alternatives combined, and, when it is not,
//! what differs, in short sentences.

use super::call::{Call, Line, Map};

/// A command line as comparable parts (`0.0 flag namespace` -> `kube-system`), and which of
/// them are neutral flags.
#[derive(Default)]
struct Aspects {
    parts: Map<String>,
    neutral: Vec<String>,
}

fn aspects(line: &Line) -> Aspects {
    let mut aspects = Aspects::default();
    let sizes: Vec<String> = line.pipelines.iter().map(|p| p.len().to_string()).collect();
    aspects.parts.insert(
        "shape",
        format!("{} {}", sizes.join(","), line.joins.join(",")),
    );
    for (p, pipeline) in line.pipelines.iter().enumerate() {
        for (s, call) in pipeline.iter().enumerate() {
            add_call(&mut aspects, &format!("{p}.{s} "), call);
        }
    }
    aspects
}

fn add_call(aspects: &mut Aspects, prefix: &str, call: &Call) {
    let mut put = |key: &str, value: String| aspects.parts.insert(&format!("{prefix}{key}"), value);
    put("program", call.program.clone());
    put("path", call.path.clone());
    put("args", call.args.join("\u{1f}"));
    put("redirects", call.redirects.join("\u{1f}"));
    for (name, value) in call.env.iter() {
        put(&format!("env {name}"), value.clone());
    }
    for (name, values) in call.flags.iter() {
        put(&format!("flag {name}"), values.join("\u{1f}"));
    }
    if let Some(tail) = &call.tail {
        let mut inner = Aspects::default();
        add_call(&mut inner, "", tail);
        let text: Vec<String> = inner
            .parts
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        aspects
            .parts
            .insert(&format!("{prefix}tail"), text.join("\u{1e}"));
    }
    for name in &call.neutral {
        aspects.neutral.push(format!("{prefix}flag {name}"));
    }
}

/// The keys of both, in order, once each.
fn union<'a, A, B>(a: &'a Map<A>, b: &'a Map<B>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = a.keys().chain(b.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The parts of `given` that differ from `expected`, with `given`'s value (`None`: absent);
/// a neutral flag that `expected` lacks is not a difference.
fn changes(expected: &Aspects, given: &Aspects) -> Vec<(String, Option<String>)> {
    union(&expected.parts, &given.parts)
        .into_iter()
        .filter(|key| expected.parts.contains(key) || !given.neutral.iter().any(|n| n == key))
        .filter(|key| expected.parts.get(key) != given.parts.get(key))
        .map(|key| (key.to_owned(), given.parts.get(key).cloned()))
        .collect()
}

/// Whether `given` is one of `answers` (the model answer first), or the model answer changed
/// the way several alternatives each change it (`-it` from one, `pod/x` from another).
pub(crate) fn accepted(answers: &[Line], given: &Line) -> bool {
    if given.calls().any(|c| !c.problems.is_empty()) {
        return false;
    }
    let given = aspects(given);
    let all: Vec<Aspects> = answers.iter().map(aspects).collect();
    if all.iter().any(|answer| changes(answer, &given).is_empty()) {
        return true;
    }
    let Some((model, alternatives)) = all.split_first() else {
        return false;
    };
    let wanted = changes(model, &given);
    let mut covered = vec![false; wanted.len()];
    for alternative in alternatives {
        let change = changes(model, alternative);
        let at: Vec<Option<usize>> = change
            .iter()
            .map(|c| wanted.iter().position(|w| w == c))
            .collect();
        if at.iter().all(Option::is_some) {
            for i in at.into_iter().flatten() {
                covered[i] = true;
            }
        }
    }
    covered.iter().all(|c| *c)
}

/// What differs between `expected` and `given`, as short sentences (learner text quoted).
pub(crate) fn messages(expected: &Line, given: &Line) -> Vec<String> {
    let problems: Vec<String> = given.calls().flat_map(|c| c.problems.clone()).collect();
    if !problems.is_empty() {
        return problems;
    }
    let (e, g) = (&expected.pipelines, &given.pipelines);
    if e.len() != g.len() {
        let joined: Vec<String> = given.joins.iter().map(|j| format!("`{j}`")).collect();
        return vec![format!(
            "expected {}, got {} (joined by {})",
            count(e.len(), "command"),
            g.len(),
            joined.join(", ")
        )];
    }
    if expected.joins != given.joins {
        return vec![if given.joins.len() == g.len() {
            "the command runs in the background (`&`)".into()
        } else {
            "the commands are joined differently".into()
        }];
    }
    let mut out = Vec::new();
    for (e, g) in e.iter().zip(g) {
        if e.len() != g.len() {
            out.push(format!(
                "expected a pipeline of {}, got {}",
                count(e.len(), "command"),
                g.len()
            ));
            continue;
        }
        for (e, g) in e.iter().zip(g) {
            out.extend(call_messages(e, g));
        }
    }
    out
}

fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("one {noun}"),
        n => format!("{n} {noun}s"),
    }
}

fn call_messages(e: &Call, g: &Call) -> Vec<String> {
    if e.program != g.program {
        return vec![format!(
            "expected the program `{}`, got `{}`",
            e.program, g.program
        )];
    }
    if e.path != g.path {
        return vec![format!("expected `{}`, got `{}`", e.display, g.display)];
    }
    let mut out = Vec::new();
    for name in union(&e.env, &g.env) {
        match (e.env.get(name), g.env.get(name)) {
            (Some(a), None) => out.push(format!("missing `{name}={a}` before the command")),
            (None, Some(b)) => out.push(format!("unexpected `{name}={b}` before the command")),
            (Some(a), Some(b)) if a != b => {
                out.push(format!("`{name}`: expected `{a}`, got `{b}`"));
            }
            _ => {}
        }
    }
    if let Some(i) = (0..e.args.len().max(g.args.len())).find(|&i| e.args.get(i) != g.args.get(i)) {
        out.push(match (e.args.get(i), g.args.get(i)) {
            (Some(a), Some(b)) => format!("argument {}: expected `{a}`, got `{b}`", i + 1),
            (Some(a), None) => format!("missing argument `{a}`"),
            (_, b) => format!("unexpected argument `{}`", b.map_or("", String::as_str)),
        });
    }
    for name in union(&e.flags, &g.flags) {
        match (e.flags.get(name), g.flags.get(name)) {
            (Some(_), None) => out.push(format!("missing flag `--{name}`")),
            (None, Some(_)) if !g.neutral.iter().any(|n| n == name) => {
                out.push(format!("unexpected flag `--{name}`"));
            }
            (Some(a), Some(b)) if a != b => out.push(format!(
                "`--{name}`: expected `{}`, got `{}`",
                a.join(" "),
                b.join(" ")
            )),
            _ => {}
        }
    }
    match (&e.tail, &g.tail) {
        (Some(a), Some(b)) => out.extend(
            call_messages(a, b)
                .into_iter()
                .map(|m| format!("after `--`: {m}")),
        ),
        (Some(a), None) => out.push(format!("missing the command after `--` (`{}`)", a.program)),
        (None, Some(b)) => out.push(format!("unexpected command after `--` (`{}`)", b.program)),
        (None, None) => {}
    }
    if e.redirects != g.redirects {
        out.push("the redirections differ".into());
    }
    out
}
