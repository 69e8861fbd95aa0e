//! The markup of a quiz: every question rendered complete (prompt, inputs, hidden explanation
//! and feedback, a no-JavaScript answer) plus its answer key as JSON for the page's grader.
//! The contract with `theme/quiz.js` is described in `theme/README.md`.

use coursebook_quiz::{ChoiceOption, Kind, Question};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{ChapterQuestion, ChapterRef};
use crate::markdown::{escape_attr, options};

/// The `<section>` of the `number`th (from 1) quiz block of the chapter titled `title`,
/// labelled with both so that its landmark is unique on the print page, which holds every
/// chapter.
pub fn quiz_section(questions: &[ChapterQuestion], title: &str, number: usize) -> String {
    let mut html = String::from("<section class=\"quiz\" aria-label=\"Quiz");
    if number > 1 {
        html.push(' ');
        html.push_str(&number.to_string());
    }
    html.push_str(": ");
    escape_attr(&mut html, title);
    html.push_str(
        "\">\n<p class=\"quiz-score\" aria-live=\"polite\"></p>\n<ol class=\"questions\">\n",
    );
    for question in questions {
        html.push_str(&question.html);
    }
    html.push_str("</ol>\n</section>\n");
    html
}

/// The `<li>` of one question stored under `key`.
pub fn question(key: &str, q: &Question, chapter: ChapterRef<'_>) -> Result<String, String> {
    let id = element_id(key);
    let mut html = String::with_capacity(2048);
    html.push_str("<li class=\"question\" id=\"");
    html.push_str(&id);
    html.push_str("\" data-key=\"");
    escape_attr(&mut html, key);
    html.push_str("\" data-kind=\"");
    html.push_str(q.kind.name());
    html.push_str("\" data-shuffle=\"");
    html.push_str(if q.shuffle { "true" } else { "false" });
    html.push_str("\" data-chapter-url=\"");
    escape_attr(&mut html, chapter.output);
    html.push_str("\" data-chapter-title=\"");
    escape_attr(&mut html, chapter.title);
    html.push_str(&format!(
        "\">\n<div class=\"question-prompt\" id=\"{id}-prompt\">"
    ));
    html.push_str(&markdown(&q.prompt));
    html.push_str("</div>\n");
    match &q.kind {
        Kind::Single(options) => choices(&mut html, &id, q, options, "radio"),
        Kind::Multiple(options) => choices(&mut html, &id, q, options, "checkbox"),
        Kind::Short { .. } => text_field(&mut html, &id, "Your answer", false),
        Kind::Numeric { unit, .. } => {
            let label = match unit {
                Some(unit) => format!("Your answer ({})", escaped(unit)),
                None => "Your answer".to_owned(),
            };
            text_field(&mut html, &id, &label, false);
        }
        Kind::Command(_) => text_field(&mut html, &id, "Your command", true),
        Kind::Order(steps) => order_steps(&mut html, &id, &q.id, steps),
        Kind::Flashcard(answer) => flashcard(&mut html, &id, answer),
    }
    if !q.is_flashcard() {
        html.push_str(
            "<div class=\"question-actions\"><button type=\"button\" class=\"check\">Check</button></div>\n\
             <div class=\"verdict\" role=\"status\" aria-live=\"polite\"></div>\n<div class=\"explanation\" hidden>",
        );
        html.push_str(&markdown(&q.explanation));
        html.push_str("</div>\n");
    }
    fallback(&mut html, q);
    let key_json = serde_json::to_string(&q.key()).map_err(|e| e.to_string())?;
    html.push_str("<script type=\"application/json\" class=\"answer-key\">");
    // `</` cannot end the script element early once escaped this way.
    html.push_str(&key_json.replace("</", "<\\/"));
    html.push_str("</script>\n</li>\n");
    Ok(html)
}

/// `days/etcd.html#quorum` -> `q-days-etcd-html-quorum`: unique on any page, even the Review
/// page that holds every question of the book.
pub fn element_id(key: &str) -> String {
    let mut id = String::from("q-");
    id.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' {
            c
        } else {
            '-'
        }
    }));
    id
}

/// The options, in a fixed scrambled order when the question is shuffled (so that without
/// JavaScript and in print the first option is not always the author's first), which the page
/// shuffles again; `data-index` keeps each option's own index for grading.
fn choices(html: &mut String, id: &str, q: &Question, options: &[ChoiceOption], input: &str) {
    let role = if input == "radio" {
        "radiogroup"
    } else {
        "group"
    };
    html.push_str(&format!(
        "<div class=\"options\" role=\"{role}\" aria-labelledby=\"{id}-prompt\">\n"
    ));
    let order: Vec<usize> = if q.shuffle {
        scrambled(&q.id, options.len())
    } else {
        (0..options.len()).collect()
    };
    for i in order {
        let option = &options[i];
        html.push_str(&format!(
            "<div class=\"option\" data-index=\"{i}\"><label><input type=\"{input}\" name=\"{id}-choice\" value=\"{i}\"> <span class=\"option-text\">"
        ));
        html.push_str(&inline_markdown(&option.text));
        html.push_str("</span></label>");
        if let Some(feedback) = &option.feedback {
            html.push_str("<div class=\"option-feedback\" hidden>");
            html.push_str(&markdown(feedback));
            html.push_str("</div>");
        }
        html.push_str("</div>\n");
    }
    html.push_str("</div>\n");
}

