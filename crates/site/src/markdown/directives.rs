//! The directive pass: fenced ```` ```quiz ```` blocks become quizzes and ```` ```calc KIND ````
//! blocks become calculator widgets, each validated here so that a bad block stops the build
//! with its file and line.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use coursebook_calc::Calculator;
use coursebook_quiz::Question;

use super::{ChapterIr, Node, Role};
use crate::error::{Error, Location, Position};

mod calc_html;
mod quiz_html;

pub use quiz_html::{element_id, quiz_section};

/// A question of a chapter, with the key its progress is stored under.
#[derive(Debug, Clone)]
pub struct ChapterQuestion {
    /// `days/etcd.html#quorum`: the chapter's output path and the question id.
    pub key: String,
    /// The validated question.
    pub question: Question,
    /// The question's `<li>` markup, for the chapter page and the Review page.
    pub html: String,
    /// The file line of the question.
    pub line: usize,
}

/// Where the pass is: the chapter's file (for errors), output path (for keys) and title.
#[derive(Debug, Clone, Copy)]
pub struct ChapterRef<'a> {
    /// The markdown file.
    pub file: &'a std::path::Path,
    /// The chapter's output path.
    pub output: &'a str,
    /// The chapter's title.
    pub title: &'a str,
}

/// Replaces quiz and calc blocks with their HTML; returns the chapter's questions.
pub fn render(ir: &mut ChapterIr, chapter: ChapterRef<'_>) -> Result<Vec<ChapterQuestion>, Error> {
    let mut questions: Vec<ChapterQuestion> = Vec::new();
    // The ids of the chapter's questions so far: a set, so many blocks cost no more than one.
    let mut ids: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(ir.nodes.len());
    let mut open: Option<(Node, String, String)> = None; // start node, info, code
    let mut quizzes = 0;
    for node in std::mem::take(&mut ir.nodes) {
        match (&node.event, &mut open) {
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))), None)
                if directive(info).is_some() =>
            {
                open = Some((node.clone(), info.to_string(), String::new()));
            }
            (Event::Text(text), Some((_, _, code))) => code.push_str(text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let Some((start, info, code)) = open.take() else {
                    continue;
                };
                let fence_line = ir.line(start.span.start);
                let html = match directive(&info) {
                    Some(Directive::Quiz) => {
                        let added = quiz(&code, fence_line, chapter, &mut ids)?;
                        quizzes += 1;
                        let html = quiz_section(&added, chapter.title, quizzes);
                        questions.extend(added);
                        html
                    }
                    Some(Directive::Calc(words)) => calc(&words, &code, fence_line, chapter)?,
                    None => continue,
                };
                out.push(Node {
                    event: Event::Html(CowStr::from(html)),
                    span: start.span.start..node.span.end,
                    role: Role::Plain,
                });
            }
            (_, Some(_)) => {}
            (_, None) => out.push(node),
        }
    }
    ir.nodes = out;
    Ok(questions)
}

enum Directive<'a> {
    Quiz,
    Calc(Vec<&'a str>),
}

fn directive(info: &str) -> Option<Directive<'_>> {
    let mut words = info.split_whitespace();
    match words.next()? {
        "quiz" => Some(Directive::Quiz),
        "calc" => Some(Directive::Calc(words.collect())),
        _ => None,
    }
}

fn error_at(file: &std::path::Path, line: usize, message: String) -> Error {
    Error::Directive {
        location: Location::at(file, Position { line, column: 1 }),
        message,
    }
}

fn quiz(
    code: &str,
    fence_line: usize,
    chapter: ChapterRef<'_>,
    ids: &mut HashSet<String>,
) -> Result<Vec<ChapterQuestion>, Error> {
    let parsed = coursebook_quiz::parse_quiz(code).map_err(|err| {
        error_at(
            chapter.file,
            fence_line + err.line,
            format!("invalid quiz: {}", err.message),
        )
    })?;
    parsed
        .into_iter()
        .map(|question| {
            let line = fence_line + question.line;
            if !ids.insert(question.id.clone()) {
                return Err(error_at(
                    chapter.file,
                    line,
                    format!("invalid quiz: duplicate question id `{}`", question.id),
                ));
            }
            let key = format!("{}#{}", chapter.output, question.id);
            let html = quiz_html::question(&key, &question, chapter)
                .map_err(|message| error_at(chapter.file, line, message))?;
            Ok(ChapterQuestion {
                key,
                question,
                html,
                line,
            })
        })
        .collect()
}

fn calc(
    words: &[&str],
    code: &str,
    fence_line: usize,
    chapter: ChapterRef<'_>,
) -> Result<String, Error> {
    let fail = |message: String| error_at(chapter.file, fence_line, message);
    let Some((kind, args)) = words.split_first() else {
        return Err(fail(
            "a calc block names its calculator: ```calc quorum, ```calc iptables or ```calc cidr"
                .into(),
        ));
    };
    if !code.trim().is_empty() {
        return Err(fail(
            "a calc block takes its arguments on the fence line (```calc quorum members=5) and \
             has an empty body"
                .into(),
        ));
    }
    let calculator = Calculator::parse(kind, args.iter().copied())
        .map_err(|err| fail(format!("invalid calc block: {err}")))?;
    calc_html::widget(&calculator).map_err(|err| fail(format!("invalid calc block: {err}")))
}

#[cfg(test)]
mod tests;
