//! `cargo xtask bench`: builds the shipped course and synthetic books with coursebook and with
//! mdBook, alternating the tools, and reports what each build cost and what each site weighs.

mod generate;
mod mdbook;
mod measure;
mod report;
mod sizes;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use generate::SourceBook;
use measure::Sample;
use report::{BookResult, Header};

/// `cargo xtask bench --help`.
pub const USAGE: &str = "\
usage: cargo xtask bench [--books course,1k,10k] [--runs N] [--markdown] [--smoke] [--write-only]

Generates the benchmark books into target/bench/ (deterministic: the same bytes every run),
lays the same chapters out as an mdBook book, installs mdBook from crates.io into
target/bench/tools when it is missing, builds the release coursebook, then builds each book N
times with each tool, alternating, each into a fresh output directory. Prints medians of wall
time, CPU time and peak memory, coursebook/mdBook ratios taken run by run, output and search
index bytes, and the JS+wasm bytes a page loads, next to the targets of the benchmark issue.

options:
  --books LIST  which books, comma-separated: course (the shipped course), 1k (1,000 generated
                chapters), 10k (10,000; mdBook builds it once, as it takes over ten minutes);
                default course,1k
  --runs N      builds per tool and book; default 5
  --markdown    also print the table as markdown, for the README
  --write-only  only write the books (target/bench/books/<name>/coursebook and .../mdbook),
                for profiling a build by hand
  --smoke       a quick check that the harness works: a 2-chapter book built once with the
                debug coursebook (and with mdBook only if it is already installed); no network
";

struct Options {
    books: Vec<String>,
    runs: usize,
    smoke: bool,
    markdown: bool,
    write_only: bool,
}

/// Runs the task with the arguments after `bench`.
pub fn bench(root: &Path, args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some(measure::EXEC_FLAG) {
        return measure::exec(&args[1..]);
    }
    let Some(options) = parse(args)? else {
        print!("{USAGE}");
        return Ok(());
    };
    if options.smoke {
        return smoke(root);
    }
    run(root, &options)
}

/// The options, or `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<Options>> {
    let mut options = Options {
        books: vec!["course".into(), "1k".into()],
        runs: 5,
        smoke: false,
        markdown: false,
        write_only: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--smoke" => options.smoke = true,
            "--markdown" => options.markdown = true,
            "--write-only" => options.write_only = true,
            "--runs" => {
                let v = value()?;
                options.runs = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .with_context(|| format!("--runs takes a positive number, not `{v}`"))?;
            }
            "--books" => {
                options.books = value()?.split(',').map(|b| b.trim().to_owned()).collect();
                if let Some(bad) = options
                    .books
                    .iter()
                    .find(|b| !["course", "1k", "10k"].contains(&b.as_str()))
                {
                    bail!("unknown book `{bad}`: choose from course, 1k, 10k");
                }
            }
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    Ok(Some(options))
}

fn scratch_dir(root: &Path) -> PathBuf {
    root.join("target/bench")
}

fn run(root: &Path, options: &Options) -> Result<()> {
    let scratch = scratch_dir(root);
    if options.write_only {
        for name in &options.books {
            let books = scratch.join("books").join(name);
            let source = source_book(root, name)?;
            generate::write_coursebook(&source, &books.join("coursebook"))?;
            mdbook::write_mdbook(&source, &books.join("mdbook"))?;
            eprintln!("wrote {}", books.display());
        }
        return Ok(());
    }
    let coursebook = build_coursebook(root, true)?;
    let mdbook = mdbook::find(&scratch, true)?.context("mdbook was installed but is missing")?;
    let mut results = Vec::new();
    for name in &options.books {
        eprintln!("generating {name}");
        let source = source_book(root, name)?;
        results.push(bench_book(
            &scratch,
            name,
            &source,
            options.runs,
            &coursebook,
            Some(&mdbook),
            SERVE_EDITS,
        )?);
    }
    let header = header(&coursebook, "release", Some(&mdbook), options.runs);
    print!("{}", report::text(&header, &results));
    if options.markdown {
        print!("\n{}", report::markdown(&header, &results));
    }
    Ok(())
}

/// The book called `name`: `course`, `1k` or `10k`.
fn source_book(root: &Path, name: &str) -> Result<SourceBook> {
    Ok(match name {
        "course" => generate::course(root)?,
        "1k" => generate::synthetic(name, 1_000),
        _ => generate::synthetic(name, 10_000),
    })
}

