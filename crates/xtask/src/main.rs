//! Project automation: `cargo xtask ci` installs what the tests need and runs every check;
//! `cargo xtask wasm` rebuilds the WebAssembly bundle; `cargo xtask bench` compares build costs
//! with mdBook.

mod bench;
mod serve_latency;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci         install what the tests need (Chromium, npm packages, the wasm32 target,
             wasm-bindgen-cli) when missing, then run cargo fmt --check, clippy -D warnings,
             cargo doc, every cargo test, the benchmark smoke test (bench --smoke), the
             stale-bundle check of theme/coursebook-*wasm.js and the browser tests; this is what
             .ci/run runs
  browser    only the headless-Chromium tests (builds the binary first)
  wasm       rebuild theme/coursebook-wasm.js and theme/coursebook-search-wasm.js from
             crates/web (installs the wasm32 target and wasm-bindgen-cli when missing);
             `wasm --check` fails if a committed one is stale
  bench      build generated books and the course with coursebook and mdBook (installed into
             target/bench when missing), print timings, memory and sizes against the targets;
             `bench --help` for the options, `bench --smoke` for a quick offline check
";

fn main() -> Result<()> {
    let task = std::env::args().nth(1);
    let root = repo_root()?;
    match task.as_deref() {
        Some("ci") => ci(&root),
        Some("browser") => browser_tests(&root),
        Some("wasm") => wasm::wasm(&root, std::env::args().nth(2).as_deref() == Some("--check")),
        Some("bench") => bench::bench(&root, &std::env::args().skip(2).collect::<Vec<_>>()),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown task `{other}`\n\n{USAGE}"),
    }
}

fn repo_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest
        .ancestors()
        .nth(2)
        .context("xtask lives in crates/xtask")?;
    Ok(root.to_path_buf())
}

fn ci(root: &Path) -> Result<()> {
    let started = Instant::now();
    step(
        root,
        "cargo fmt",
        "cargo",
        &["fmt", "--all", "--check"],
        &[],
    )?;
    step(
        root,
        "cargo clippy",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    step(
        root,
        "cargo doc",
        "cargo",
        &["doc", "--workspace", "--no-deps", "--locked"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    step(
        root,
        "cargo test",
        "cargo",
        &["test", "--workspace", "--locked"],
        &[],
    )?;
    bench::smoke(root)?;
    wasm::wasm(root, true)?;
    browser_tests(root)?;
    println!(
        "\nxtask ci: every check passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn browser_tests(root: &Path) -> Result<()> {
    ensure_chromium()?;
    step(
        root,
        "build coursebook",
        "cargo",
        &["build", "--locked", "-p", "coursebook"],
        &[],
    )?;
    let browser_dir = root.join("tests/browser");
    step(
        &browser_dir,
        "npm ci",
        "npm",
        &["ci", "--no-audit", "--no-fund"],
        &[],
    )?;
    let bin = root.join("target/debug/coursebook");
    let bin = bin.to_str().context("the repository path is not UTF-8")?;
    let book = root.to_str().context("the repository path is not UTF-8")?;
    step(
        &browser_dir,
        "browser tests",
        "node",
        &["--test", "--test-reporter=spec"],
        &[("COURSEBOOK_BIN", bin), ("COURSEBOOK_BOOK", book)],
    )
}

/// Installs Debian's Chromium when it is missing (CI runs as root; elsewhere, say how).
fn ensure_chromium() -> Result<()> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if Path::new(&chromium).exists() {
        return Ok(());
    }
    println!("==> Chromium is missing: installing Debian's chromium package");
    let apt = |args: &[&str]| -> Result<()> {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get: install Chromium yourself (Debian: apt-get install chromium) or set CHROMIUM")?;
        if !status.success() {
            bail!(
                "apt-get {} failed: run as root, or install Chromium and set CHROMIUM",
                args.join(" ")
            );
        }
        Ok(())
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "--no-install-recommends", "chromium"])
}

/// Runs one command in `dir`, failing with its name when it fails.
pub(crate) fn step(
    dir: &Path,
    name: &str,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<()> {
    println!("\n==> {name}: {program} {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    println!("==> {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
