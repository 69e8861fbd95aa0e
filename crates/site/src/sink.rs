//! Where a build's files go: the staging directory of `build`, or the dev server's in-memory
//! site. Every stage that writes takes a `&dyn Sink`.

use std::io::{Seek, Write};
use std::path::Path;

use crate::error::Result;

/// A file being written piece by piece (the offline zip), which its writer may seek in.
pub trait WriteSeek: Write + Seek {}

impl<T: Write + Seek> WriteSeek for T {}

/// Where a build's files go. Paths are relative to the site root, with `/` separators.
pub trait Sink: Sync {
    /// Writes (or replaces) one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Writes one file through `fill`, without holding it whole in memory (a file on disk;
    /// the dev server's in-memory site has it in memory anyway).
    fn write_streamed(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<()>,
    ) -> Result<()>;
    /// Removes the file at `rel`, if there is one (the dev server, when a chapter is gone).
    fn remove(&self, rel: &str) -> Result<()>;
    /// Copies `from` (an asset of the book) to `rel`.
    fn copy(&self, rel: &str, from: &Path) -> Result<()>;
    /// The site path of every file written so far, sorted: what the offline copies of the
    /// site ([`crate::offline`]), written last, are made of.
    fn written(&self) -> Result<Vec<String>>;
    /// The bytes of the file written at `rel` (read one at a time, so that making the
    /// offline copies never holds the whole site in memory).
    fn read(&self, rel: &str) -> Result<Vec<u8>>;
}
