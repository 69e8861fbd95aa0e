//! The `coursebook` command line: parses arguments and wires the pipeline crates together.

mod check;
mod init;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use coursebook_site::{output, Config};

/// Build static course books: lessons, interview Q&A and quizzes that work offline.
#[derive(Debug, Parser)]
#[command(name = "coursebook", version, about, long_about = None)]
#[command(
    after_help = "Start with `coursebook init my-course`, then `coursebook build my-course` \
and open my-course/book/index.html in a browser."
)]
struct Cli {
    /// Print what each stage does (repeat for more detail)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// Print nothing but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book into a static site that works from file:// and on any web server
    #[command(long_about = "Build the book into a static site.\n\n\
        Reads book.toml and the markdown in content/, and writes the site to book/ (or \
        `build.dest-dir`, or --dest-dir). The site is written to a temporary directory and \
        swapped in only when complete, so a failed build leaves the previous site untouched. \
        Open book/index.html straight from disk, or publish the folder (for example to \
        GitHub Pages).")]
    Build {
        /// The book's root directory, holding book.toml
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site here instead of `build.dest-dir` from book.toml (relative to the
        /// current directory)
        #[arg(short, long, value_name = "DIR")]
        dest_dir: Option<PathBuf>,
        #[arg(
            long,
            value_name = "URL",
            help = "The URL the site is published at, e.g. https://user.github.io/course/ \
                    (overrides `book.site-url`; enables canonical links, sitemap.xml and an \
                    absolute 404 page)"
        )]
        site_url: Option<String>,
    },
    /// Lint the book: links, shell and kubectl snippets, Kubernetes manifests, mojibake
    #[command(
        long_about = "Lint the book: links, shell and kubectl snippets, Kubernetes \
        manifests, cluster practice and mojibake.\n\n\
        Reads the book as `coursebook build` does (nothing is written) and prints each finding \
        with its rule id, file:line:col, the offending line and a hint. Exits 0 when nothing \
        fails, 1 on errors (and on warnings with --deny warnings).\n\n\
        Silence one rule on one code block with its info string: ```bash lint-allow=RULE. \
        Change a rule's severity for the whole book in book.toml:\n\n  \
        [check.rules]\n  fence-no-language = \"off\"      # or \"warning\", \"error\"\n\n\
        External links are only fetched with --external; [check.external] in book.toml sets \
        exclude patterns, timeout, retries, concurrency and the cache's max-age."
    )]
    Check {
        /// The book's root directory, holding book.toml
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print the findings
        #[arg(long, value_enum, default_value_t = check::Format::Human)]
        format: check::Format,
        /// Fail on warnings too (for CI): --deny warnings
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Vec<check::Deny>,
        /// Also fetch every external link (needs the network; results are cached)
        #[arg(long)]
        external: bool,
        /// Print every rule with its family, default severity and what it finds, then exit
        #[arg(long)]
        list_rules: bool,
    },
    /// Create a new course that builds, with a home page and a first chapter
    Init {
        /// Where to create it (created if missing; must not already hold a book.toml)
        dir: PathBuf,
        /// The course title
        #[arg(long, default_value = "My course")]
        title: String,
    },
    /// Preview the book with live reload while you write
    #[command(long_about = "Preview the book with live reload while you write.\n\n\
        Builds the book into memory and serves it at http://127.0.0.1:3000/. Saving a chapter \
        re-renders that chapter alone (and the navigation when a title changed), and every \
        open tab reloads once the new page is in place; editing CSS swaps the stylesheet \
        without a reload. A change that does not build shows its error over the open pages \
        while the last good site stays served. Nothing is written to disk. Ctrl-C stops.")]
    Serve {
        /// The book's root directory, holding book.toml
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; the default keeps the preview to this machine
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Delete the built site (only a directory that coursebook wrote)
    Clean {
        /// The book's root directory, holding book.toml
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Delete this directory instead of `build.dest-dir` from book.toml
        #[arg(short, long, value_name = "DIR")]
        dest_dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("COURSEBOOK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_target(false)
        .with_writer(std::io::stderr)
        .without_time()
        .init();
}

/// Runs the command; `Ok(false)` when it ran but found what fails it (`check`).
fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Check {
            dir,
            format,
            deny,
            external,
            list_rules,
        } => {
            if list_rules {
                print!("{}", check::list_rules());
                return Ok(true);
            }
            let args = check::CheckArgs {
                format,
                deny_warnings: deny.contains(&check::Deny::Warnings),
                external,
                quiet: cli.quiet,
            };
            check::run(&dir, &args)
        }
        Command::Build {
            dir,
            dest_dir,
            site_url,
        } => build(&dir, dest_dir, site_url.as_deref(), cli.quiet).map(|()| true),
        Command::Init { dir, title } => {
            init::create(&dir, &title)?;
            if !cli.quiet {
                println!(
                    "Created a new course in {}. Build it with: coursebook build {}",
                    dir.display(),
                    dir.display()
                );
            }
            Ok(true)
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
        } => {
            coursebook_lint::validate_rules(&Config::load(&dir)?)?;
            coursebook_serve::serve(coursebook_serve::ServeOptions {
                root: dir,
                bind,
                port,
                open,
            })?;
            Ok(true)
        }
        Command::Clean { dir, dest_dir } => clean(&dir, dest_dir, cli.quiet).map(|()| true),
    }
}