/// The harness's own test: a 2-chapter book, one build each, outputs checked, report printed.
/// Fast and offline, so `cargo xtask ci` runs it.
pub fn smoke(root: &Path) -> Result<()> {
    println!("\n==> bench smoke: a 2-chapter book through the benchmark harness");
    let scratch = scratch_dir(root);
    let coursebook = build_coursebook(root, false)?;
    let mdbook = mdbook::find(&scratch, false)?;
    let source = generate::synthetic("smoke", 2);
    let result = bench_book(
        &scratch,
        "smoke",
        &source,
        1,
        &coursebook,
        mdbook.as_deref(),
        3,
    )?;
    check_smoke_output(&scratch, &source, &result)?;
    let header = header(&coursebook, "debug", mdbook.as_deref(), 1);
    let text = report::text(&header, std::slice::from_ref(&result));
    let markdown = report::markdown(&header, std::slice::from_ref(&result));
    if !text.contains("wall time") || !markdown.contains("| smoke | peak memory |") {
        bail!("the bench report is missing rows:\n{text}\n{markdown}");
    }
    print!("{text}");
    println!("==> bench smoke: ok");
    Ok(())
}

fn check_smoke_output(scratch: &Path, source: &SourceBook, result: &BookResult) -> Result<()> {
    let site = output_dir(scratch, "smoke", Tool::Coursebook);
    let pages = ["index.html", "part-1/index.html"]
        .into_iter()
        .map(PathBuf::from)
        .chain((0..2).map(|i| chapter_output(&generate::chapter_path(i))));
    for page in pages {
        if !site.join(&page).is_file() {
            bail!("coursebook wrote no {} for the smoke book", page.display());
        }
    }
    let loads = result.coursebook_sizes.page.as_ref().map_or(0, |p| p.gzip);
    if result.coursebook.len() != 1 || loads == 0 || source.files.len() != 4 {
        bail!("the smoke run measured nothing: {result:?}");
    }
    Ok(())
}

/// `01-part-1/002-x.md` -> `part-1/x.html`, as coursebook names it.
fn chapter_output(source: &str) -> PathBuf {
    let strip = |s: &str| {
        let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.strip_prefix('-').unwrap_or(rest).to_owned()
    };
    let parts: Vec<String> = source.split('/').map(strip).collect();
    PathBuf::from(parts.join("/").replace(".md", ".html"))
}

/// Builds the coursebook binary (release, or the debug one the tests use) and returns it.
fn build_coursebook(root: &Path, release: bool) -> Result<PathBuf> {
    let mut args = vec!["build", "--locked", "-p", "coursebook"];
    if release {
        args.push("--release");
    }
    eprintln!("building coursebook: cargo {}", args.join(" "));
    let status = Command::new("cargo")
        .args(&args)
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
    let bin = target
        .join(if release { "release" } else { "debug" })
        .join(format!("coursebook{}", std::env::consts::EXE_SUFFIX));
    Ok(std::path::absolute(bin)?)
}

fn header(coursebook: &Path, profile: &str, mdbook: Option<&Path>, runs: usize) -> Header {
    let version = mdbook::version_of(coursebook).unwrap_or_else(|| "coursebook".into());
    Header {
        date: report::today(),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        runs,
        coursebook: format!("{version} ({profile})"),
        mdbook: mdbook.map(|m| mdbook::version_of(m).unwrap_or_else(|| "mdbook".into())),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tool {
    Coursebook,
    MdBook,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Coursebook => "coursebook",
            Tool::MdBook => "mdbook",
        }
    }
}

fn output_dir(scratch: &Path, book: &str, tool: Tool) -> PathBuf {
    scratch.join("out").join(format!("{book}-{}", tool.name()))
}

