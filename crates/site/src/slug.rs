//! Heading slugs: the one function that turns heading text into an anchor id, shared by the
//! renderer and the link checker so that both agree.

use std::collections::HashMap;

/// GitHub's heading slug: lowercase; letters, digits, `-` and `_` kept; spaces become `-`;
/// everything else dropped. `"Exercise 2.3: Backup"` -> `"exercise-23-backup"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.extend(c.to_lowercase());
        } else if c == ' ' {
            slug.push('-');
        }
    }
    slug
}

/// Hands out unique ids within one page: the second "Summary" becomes `summary-1`.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: HashMap<String, usize>,
}

impl UniqueIds {
    /// A fresh set for one page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `id` was handed out already.
    pub fn is_taken(&self, id: &str) -> bool {
        self.seen.contains_key(id)
    }

    /// Reserves `base` (or `section` when it is empty) and returns it, suffixed when taken.
    pub fn claim(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut candidate = base.to_owned();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        assert_eq!(slugify("Exercise 2.3: Backup"), "exercise-23-backup");
        assert_eq!(
            slugify("Day 4: CNI & Service Networking"),
            "day-4-cni--service-networking"
        );
        assert_eq!(slugify("  Über `kubectl` "), "über-kubectl");
        assert_eq!(slugify("snake_case-ok"), "snake_case-ok");
    }

    #[test]
    fn repeated_headings_get_suffixes() {
        let mut ids = UniqueIds::new();
        assert_eq!(ids.claim("summary"), "summary");
        assert_eq!(ids.claim("summary"), "summary-1");
        assert_eq!(ids.claim("summary"), "summary-2");
        assert_eq!(ids.claim("summary-1"), "summary-1-1");
        assert_eq!(ids.claim(""), "section");
    }
}
