//! Quizzes that grade or show answers in a way that misleads: a short answer compared without
//! case although it looks like a path, key or field name, and a single-choice question shown in
//! a fixed order with its correct option first.
//!
//! The questions are the ones the build validated (the chapter IR's quizzes); the grader's own
//! [`coursebook_quiz::looks_exact`] decides what looks like a path or key.

use coursebook_quiz::{Kind, Question};

use crate::context::ChapterCx;
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};

/// `quiz-case-insensitive-key`.
pub(crate) const CASE_INSENSITIVE_KEY: Rule = Rule {
    id: "quiz-case-insensitive-key",
    family: "quizzes",
    severity: Severity::Warning,
    summary: "a short answer compared without case (`case_sensitive = false`) that looks like a \
              path, key or field name",
};

/// `quiz-answer-first`.
pub(crate) const ANSWER_FIRST: Rule = Rule {
    id: "quiz-answer-first",
    family: "quizzes",
    severity: Severity::Warning,
    summary: "a single-choice question shown in a fixed order (`shuffle = false`) with its \
              correct option first",
};

/// This family's rules.
pub(crate) const RULES: &[Rule] = &[CASE_INSENSITIVE_KEY, ANSWER_FIRST];

/// Runs this family's rules over one chapter's questions.
pub(crate) fn check(cx: &ChapterCx<'_>, out: &mut Vec<Diagnostic>) {
    for question in &cx.rendered.quizzes {
        let line = question.line;
        let width = cx.line_text(line).map_or(1, |text| text.chars().count());
        if let Some((message, help)) = case_insensitive_key(&question.question) {
            out.push(
                cx.diagnostic(&CASE_INSENSITIVE_KEY, line, 1, width, message)
                    .with_help(help),
            );
        }
        if let Some((message, help)) = answer_first(&question.question) {
            out.push(
                cx.diagnostic(&ANSWER_FIRST, line, 1, width, message)
                    .with_help(help),
            );
        }
    }
}

fn case_insensitive_key(question: &Question) -> Option<(String, String)> {
    let Kind::Short {
        answers,
        case_sensitive: Some(false),
    } = &question.kind
    else {
        return None;
    };
    let answer = answers.iter().find(|a| coursebook_quiz::looks_exact(a))?;
    Some((
        format!(
            "question `{}` accepts `{answer}` in any case, but it looks like a path, key or \
             field name, where case matters",
            question.id
        ),
        "remove `case_sensitive = false`: the grader then keeps the case of paths, keys and \
         field names, and ignores it for words"
            .to_owned(),
    ))
}

fn answer_first(question: &Question) -> Option<(String, String)> {
    let Kind::Single(options) = &question.kind else {
        return None;
    };
    if question.shuffle || !options.first().is_some_and(|o| o.correct) {
        return None;
    }
    Some((
        format!(
            "question `{}` always shows its correct option first",
            question.id
        ),
        "remove `shuffle = false` (options are shuffled by default), or move the correct option"
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_markdown, rules_in};

    fn quiz(body: &str) -> String {
        format!("# T\n\n```quiz\n{body}```\n")
    }

    const SHORT: &str = "[[question]]\nid = \"pki\"\nkind = \"short\"\nprompt = \"Where?\"\n\
        answers = [\"/etc/kubernetes/pki\"]\nexplanation = \"E\"\n";

    const SINGLE: &str = "[[question]]\nid = \"pick\"\nkind = \"single\"\nprompt = \"Which?\"\n\
        explanation = \"E\"\noption = [{ text = \"right\", correct = true }, { text = \"wrong\" }]\n";

    #[test]
    fn a_case_insensitive_path_is_a_warning() {
        assert!(rules_in(&quiz(SHORT)).is_empty());
        let loose = SHORT.replace("explanation", "case_sensitive = false\nexplanation");
        let found = check_markdown(&quiz(&loose));
        assert_eq!(
            found.iter().map(|d| (d.rule, d.line)).collect::<Vec<_>>(),
            [("quiz-case-insensitive-key", 4)]
        );
        assert!(found[0].message.contains("`/etc/kubernetes/pki`"));
        let words = loose.replace("/etc/kubernetes/pki", "kube-scheduler");
        assert!(rules_in(&quiz(&words)).is_empty(), "words ignore case");
    }

    #[test]
    fn a_fixed_order_with_the_answer_first_is_a_warning() {
        assert!(rules_in(&quiz(SINGLE)).is_empty(), "shuffled by default");
        let fixed = SINGLE.replace("explanation", "shuffle = false\nexplanation");
        assert_eq!(rules_in(&quiz(&fixed)), ["quiz-answer-first"]);
        let last = fixed.replace(
            "[{ text = \"right\", correct = true }, { text = \"wrong\" }]",
            "[{ text = \"wrong\" }, { text = \"right\", correct = true }]",
        );
        assert!(rules_in(&quiz(&last)).is_empty());
    }
}