/// Writes `source` in both layouts, builds it `runs` times with each tool (alternating which
/// goes first), then weighs the last sites.
fn bench_book(
    scratch: &Path,
    name: &str,
    source: &SourceBook,
    runs: usize,
    coursebook: &Path,
    mdbook: Option<&Path>,
    serve_edits: usize,
) -> Result<BookResult> {
    let books = scratch.join("books").join(name);
    generate::write_coursebook(source, &books.join("coursebook"))?;
    let mut tools = vec![(Tool::Coursebook, coursebook, Vec::new())];
    if let Some(md) = mdbook {
        mdbook::write_mdbook(source, &books.join("mdbook"))?;
        tools.push((Tool::MdBook, md, Vec::new()));
    }
    for i in 0..runs {
        let count = tools.len();
        for k in 0..count {
            // Odd runs start with the other tool, so neither always runs on a warmer machine.
            let (tool, program, samples) = &mut tools[(k + i) % count];
            if *tool == Tool::MdBook && i >= mdbook_runs(name, runs) {
                continue;
            }
            let book_dir = books.join(tool.name());
            let out = output_dir(scratch, name, *tool);
            eprint!(
                "building {name} with {} (run {}/{runs}) ... ",
                tool.name(),
                i + 1
            );
            samples.push(build_once(scratch, program, &book_dir, &out)?);
        }
    }
    let mut tools = tools.into_iter().map(|(tool, _, samples)| (tool, samples));
    let (_, cb_samples) = tools.next().context("coursebook always runs")?;
    let mdbook = match tools.next() {
        Some((tool, samples)) => Some((
            samples,
            sizes::measure(&output_dir(scratch, name, tool), &[])?,
        )),
        None => None,
    };
    let serve = serve_latency(coursebook, &books.join("coursebook"), name, serve_edits)?;
    Ok(BookResult {
        name: name.to_owned(),
        pages: source.files.keys().filter(|p| p.ends_with(".md")).count(),
        serve,
        coursebook: cb_samples,
        coursebook_sizes: sizes::measure(
            &output_dir(scratch, name, Tool::Coursebook),
            sizes::COURSEBOOK_LAZY,
        )?,
        mdbook,
    })
}

/// mdBook's builds of book `name`: one of the 10k book, which takes it over ten minutes and
/// several gigabytes here (its ratios then pair coursebook's first run with it).
fn mdbook_runs(name: &str, runs: usize) -> usize {
    if name == "10k" {
        1
    } else {
        runs
    }
}

/// How many saves the serve measurement times.
const SERVE_EDITS: usize = 20;

/// `coursebook serve` on `book`: its start-up and memory, and `edits` saves of a chapter in the
/// middle of the book (then one change of its title).
fn serve_latency(
    coursebook: &Path,
    book: &Path,
    name: &str,
    edits: usize,
) -> Result<Option<crate::serve_latency::Served>> {
    let mut chapters: Vec<PathBuf> = walkdir_md(&book.join("content"))?;
    chapters.sort();
    let Some(chapter) = chapters.get(chapters.len() / 2) else {
        return Ok(None);
    };
    eprintln!("timing {edits} saves of one chapter of {name} under coursebook serve ...");
    crate::serve_latency::measure(coursebook, book, chapter, edits).map(Some)
}

/// Every `.md` file under `dir`.
fn walkdir_md(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") && !path.ends_with("_index.md") {
                found.push(path);
            }
        }
    }
    Ok(found)
}

/// One measured build of `book` into a fresh `out`.
fn build_once(scratch: &Path, program: &Path, book: &Path, out: &Path) -> Result<Sample> {
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("cannot remove {}", out.display()))?;
    }
    let args = [
        "build".to_owned(),
        book.to_string_lossy().into_owned(),
        "--dest-dir".to_owned(),
        out.to_string_lossy().into_owned(),
    ];
    let sample = measure::measure(scratch, program, &args)?;
    eprintln!(
        "{} wall, {} CPU, {} peak",
        report::secs(sample.wall),
        report::secs(sample.cpu),
        report::bytes(sample.rss)
    );
    Ok(sample)
}

/// Empties `dir`, creating it if needed.
fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// Writes each file (path with `/` separators) under `base`.
fn write_files(base: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    for (rel, bytes) in files {
        let path = base.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let o = parse(&args("--books 1k,10k --runs 3 --markdown"))
            .expect("valid")
            .expect("not help");
        assert_eq!(
            (o.books, o.runs, o.markdown, o.smoke, o.write_only),
            (vec!["1k".into(), "10k".into()], 3, true, false, false)
        );
        assert!(parse(&args("--help")).expect("valid").is_none());
        assert!(parse(&args("--runs 0")).is_err());
        assert!(parse(&args("--books 2k")).is_err());
        assert!(parse(&args("--runs")).is_err());
    }

    #[test]
    fn chapter_outputs_drop_order_prefixes() {
        assert_eq!(
            chapter_output("01-part-1/002-pod-node-2.md"),
            PathBuf::from("part-1/pod-node-2.html")
        );
    }
}
