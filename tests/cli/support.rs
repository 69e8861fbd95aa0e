//! `BookTest`: a fixture book copied into a temporary directory, and the binary run over it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root (the shipped course lives there).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch copy of one fixture book.
pub struct BookTest {
    tmp: tempfile::TempDir,
}

impl BookTest {
    /// Copies `tests/fixtures/<name>` into a fresh temporary directory.
    pub fn new(name: &str) -> BookTest {
        let tmp = tempfile::tempdir().expect("temporary directory");
        copy_dir(
            &repo_root().join("tests/fixtures").join(name),
            &tmp.path().join("book"),
        );
        BookTest { tmp }
    }

    /// The book root (holds book.toml).
    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("book")
    }

    /// A path inside the book root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output directory.
    pub fn site(&self) -> PathBuf {
        self.path("book")
    }

    /// Writes (or replaces) a file of the book.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }

    /// Reads a file of the built site as text.
    pub fn read_site(&self, rel: &str) -> String {
        let path = self.site().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Runs `coursebook <args>` in the book root.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root(), args)
    }

    /// `coursebook build`, expected to succeed.
    pub fn build(&self) -> Run {
        self.run(&["build"]).success()
    }

    /// The scratch directory around the book (for destinations outside it).
    pub fn scratch(&self) -> &Path {
        self.tmp.path()
    }
}

/// How long one run may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(120);

/// Runs the binary in `dir`; a run that does not end within [`HANG`] is killed and fails the
/// test (a hang is a bug, not a slow test).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursebook"))
        .args(args)
        .current_dir(dir)
        .env_remove("COURSEBOOK_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run coursebook");
    let stdout = drain(child.stdout.take().expect("stdout"));
    let stderr = drain(child.stderr.take().expect("stderr"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().ok();
            child.wait().ok();
            panic!("coursebook {args:?} hung for {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    Run { output }
}

fn drain(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        from.read_to_end(&mut bytes).ok();
        bytes
    })
}

/// The outcome of one run.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts exit code 0.
    pub fn success(self) -> Self {
        assert!(
            self.output.status.success(),
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts a non-zero exit and that stderr contains every one of `needles`.
    pub fn failure(self, needles: &[&str]) -> Self {
        assert!(
            !self.output.status.success(),
            "expected failure\nstdout: {}",
            self.stdout()
        );
        let stderr = self.stderr();
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "stderr lacks {needle:?}:\n{stderr}"
            );
        }
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file under `dir`, as sorted relative paths with their bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            files.push((rel, std::fs::read(&path).expect("read")));
        }
    }
}
