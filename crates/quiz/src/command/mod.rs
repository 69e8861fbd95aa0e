//! The command grader: a typed command line is read the way the shell and the program read it
//! (`shell`, then `call` with the program's table from `coursebook-commands`), so that two
//! spellings of the same command compare equal (flag order, `--f=v` or `--f v`, `-n x` or
//! `--namespace x` or `-nx`, booleans and defaults written out, neutral flags such as
//! `--kubeconfig`, kubectl's resource names, `pod/x`, selectors, `\` continuations) while a
//! different program, subcommand, resource, name, flag or value, a flag the program would
//! refuse, or a second command chained on, does not (`compare`).
//!
//! The build reads answers with the committed tables ([`validate`], [`key_table`]) and attaches
//! the records they need to the question's key; the page grades with those ([`grade`]).

mod call;
mod compare;
mod shell;

use coursebook_commands::{builtin, Table};

/// A command line that cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// Quotes do not close.
    #[error("unbalanced quotes")]
    Quotes,
    /// Nothing to run.
    #[error("the command is empty")]
    Empty,
}

fn read_line(text: &str, tables: &[Table]) -> Result<call::Line, CommandError> {
    let script = shell::split(text)?;
    call::line(&script, tables).ok_or(CommandError::Empty)
}

/// Checks an author's answer against the committed tables: it parses, and every subcommand and
/// flag exists. The error says what is wrong.
pub fn validate(answer: &str) -> Result<(), String> {
    let line = read_line(answer, builtin::tables()).map_err(|e| e.to_string())?;
    for call in line.calls() {
        if let Some(command) = &call.unknown_command {
            return Err(format!("`{command}` is not a command the table knows"));
        }
        if let Some(problem) = call.problems.first() {
            return Err(problem.clone());
        }
    }
    Ok(())
}

/// The table records that grading `answers` needs (see `coursebook_commands::Table::subset`):
/// what the build puts in the answer key of a command question.
pub fn key_table(answers: &[String]) -> String {
    let tables = builtin::tables();
    let lines: Vec<call::Line> = answers
        .iter()
        .filter_map(|a| read_line(a, tables).ok())
        .collect();
    call::uses(&lines, tables)
}

/// Grades `text` against the accepted `answers` (the model answer first), reading commands with
/// the records of `table` (what [`key_table`] wrote). `Err` holds why it is wrong, in short
/// sentences (learner text quoted: show it as text).
pub fn grade(answers: &[String], table: &str, text: &str) -> Result<(), Vec<String>> {
    let tables = Table::parse_all(table);
    let given = read_line(text, &tables)
        .map_err(|err| vec![format!("the command does not parse: {err}")])?;
    let expected: Vec<call::Line> = answers
        .iter()
        .filter_map(|a| read_line(a, &tables).ok())
        .collect();
    if compare::accepted(&expected, &given) {
        return Ok(());
    }
    let closest = expected
        .iter()
        .map(|answer| compare::messages(answer, &given))
        .min_by_key(Vec::len)
        .unwrap_or_default();
    Err(closest)
}

#[cfg(test)]
mod tests;
