//! What the build may read from a book: regular files and folders that stay inside their root
//! once links are followed. A FIFO would block a read forever, a device (`/dev/zero`) would fill
//! memory, and a link out of the book would publish a file the author never meant to (`/etc/passwd`).

use std::fs::FileType;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What an entry of the book is, once it is known to be safe to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readable {
    /// A regular file.
    File,
    /// A folder.
    Dir,
}

/// Checks `path`, found under `root`: a regular file or a folder, and when it is a symbolic link,
/// one whose target lies inside `root`.
pub fn check(root: &Path, path: &Path) -> Result<Readable> {
    let own = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, "cannot read", e))?;
    if own.file_type().is_symlink() {
        let target = std::fs::canonicalize(path)
            .map_err(|e| Error::io(path, "cannot read the target of this symbolic link", e))?;
        let root = std::fs::canonicalize(root).map_err(|e| Error::io(root, "cannot read", e))?;
        if !target.starts_with(&root) {
            return Err(Error::OutsideBook {
                path: path.to_path_buf(),
                target,
                root,
            });
        }
        let parent = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
        if parent.is_some_and(|parent| parent.starts_with(&target)) {
            return Err(Error::io(
                path,
                "cannot read",
                std::io::Error::other("a symbolic link to a folder that holds it (a loop)"),
            ));
        }
    }
    let followed = std::fs::metadata(path).map_err(|e| Error::io(path, "cannot read", e))?;
    kind(path, followed.file_type())
}

fn kind(path: &Path, file_type: FileType) -> Result<Readable> {
    if file_type.is_file() {
        Ok(Readable::File)
    } else if file_type.is_dir() {
        Ok(Readable::Dir)
    } else {
        Err(Error::NotAFile {
            path: path.to_path_buf(),
            kind: describe(file_type),
        })
    }
}

#[cfg(unix)]
fn describe(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn describe(_: FileType) -> &'static str {
    "not a regular file"
}

/// The UTF-8 name of `path`'s last component; the build's paths and URLs are text.
pub fn utf8_name(path: &Path) -> Result<String> {
    match path.file_name().map(|n| n.to_str()) {
        Some(Some(name)) => Ok(name.to_owned()),
        _ => Err(Error::NameNotUtf8 {
            path: PathBuf::from(path),
        }),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn regular_files_and_folders_inside_the_root_are_read() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.md"), "x").expect("w");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::os::unix::fs::symlink("a.md", dir.path().join("b.md")).expect("link");
        assert_eq!(
            check(dir.path(), &dir.path().join("a.md")).ok(),
            Some(Readable::File)
        );
        assert_eq!(
            check(dir.path(), &dir.path().join("b.md")).ok(),
            Some(Readable::File)
        );
        assert_eq!(
            check(dir.path(), &dir.path().join("sub")).ok(),
            Some(Readable::Dir)
        );
    }

    #[test]
    fn links_out_of_the_root_are_refused() {
        let outside = tempfile::tempdir().expect("tmp");
        std::fs::write(outside.path().join("secret"), "x").expect("w");
        let dir = tempfile::tempdir().expect("tmp");
        for (name, target) in [("f.txt", "secret"), ("d", "")] {
            let link = dir.path().join(name);
            std::os::unix::fs::symlink(outside.path().join(target), &link).expect("link");
            let err = check(dir.path(), &link).expect_err(name).to_string();
            assert!(err.contains("outside"), "{err}");
        }
    }

    #[test]
    fn a_link_to_a_folder_that_holds_it_is_a_loop() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        for (link, target) in [("sub/up", ".."), ("sub/me", "."), ("top", ".")] {
            std::os::unix::fs::symlink(target, dir.path().join(link)).expect("link");
            let err = check(dir.path(), &dir.path().join(link))
                .expect_err(link)
                .to_string();
            assert!(err.contains("loop"), "{err}");
        }
    }

    #[test]
    fn pipes_and_devices_are_refused_without_opening_them() {
        let dir = tempfile::tempdir().expect("tmp");
        let fifo = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = check(dir.path(), &fifo).expect_err("fifo").to_string();
            assert!(err.contains("FIFO"), "{err}");
        }
        let err = check(Path::new("/dev"), Path::new("/dev/zero")).expect_err("device");
        assert!(err.to_string().contains("device"), "{err}");
    }

    #[test]
    fn names_must_be_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        let err = utf8_name(&Path::new("/c").join(name)).expect_err("latin-1");
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
