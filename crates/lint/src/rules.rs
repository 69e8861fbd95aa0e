//! The registry of rules: every family's rules, found by id. (A rule's identity, [`Rule`], is
//! a diagnostic type: families name their rules without depending on this registry.)

pub use crate::diagnostic::Rule;

/// Every rule of every family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        crate::links::RULES,
        crate::external::RULES,
        crate::shell::RULES,
        crate::kubectl::RULES,
        crate::manifest::RULES,
        crate::practice::RULES,
        crate::versions::RULES,
        crate::quiz::RULES,
        crate::text::RULES,
    ]
    .into_iter()
    .flatten()
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_summarised() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                rule.id
            );
            assert!(!rule.summary.is_empty(), "{}", rule.id);
        }
    }
}
