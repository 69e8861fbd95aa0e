//! `coursebook check`: loads the book as the build does, runs the lint rules, prints the
//! findings in the chosen format and decides the exit status.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;
use clap::ValueEnum;
use coursebook_lint::{report, rules, Options, Outcome};
use coursebook_site::markdown::Highlighter;
use coursebook_site::{Config, Site};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the offending line and a caret
    Human,
    /// One JSON document with every finding and the counts
    Json,
    /// GitHub Actions workflow annotations (`::error file=…`)
    Github,
}

/// What `--deny` can turn into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Fail on warnings as well as errors
    Warnings,
}

/// The options of one `coursebook check`.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// Output format.
    pub format: Format,
    /// Fail on warnings too.
    pub deny_warnings: bool,
    /// Fetch external links.
    pub external: bool,
    /// Print nothing but findings.
    pub quiet: bool,
}

/// Runs the check; `Ok(false)` when it found what fails it.
pub fn run(dir: &Path, args: &CheckArgs) -> Result<bool> {
    let config = Config::load(dir)?;
    let site = Site::load(config, &Highlighter::new())?;
    let options = Options {
        external: args.external,
        progress: args.external && !args.quiet && std::io::stderr().is_terminal(),
    };
    let outcome = coursebook_lint::check(&site, &options)?;
    print(&outcome, args.format);
    if !args.quiet && args.format == Format::Human {
        eprintln!("{}", report::summary(&outcome, site.book.chapters.len()));
    }
    Ok(!outcome.fails(args.deny_warnings))
}

fn print(outcome: &Outcome, format: Format) {
    let text = match format {
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report::human(outcome, color)
        }
        Format::Json => report::json(outcome) + "\n",
        Format::Github => report::github(outcome),
    };
    print!("{text}");
}

/// The table of `--list-rules`.
pub fn list_rules() -> String {
    let mut text = String::new();
    for rule in rules::all() {
        text.push_str(&format!(
            "{:<34} {:<10} {:<8} {}\n",
            rule.id,
            rule.family,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    text
}
