//! The shell's view of a typed command line: words (quotes, escapes, `\` line continuations,
//! comments and `$ ` prompts removed), redirections, pipelines and the commands a list chains
//! with `;`, `&&`, `||`, `&` or a new line.

use super::CommandError;

/// One stage of a pipeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stage {
    /// Its words, unquoted.
    pub words: Vec<String>,
    /// Its redirections (`>out.txt`, `2>&1`), in order.
    pub redirects: Vec<String>,
}

/// A command line: pipelines of stages, and what joins each pipeline to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Script {
    /// The pipelines, each a list of stages.
    pub pipelines: Vec<Vec<Stage>>,
    /// `;`, `&&`, `||` or `&` after each pipeline but the last; `&` after the last one too
    /// when it runs in the background.
    pub joins: Vec<&'static str>,
}

enum Token {
    Word(String),
    Op(&'static str),
    Redirect(String),
}

/// Splits `text` the way bash reads it, enough to grade it (no expansions).
pub(crate) fn split(text: &str) -> Result<Script, CommandError> {
    let tokens = tokens(&without_prompts(text))?;
    let mut script = Script::default();
    let mut pipeline: Vec<Stage> = Vec::new();
    let mut stage = Stage::default();
    let mut redirect: Option<String> = None;
    let end_pipeline = |pipeline: &mut Vec<Stage>, stage: &mut Stage, script: &mut Script| {
        if !stage.words.is_empty() || !stage.redirects.is_empty() {
            pipeline.push(std::mem::take(stage));
        }
        if !pipeline.is_empty() {
            script.pipelines.push(std::mem::take(pipeline));
        }
    };
    for token in tokens {
        match token {
            Token::Word(word) => match redirect.take() {
                Some(op) => stage.redirects.push(op + &word),
                None => stage.words.push(word),
            },
            Token::Redirect(op) if op.ends_with(|c: char| c.is_ascii_digit() || c == '-') => {
                stage.redirects.push(op);
            }
            Token::Redirect(op) => redirect = Some(op),
            Token::Op("|") => pipeline.push(std::mem::take(&mut stage)),
            Token::Op(op) => {
                let had = script.pipelines.len();
                end_pipeline(&mut pipeline, &mut stage, &mut script);
                if script.pipelines.len() > had {
                    script.joins.push(op);
                }
            }
        }
    }
    if let Some(op) = redirect {
        stage.redirects.push(op);
    }
    end_pipeline(&mut pipeline, &mut stage, &mut script);
    // A `;` or new line after the last command joins nothing; a `&` sends it to the background.
    if script.joins.len() == script.pipelines.len() && script.joins.last() != Some(&"&") {
        script.joins.pop();
    }
    if script.pipelines.is_empty() {
        return Err(CommandError::Empty);
    }
    Ok(script)
}

/// The text without a `$ ` prompt at the start of a line (copied from a terminal).
fn without_prompts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        out.push_str(trimmed.strip_prefix("$ ").unwrap_or(trimmed));
    }
    out
}

fn tokens(text: &str) -> Result<Vec<Token>, CommandError> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars().peekable();
    let finish = |word: &mut Option<String>, out: &mut Vec<Token>| {
        if let Some(w) = word.take() {
            out.push(Token::Word(w));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' => finish(&mut word, &mut out),
            '\n' => {
                finish(&mut word, &mut out);
                out.push(Token::Op(";"));
            }
            '\\' => match chars.next() {
                // A line continuation, or one whose new line a text field turned into a space.
                Some('\n') => {}
                Some(' ' | '\t') if word.is_none() => {}
                Some(next) => word.get_or_insert_with(String::new).push(next),
                None => {}
            },
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(CommandError::Quotes),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('\n') => {}
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(CommandError::Quotes),
                        },
                        Some(c) => w.push(c),
                        None => return Err(CommandError::Quotes),
                    }
                }
            }
            '#' if word.is_none() => while chars.next_if(|c| *c != '\n').is_some() {},
            '|' | '&' | ';' => {
                finish(&mut word, &mut out);
                let op = match (c, chars.peek()) {
                    ('|', Some('|')) => "||",
                    ('&', Some('&')) => "&&",
                    ('&', Some('>')) => {
                        chars.next();
                        out.push(Token::Redirect(redirect_op('>', &mut chars, "&")));
                        continue;
                    }
                    ('|', _) => "|",
                    ('&', _) => "&",
                    _ => ";",
                };
                if op.len() == 2 {
                    chars.next();
                }
                out.push(Token::Op(op));
            }
            '<' | '>' => {
                let fd = match word.take() {
                    Some(w) if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()) => w,
                    Some(w) => {
                        out.push(Token::Word(w));
                        String::new()
                    }
                    None => String::new(),
                };
                out.push(Token::Redirect(redirect_op(c, &mut chars, &fd)));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    finish(&mut word, &mut out);
    Ok(out)
}

