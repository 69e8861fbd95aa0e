//! Walks brush-parser's syntax tree and collects every simple command with its words and their
//! byte ranges in the code, descending into compound commands, `$(...)`, backquotes, process
//! substitutions, `watch '...'` and `sh -c '...'` (parsed again, up to a nesting limit).

use std::ops::Range;

use brush_parser::ast::{
    self, Command as AstCommand, CommandPrefixOrSuffixItem, CompoundCommand, CompoundList,
    IoFileRedirectTarget, IoRedirect, Pipeline,
};

use super::{parse_text, CharMap, Command, Prepared, Script, Word};

/// Substitutions nested deeper than this are not parsed again (a guard against pathological text).
const MAX_NESTING: usize = 4;

/// The commands of `program`, parsed from the prepared text; words' text is taken from `code`.
pub(super) fn collect(code: &str, prepared: &Prepared, program: &ast::Program) -> Script {
    let mut walker = Walker {
        code,
        prepared: &prepared.text,
        placeholders: &prepared.placeholders,
        script: Script::default(),
        pipelines: 0,
    };
    walker.program(program, 0, 0);
    walker.script
}

/// Collects the commands of a parsed program.
struct Walker<'a> {
    code: &'a str,
    prepared: &'a str,
    placeholders: &'a [Range<usize>],
    script: Script,
    pipelines: usize,
}

impl Walker<'_> {
    /// `program` was parsed from the prepared text starting at byte `base`.
    fn program(&mut self, program: &ast::Program, base: usize, depth: usize) {
        let map = CharMap::new(&self.prepared[base..]);
        let at = At {
            base,
            map: &map,
            depth,
        };
        for list in &program.complete_commands {
            self.list(list, &at);
        }
    }

    /// Parses `range` of the prepared text (the inside of `$(...)` or of a quoted script) and
    /// collects its commands; text that does not parse is left alone (bash parsed it already).
    fn nested(&mut self, range: Range<usize>, depth: usize) {
        if depth >= MAX_NESTING {
            return;
        }
        let Some(text) = self.prepared.get(range.clone()) else {
            return;
        };
        if let Ok(program) = parse_text(text) {
            let map = CharMap::new(text);
            let at = At {
                base: range.start,
                map: &map,
                depth: depth + 1,
            };
            for list in &program.complete_commands {
                self.list(list, &at);
            }
        }
    }

    fn list(&mut self, list: &CompoundList, at: &At<'_>) {
        for item in &list.0 {
            self.pipeline(&item.0.first, at);
            for next in &item.0.additional {
                match next {
                    ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p, at),
                }
            }
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline, at: &At<'_>) {
        let id = self.pipelines;
        self.pipelines += 1;
        for command in &pipeline.seq {
            self.command(command, id, at);
        }
    }

    fn command(&mut self, command: &AstCommand, pipeline: usize, at: &At<'_>) {
        match command {
            AstCommand::Simple(simple) => self.simple(simple, pipeline, at),
            AstCommand::Compound(compound, redirects) => {
                self.compound(compound, pipeline, at);
                for redirect in redirects.iter().flat_map(|r| &r.0) {
                    self.redirect(redirect, &mut Vec::new(), at);
                }
            }
            AstCommand::Function(function) => self.compound(&function.body.0, pipeline, at),
            AstCommand::ExtendedTest(..) => {}
        }
    }

    fn compound(&mut self, compound: &CompoundCommand, pipeline: usize, at: &At<'_>) {
        match compound {
            CompoundCommand::BraceGroup(group) => self.list(&group.list, at),
            CompoundCommand::Subshell(subshell) => self.list(&subshell.list, at),
            CompoundCommand::ForClause(clause) => {
                for word in clause.values.iter().flatten() {
                    self.other_word(word, at);
                }
                self.list(&clause.body.list, at);
            }
            CompoundCommand::ArithmeticForClause(clause) => self.list(&clause.body.list, at),
            CompoundCommand::CaseClause(clause) => {
                self.other_word(&clause.value, at);
                for case in &clause.cases {
                    if let Some(list) = &case.cmd {
                        self.list(list, at);
                    }
                }
            }
            CompoundCommand::IfClause(clause) => {
                self.list(&clause.condition, at);
                self.list(&clause.then, at);
                for branch in clause.elses.iter().flatten() {
                    if let Some(condition) = &branch.condition {
                        self.list(condition, at);
                    }
                    self.list(&branch.body, at);
                }
            }
            CompoundCommand::WhileClause(clause) | CompoundCommand::UntilClause(clause) => {
                self.list(&clause.0, at);
                self.list(&clause.1.list, at);
            }
            CompoundCommand::Coprocess(coprocess) => self.command(&coprocess.body, pipeline, at),
            CompoundCommand::Arithmetic(_) => {}
        }
    }

    fn simple(&mut self, simple: &ast::SimpleCommand, pipeline: usize, at: &At<'_>) {
        let mut words = Vec::new();
        let mut heredocs = Vec::new();
        let prefix = simple.prefix.iter().flat_map(|p| &p.0);
        let suffix = simple.suffix.iter().flat_map(|s| &s.0);
        for item in prefix.clone() {
            self.item(item, &mut words, &mut heredocs, at);
        }
        if let Some(name) = &simple.word_or_name {
            if let Some(word) = self.word(name, at) {
                words.push(word);
            }
        }
        for item in suffix {
            self.item(item, &mut words, &mut heredocs, at);
        }
        self.quoted_scripts(&words, at.depth);
        if !words.is_empty() {
            self.script.commands.push(Command {
                words,
                heredocs,
                pipeline,
            });
        }
    }

    fn item(
        &mut self,
        item: &CommandPrefixOrSuffixItem,
        words: &mut Vec<Word>,
        heredocs: &mut Vec<String>,
        at: &At<'_>,
    ) {
        match item {
            CommandPrefixOrSuffixItem::Word(word) => {
                if let Some(word) = self.word(word, at) {
                    words.push(word);
                }
            }
            CommandPrefixOrSuffixItem::AssignmentWord(_, word) => self.other_word(word, at),
            CommandPrefixOrSuffixItem::IoRedirect(redirect) => {
                self.redirect(redirect, heredocs, at)
            }
            CommandPrefixOrSuffixItem::ProcessSubstitution(_, subshell) => {
                self.list(&subshell.list, at);
            }
        }
    }

    fn redirect(&mut self, redirect: &IoRedirect, heredocs: &mut Vec<String>, at: &At<'_>) {
        match redirect {
            IoRedirect::File(_, _, target) => match target {
                IoFileRedirectTarget::Filename(word) | IoFileRedirectTarget::Duplicate(word) => {
                    self.other_word(word, at);
                }
                IoFileRedirectTarget::ProcessSubstitution(_, subshell) => {
                    self.list(&subshell.list, at);
                }
                IoFileRedirectTarget::Fd(_) => {}
            },
            IoRedirect::HereDocument(_, doc) => heredocs.push(doc.doc.value.clone()),
            IoRedirect::HereString(_, word) | IoRedirect::OutputAndError(word, _) => {
                self.other_word(word, at);
            }
        }
    }

    fn other_word(&mut self, word: &ast::Word, at: &At<'_>) {
        if let Some(word) = self.word(word, at) {
            self.script.other_words.push(word);
        }
    }

    /// The word with its range in the code; the commands of its substitutions are collected.
    fn word(&mut self, word: &ast::Word, at: &At<'_>) -> Option<Word> {
        let loc = word.loc.as_ref()?;
        let span = self.locate(
            &word.value,
            at.base + at.map.byte(loc.start.index),
            at.base + at.map.byte(loc.end.index),
        );
        let text = self.code.get(span.clone())?.to_owned();
        let start = span.start;
        for inner in substitutions(&text) {
            self.nested(start + inner.start..start + inner.end, at.depth);
        }
        // Placeholders are in order and never overlap: the first one ending after the word's
        // start is the only candidate.
        let first = self.placeholders.partition_point(|p| p.end <= span.start);
        let placeholder = self
            .placeholders
            .get(first)
            .is_some_and(|p| p.start < span.end);
        Some(Word {
            text,
            span,
            placeholder,
        })
    }

    /// The byte range of a word whose location brush-parser gives as `start..end`: its end is
    /// reliable, but its start can include blanks before the word (after a here-document
    /// operator, for one), so the raw text is matched against both ends first.
    fn locate(&self, value: &str, start: usize, end: usize) -> Range<usize> {
        let text = self.prepared;
        let from_end = end.checked_sub(value.len()).map(|s| s..end);
        let from_start = start..start + value.len();
        for range in from_end.into_iter().chain([from_start]) {
            if text.get(range.clone()) == Some(value) {
                return range;
            }
        }
        let slice = text.get(start..end).unwrap_or_default();
        let blanks = slice.len() - slice.trim_start().len();
        (start + blanks).min(end)..end
    }

    /// Commands given to another program as one quoted argument: `watch 'kubectl get pods'`,
    /// `sh -c "..."`.
    fn quoted_scripts(&mut self, words: &[Word], depth: usize) {
        for (i, word) in words.iter().enumerate() {
            let script = match word.value().as_str() {
                "watch" => words.last().filter(|_| i + 1 < words.len()),
                "sh" | "bash" if words.get(i + 1).is_some_and(|w| w.text == "-c") => {
                    words.get(i + 2)
                }
                _ => None,
            };
            if let Some(inner) = script.and_then(quoted_inside) {
                self.nested(inner, depth);
            }
        }
    }
}

