//! The Review and Progress pages: views over every chapter's quiz questions, written when the
//! book has any. The page script fills them from the learner's stored progress.

use serde::Serialize;

use crate::error::Result;
use crate::render::Renderer;
use crate::sink::Sink;
use crate::Site;

/// What `review.html` shows: every question of the book, in reading order.
#[derive(Debug, Serialize)]
pub struct ReviewData<'a> {
    /// Each question's `<li>` markup.
    pub questions: Vec<&'a str>,
    /// How many there are.
    pub total: usize,
}

/// One row of `progress.html`: a chapter with questions.
#[derive(Debug, Serialize)]
pub struct ProgressRow<'a> {
    /// The chapter's title.
    pub title: &'a str,
    /// Its output path.
    pub path: &'a str,
    /// Its graded questions (flashcards excluded).
    pub questions: usize,
    /// Its flashcards.
    pub flashcards: usize,
    /// The graded questions' keys as a JSON array, for the page script.
    pub keys_json: String,
}

/// Writes `review.html` and `progress.html`.
pub fn write_study_pages(site: &Site, renderer: &Renderer<'_>, staging: &dyn Sink) -> Result<()> {
    let questions: Vec<&str> = site
        .rendered
        .iter()
        .flat_map(|r| r.quizzes.iter().map(|q| q.html.as_str()))
        .collect();
    let review = ReviewData {
        total: questions.len(),
        questions,
    };
    let html = renderer.root_page("review.html", "Review", &review)?;
    staging.write("review.html", html.as_bytes())?;
    let html = renderer.root_page("progress.html", "Progress", &progress_rows(site))?;
    staging.write("progress.html", html.as_bytes())
}

fn progress_rows(site: &Site) -> Vec<ProgressRow<'_>> {
    site.book
        .chapters
        .iter()
        .zip(&site.rendered)
        .filter(|(_, rendered)| !rendered.quizzes.is_empty())
        .map(|(chapter, rendered)| {
            let (cards, graded): (Vec<_>, Vec<_>) = rendered
                .quizzes
                .iter()
                .partition(|q| q.question.is_flashcard());
            let keys: Vec<&str> = graded.iter().map(|q| q.key.as_str()).collect();
            ProgressRow {
                title: &chapter.title,
                path: &chapter.output,
                questions: graded.len(),
                flashcards: cards.len(),
                keys_json: serde_json::to_string(&keys).unwrap_or_default(),
            }
        })
        .collect()
}