/// `>`, `>>`, `<`, `>&2`, `2>&1` (with `fd` before it): the operator, and a file descriptor it
/// duplicates.
fn redirect_op(c: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>, fd: &str) -> String {
    let mut op = format!("{fd}{c}");
    if let Some(next) = chars.next_if(|n| *n == c || *n == '&' || *n == '|') {
        op.push(next);
        if next == '&' {
            while let Some(d) = chars.next_if(|d| d.is_ascii_digit() || *d == '-') {
                op.push(d);
            }
        }
    }
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<Vec<String>>> {
        split(text)
            .map(|s| {
                s.pipelines
                    .into_iter()
                    .map(|p| p.into_iter().map(|st| st.words).collect())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn one(text: &str) -> Vec<String> {
        words(text).concat().concat()
    }

    #[test]
    fn quotes_escapes_and_comments() {
        assert_eq!(
            one(r#"kubectl get pods -l 'app=web' -o "jsonpath={.a}" my\ pod # list"#),
            [
                "kubectl",
                "get",
                "pods",
                "-l",
                "app=web",
                "-o",
                "jsonpath={.a}",
                "my pod"
            ]
        );
        assert_eq!(one(r#"echo "a \"b\" \$c \d""#), ["echo", r#"a "b" $c \d"#]);
        assert_eq!(one("echo ''"), ["echo", ""]);
        assert!(matches!(split("echo 'open"), Err(CommandError::Quotes)));
        assert!(matches!(split("  # nothing"), Err(CommandError::Empty)));
    }

    #[test]
    fn continuations_and_prompts() {
        let pasted = "$ sudo etcdctl --endpoints=https://127.0.0.1:2379 \\\n  --cacert=/ca.crt \\\n  snapshot save /tmp/x.db\n";
        assert_eq!(
            one(pasted),
            [
                "sudo",
                "etcdctl",
                "--endpoints=https://127.0.0.1:2379",
                "--cacert=/ca.crt",
                "snapshot",
                "save",
                "/tmp/x.db"
            ]
        );
        // What a single-line text field makes of the same paste.
        let flattened = "etcdctl --endpoints=https://127.0.0.1:2379 \\   --cacert=/ca.crt \\   snapshot save /tmp/x.db";
        assert_eq!(one(flattened).len(), 6);
        let script = split(pasted).unwrap_or_default();
        assert_eq!((script.pipelines.len(), script.joins.len()), (1, 0));
    }

    #[test]
    fn lists_pipelines_and_redirections() {
        let script = split("kubectl get pods; rm -rf / && echo x | tee out >> log 2>&1 &")
            .unwrap_or_default();
        assert_eq!(script.pipelines.len(), 3);
        assert_eq!(script.joins, [";", "&&", "&"]);
        assert_eq!(script.pipelines[2].len(), 2);
        assert_eq!(script.pipelines[2][1].redirects, [">>log", "2>&1"]);
        let trailing = split("kubectl get pods;").unwrap_or_default();
        assert_eq!((trailing.pipelines.len(), trailing.joins.len()), (1, 0));
        let both = split("kubectl get pods\nkubectl get svc\n").unwrap_or_default();
        assert_eq!((both.pipelines.len(), both.joins.clone()), (2, vec![";"]));
    }
}