fn load_config(dir: &Path, dest_dir: Option<PathBuf>) -> Result<Config> {
    let mut config = Config::load(dir)?;
    if let Some(dest) = dest_dir {
        config.dest_dir = dest;
    }
    Ok(config)
}

fn build(dir: &Path, dest_dir: Option<PathBuf>, site_url: Option<&str>, quiet: bool) -> Result<()> {
    let started = Instant::now();
    // Ctrl-C, SIGTERM or SIGHUP mid-build: the half-written site goes, the old one stays.
    let handler = ctrlc::set_handler(|| {
        output::leftovers::remove_open();
        eprintln!("Stopped: the unfinished site was removed; the previous one is unchanged.");
        std::process::exit(130);
    });
    if let Err(err) = handler {
        tracing::warn!("cannot clean up on Ctrl-C: {err}");
    }
    let mut config = load_config(dir, dest_dir)?;
    coursebook_lint::validate_rules(&config)?;
    if let Some(url) = site_url {
        config.set_site_url(url)?;
    }
    let report = coursebook_site::build(config)?;
    if !quiet {
        println!(
            "Built {} pages ({} files) into {} in {:.2} s",
            report.pages,
            report.files,
            report.dest.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn clean(dir: &Path, dest_dir: Option<PathBuf>, quiet: bool) -> Result<()> {
    let config = load_config(dir, dest_dir)?;
    let dest = &config.dest_dir;
    if !dest.exists() {
        if !quiet {
            println!("Nothing to clean: {} does not exist", dest.display());
        }
        return Ok(());
    }
    output::check_destination(&config)?;
    if !dest.join(output::MARKER).is_file() {
        anyhow::bail!(
            "refusing to delete {}: it has no {} file, so coursebook did not write it",
            dest.display(),
            output::MARKER
        );
    }
    if dest.join(output::KEPT).exists() {
        // A gh-pages worktree: the site goes, its `.git` stays.
        for entry in
            std::fs::read_dir(dest).with_context(|| format!("cannot list {}", dest.display()))?
        {
            let path = entry
                .with_context(|| format!("cannot list {}", dest.display()))?
                .path();
            if path.file_name() == Some(std::ffi::OsStr::new(output::KEPT)) {
                continue;
            }
            let removed = if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.with_context(|| format!("cannot delete {}", path.display()))?;
        }
        if !quiet {
            println!(
                "Deleted the site in {} (kept its {})",
                dest.display(),
                output::KEPT
            );
        }
        return Ok(());
    }
    std::fs::remove_dir_all(dest).with_context(|| format!("cannot delete {}", dest.display()))?;
    if !quiet {
        println!("Deleted {}", dest.display());
    }
    Ok(())
}