/// Where a parsed text sits in the prepared text.
struct At<'a> {
    base: usize,
    map: &'a CharMap,
    depth: usize,
}

/// The inside of a word that is one quoted string (`'kubectl get pods'`).
fn quoted_inside(word: &Word) -> Option<Range<usize>> {
    let quote = word
        .text
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"'))?;
    let inner = word.text.get(1..word.text.len().checked_sub(1)?)?;
    (word.text.len() >= 2 && word.text.ends_with(quote) && !inner.contains(quote))
        .then(|| word.span.start + 1..word.span.end - 1)
}

/// The byte ranges, inside `text`, of every `$(...)` and backquoted command (not `$((...))`).
pub(super) fn substitutions(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut single_quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single_quoted => i += 1,
            b'\'' => single_quoted = !single_quoted,
            b'$' if !single_quoted
                && bytes.get(i + 1) == Some(&b'(')
                && bytes.get(i + 2) != Some(&b'(') =>
            {
                let end = closing_paren(bytes, i + 2);
                found.push(i + 2..end);
                i = end;
            }
            b'`' if !single_quoted => {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'`')
                    .map_or(bytes.len(), |p| i + 1 + p);
                found.push(i + 1..end);
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The offset of the `)` that closes a `(` just before `start` (or the end of the text).
fn closing_paren(bytes: &[u8], start: usize) -> usize {
    let mut depth = 1usize;
    let mut quote: Option<u8> = None;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(b'"'), b'\\') | (None, b'\\') => i += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str) -> Vec<(usize, usize)> {
        substitutions(text)
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect()
    }

    #[test]
    fn substitution_ranges() {
        assert_eq!(ranges("a$(b $(c))d"), [(3, 9)]);
        assert_eq!(ranges("'$(x)' `y` $((1+2))"), [(8, 9)]);
        assert_eq!(ranges("$(unclosed"), [(2, 10)]);
    }
}
