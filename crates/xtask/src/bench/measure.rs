//! Measuring one build: wall time, CPU time (user + sys) and peak memory of the child process,
//! and the statistics over runs (medians, and ratios taken pair by pair).
//!
//! `getrusage(RUSAGE_CHILDREN)` reports the largest peak memory of every child a process ever
//! waited for, so each build runs under a fresh copy of xtask itself (`bench --exec ...`) whose
//! only child is the build: its numbers are that build's alone.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// The hidden argument that makes `cargo xtask bench` the measuring wrapper.
pub const EXEC_FLAG: &str = "--exec";

/// What one build cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Wall-clock seconds from spawn to exit.
    pub wall: f64,
    /// User plus system CPU seconds, of the build and whatever it waited for.
    pub cpu: f64,
    /// Peak resident memory in bytes (0 where the platform does not say).
    pub rss: u64,
}

/// Runs `program args` in `dir` under the measuring wrapper; fails with the build's stderr
/// when it fails.
pub fn measure(dir: &Path, program: &Path, args: &[String]) -> Result<Sample> {
    let wrapper = std::env::current_exe().context("cannot find xtask's own executable")?;
    let out = Command::new(wrapper)
        .arg("bench")
        .arg(EXEC_FLAG)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .context("cannot start the measuring wrapper")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "{} {} failed ({}):\n{}",
            program.display(),
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    parse_report(&stdout).with_context(|| format!("the wrapper reported `{}`", stdout.trim()))
}

fn parse_report(line: &str) -> Result<Sample> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [wall, cpu, rss] = fields[..] else {
        bail!("expected three numbers");
    };
    Ok(Sample {
        wall: wall.parse()?,
        cpu: cpu.parse()?,
        rss: rss.parse()?,
    })
}

/// The wrapper: runs `args[0] args[1..]` with stdout discarded and stderr passed through,
/// then prints `wall cpu rss` on stdout; exits with the child's failure.
pub fn exec(args: &[String]) -> Result<()> {
    let [program, rest @ ..] = args else {
        bail!("{EXEC_FLAG} needs a program to run");
    };
    let started = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    let (cpu, rss) = children_usage()?;
    println!("{wall:.6} {cpu:.6} {rss}");
    Ok(())
}

/// CPU seconds and peak memory (bytes) of the children this process has waited for.
#[cfg(unix)]
fn children_usage() -> Result<(f64, u64)> {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage failed")?;
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let cpu = seconds(usage.user_time()) + seconds(usage.system_time());
    // Linux counts ru_maxrss in KiB, macOS in bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Ok((cpu, u64::try_from(usage.max_rss()).unwrap_or(0) * unit))
}

#[cfg(not(unix))]
fn children_usage() -> Result<(f64, u64)> {
    Ok((0.0, 0))
}

/// The median (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median of `a[i] / b[i]`: each run of one tool against the other's run beside it, so a
/// noisy moment of a shared machine slows both sides of a pair.
pub fn paired_ratio(a: &[f64], b: &[f64]) -> Option<f64> {
    let ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(_, &y)| y > 0.0)
        .map(|(x, y)| x / y)
        .collect();
    median(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 2.0]), Some(2.0));
    }

    #[test]
    fn ratios_are_paired_then_medianed() {
        // Pairwise: 1/2, 4/4, 1/4 -> median 0.5; the ratio of the medians would be 1/4.
        assert_eq!(paired_ratio(&[1.0, 4.0, 1.0], &[2.0, 4.0, 4.0]), Some(0.5));
        assert_eq!(paired_ratio(&[1.0], &[0.0]), None);
        assert_eq!(paired_ratio(&[], &[]), None);
    }

    #[test]
    fn wrapper_report_parses() {
        let s = parse_report("1.500000 2.250000 1048576\n").expect("parses");
        assert_eq!(
            s,
            Sample {
                wall: 1.5,
                cpu: 2.25,
                rss: 1_048_576
            }
        );
        assert!(parse_report("1 2").is_err());
    }
}