fn text_field(html: &mut String, id: &str, label: &str, command: bool) {
    html.push_str(&format!(
        "<div class=\"answer-field\"><label for=\"{id}-input\">{label}</label> "
    ));
    if command {
        html.push_str("<span class=\"command-prompt\" aria-hidden=\"true\">$</span>");
    }
    html.push_str(&format!(
        "<input type=\"text\" id=\"{id}-input\" class=\"answer-input\" autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"off\"></div>\n"
    ));
}

fn order_steps(html: &mut String, id: &str, question_id: &str, steps: &[String]) {
    html.push_str(&format!(
        "<ol class=\"order-steps\" aria-labelledby=\"{id}-prompt\">\n"
    ));
    for step in scrambled(question_id, steps.len()) {
        html.push_str(&format!(
            "<li class=\"order-step\" data-step=\"{step}\"><span class=\"step-text\">"
        ));
        html.push_str(&inline_markdown(&steps[step]));
        html.push_str(
            "</span> <button type=\"button\" class=\"step-up\" aria-label=\"Move up\">↑</button>\
             <button type=\"button\" class=\"step-down\" aria-label=\"Move down\">↓</button></li>\n",
        );
    }
    html.push_str("</ol>\n");
}

/// A fixed order that is never the answer: shuffled by a seed from the question's id, and
/// rotated by one if the shuffle happened to solve it.
fn scrambled(question_id: &str, len: usize) -> Vec<usize> {
    let seed = question_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut order: Vec<usize> = (0..len).collect();
    fastrand::Rng::with_seed(seed).shuffle(&mut order);
    if order.iter().enumerate().all(|(i, s)| i == *s) {
        order.rotate_left(1);
    }
    order
}

fn flashcard(html: &mut String, id: &str, answer: &str) {
    html.push_str(&format!(
        "<div class=\"answer-field\"><label for=\"{id}-input\">Your answer (optional)</label>\
         <textarea id=\"{id}-input\" class=\"flashcard-input\" rows=\"3\"></textarea></div>\n\
         <div class=\"question-actions\"><button type=\"button\" class=\"reveal\">Reveal the answer</button></div>\n\
         <div class=\"flashcard-answer\" hidden>"
    ));
    html.push_str(&markdown(answer));
    html.push_str(
        "</div>\n<div class=\"self-grade\" role=\"group\" aria-label=\"How well did you know it?\" hidden>\
         <button type=\"button\" data-rating=\"1\">Again</button><button type=\"button\" data-rating=\"2\">Hard</button>\
         <button type=\"button\" data-rating=\"3\">Good</button><button type=\"button\" data-rating=\"4\">Easy</button></div>\n\
         <div class=\"verdict\" role=\"status\" aria-live=\"polite\"></div>\n",
    );
}

/// The answer for readers without JavaScript (and for print), folded.
fn fallback(html: &mut String, q: &Question) {
    html.push_str("<details class=\"answer-fallback\"><summary>Show the answer</summary>");
    match &q.kind {
        Kind::Single(options) | Kind::Multiple(options) => {
            html.push_str("<ul>");
            for option in options.iter().filter(|o| o.correct) {
                html.push_str("<li>");
                html.push_str(&inline_markdown(&option.text));
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        Kind::Short { answers, .. } => {
            html.push_str("<p>");
            html.push_str(&escaped(&answers[0]));
            if answers.len() > 1 {
                html.push_str(" (also accepted: ");
                let others: Vec<String> = answers[1..].iter().map(|a| escaped(a)).collect();
                html.push_str(&others.join(", "));
                html.push(')');
            }
            html.push_str("</p>");
        }
        Kind::Numeric {
            answer,
            tolerance,
            unit,
        } => {
            html.push_str(&format!("<p>{answer}"));
            if let Some(unit) = unit {
                html.push(' ');
                html.push_str(&escaped(unit));
            }
            if *tolerance > 0.0 {
                html.push_str(&format!(" (± {tolerance})"));
            }
            html.push_str("</p>");
        }
        Kind::Order(steps) => {
            html.push_str("<ol>");
            for step in steps {
                html.push_str("<li>");
                html.push_str(&inline_markdown(step));
                html.push_str("</li>");
            }
            html.push_str("</ol>");
        }
        Kind::Command(answers) => {
            html.push_str("<pre><code>");
            html.push_str(&escaped(&answers[0]));
            html.push_str("</code></pre>");
        }
        Kind::Flashcard(answer) => html.push_str(&markdown(answer)),
    }
    html.push_str(&markdown(&q.explanation));
    html.push_str("</details>\n");
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_attr(&mut out, text);
    out
}

/// Markdown as block HTML.
fn markdown(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
    html
}

/// Markdown that sits inside a label or list item: a lone paragraph loses its `<p>`.
fn inline_markdown(text: &str) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(text, options()).collect();
    let lone_paragraph = matches!(events.first(), Some(Event::Start(Tag::Paragraph)))
        && matches!(events.last(), Some(Event::End(TagEnd::Paragraph)))
        && events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::Paragraph)))
            .count()
            == 1;
    let inner = if lone_paragraph {
        &events[1..events.len() - 1]
    } else {
        &events[..]
    };
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, inner.iter().cloned());
    html
}
