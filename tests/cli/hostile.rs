//! Hostile input to `build`, `check`, `init` and `clean`: pipes, devices and links out of the
//! book, self-including templates, absurd titles, interrupted builds. Each run ends (no hang:
//! see `support::run_in`), exits non-zero where it must, names the file and line, and leaves no
//! scratch folder and no half-written site behind.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{run_in, tree, BookTest};

/// Asserts the book root holds no `.coursebook-staging-*` or `.coursebook-old-*` folder.
fn assert_no_scratch(t: &BookTest) {
    let scratch: Vec<String> = std::fs::read_dir(t.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.starts_with(".coursebook-staging") || name.starts_with(".coursebook-old")
        })
        .collect();
    assert!(scratch.is_empty(), "left behind: {scratch:?}");
}

/// Builds, applies `edit`, and expects `build` to fail naming `needles`, with the previous
/// site unchanged and no scratch folder left.
fn assert_refused(t: &BookTest, edit: impl FnOnce(&BookTest), needles: &[&str]) {
    t.build();
    let before = tree(&t.site());
    edit(t);
    t.run(&["build"]).failure(needles);
    assert!(tree(&t.site()) == before, "the previous site changed");
    assert_no_scratch(t);
}

#[cfg(unix)]
fn symlink(target: impl AsRef<std::path::Path>, link: impl AsRef<std::path::Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn fifos_in_content_are_refused_by_build_and_check_without_hanging() {
    for name in [
        "content/01-days/03-pipe.md",
        "content/02-extra/img/pipe.png",
    ] {
        let t = BookTest::new("basic");
        assert_refused(&t, |t| mkfifo(&t.path(name)), &["pipe", "FIFO"]);
        t.run(&["check"]).failure(&["FIFO"]);
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_book_are_refused_as_assets_chapters_and_folders() {
    let outside = tempfile::tempdir().expect("tmp");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "root:x:0:0").expect("w");
    std::fs::create_dir(outside.path().join("dir")).expect("mkdir");
    for (name, target) in [
        ("content/passwd.txt", secret.clone()),
        ("content/01-days/09-secret.md", secret.clone()),
        ("content/zero.bin", "/dev/zero".into()),
        ("content/elsewhere", outside.path().join("dir")),
    ] {
        let t = BookTest::new("basic");
        assert_refused(
            &t,
            |t| symlink(&target, t.path(name)),
            &[name.rsplit('/').next().unwrap_or(name), "outside"],
        );
        let site = tree(&t.site());
        assert!(site
            .iter()
            .all(|(_, bytes)| !bytes.windows(10).any(|w| w == b"root:x:0:0")));
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_book_still_work() {
    let t = BookTest::new("basic");
    symlink("01-notes.md", t.path("content/02-extra/02-alias.md"));
    t.build();
    assert!(t.read_site("extra/alias.html").contains("<h"));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let t = BookTest::new("basic");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    assert_refused(
        &t,
        |t| std::fs::write(t.path("content/01-days").join(name), "x").expect("w"),
        &["not valid UTF-8", "rename"],
    );
}

#[test]
fn templates_including_themselves_or_each_other_are_refused_at_their_line() {
    for (files, needle) in [
        (
            vec![("theme/page.html", "<p>\n{% include \"page.html\" %}")],
            "theme/page.html:2:1",
        ),
        (
            vec![
                ("theme/page.html", "{% include \"a.html\" %}"),
                ("theme/a.html", "{% include \"b.html\" %}"),
                ("theme/b.html", "x\n\n{%- include 'a.html' -%}"),
            ],
            "theme/b.html:3:1",
        ),
    ] {
        let t = BookTest::new("basic");
        let run = {
            t.build();
            for (path, text) in &files {
                t.write(path, text);
            }
            t.run(&["build"])
        };
        assert_ne!(run.output.status.code(), Some(134), "stack overflow");
        run.failure(&[needle, "include each other"]);
        assert_no_scratch(&t);
    }
}

#[test]
fn a_missing_variable_in_a_template_names_its_line() {
    let t = BookTest::new("basic");
    t.write(
        "theme/page.html",
        "<html>\n<body>\n{{ page.title }}\n  {{ page.no_such_field }}\n</body></html>\n",
    );
    t.run(&["build"])
        .failure(&["theme/page.html:4:6", "no_such_field"]);
}

#[test]
fn titles_that_cannot_head_a_page_are_config_errors() {
    for (title, needle) in [
        ("x".repeat(300), "300 characters"),
        ("y".repeat(1_000_000), "1000000 characters"),
        ("   ".to_owned(), "title is empty"),
    ] {
        let t = BookTest::new("basic");
        t.write("book.toml", format!("[book]\ntitle = \"{title}\"\n"));
        let run = t.run(&["build"]).failure(&["book.toml:2:1", needle]);
        assert!(run.stderr().len() < 2_000, "the error repeats the title");
        assert!(!t.site().exists());
        assert_no_scratch(&t);
    }
}

#[test]
fn inconsistent_config_fails_every_command_alike() {
    let t = BookTest::new("basic");
    t.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[check.rules]\nno-such-rule = \"off\"\n",
    );
    t.run(&["build"])
        .failure(&["book.toml:4:1", "no-such-rule"]);
    t.run(&["check"])
        .failure(&["book.toml:4:1", "no-such-rule"]);
    t.write("book.toml", "");
    t.run(&["build"]).failure(&["[book]"]);
    t.write("book.toml", "[book]\n");
    t.run(&["build"]).failure(&["title"]);
    assert!(!t.site().exists());
    t.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[build]\ntheme-dir = \"skin\"\n",
    );
    let warned = t.build().stderr();
    assert!(
        warned.contains("book.toml:4:1") && warned.contains("skin"),
        "{warned}"
    );
}

#[test]
fn broken_chapters_are_refused_at_their_line() {
    for (text, needles) in [
        (
            "+++\ntitle = \"\"\n+++\nBody\n",
            vec!["02-second.md:2:1", "empty"],
        ),
        (
            "# A\n\n## One {#x}\n\n## Two {#x}\n",
            vec!["02-second.md:5:1", "line 3"],
        ),
        (
            "# A\n\n## Find {#search}\n",
            vec!["02-second.md:3:1", "layout"],
        ),
        ("# A\n\nbefore\0after\n", vec!["02-second.md:3:7", "NUL"]),
    ] {
        let t = BookTest::new("basic");
        assert_refused(
            &t,
            |t| t.write("content/01-days/02-second.md", text),
            &needles,
        );
    }
}

#[test]
fn yaml_front_matter_is_pointed_out_without_colour_codes() {
    let t = BookTest::new("basic");
    t.write(
        "content/01-days/03-third.md",
        "---\ntitle: Day 3\nday: 3\n---\n\nBody\n",
    );
    let run = t.build();
    let stderr = run.stderr();
    assert!(
        stderr.contains("03-third.md:1:1") && stderr.contains("+++"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes in piped output: {stderr:?}"
    );
}

#[test]
fn heading_attributes_never_become_event_handlers() {
    let t = BookTest::new("basic");
    t.write(
        "content/01-days/03-third.md",
        "# A\n\n## Title {#x onmouseover=alert(1) onclick=\"y()\"}\n",
    );
    t.build();
    let page = t.read_site("days/third.html");
    assert!(
        page.contains("id=\"x\"") && !page.contains("onmouseover") && !page.contains("onclick")
    );
}

#[test]
fn init_refuses_bad_titles_and_taken_paths_before_writing_anything() {
    for title in ["a\nb", "a\u{1}b", "a\rb", ""] {
        let tmp = tempfile::tempdir().expect("tmp");
        run_in(tmp.path(), &["init", "course", "--title", title]).failure(&["title"]);
        assert!(!tmp.path().join("course/book.toml").exists(), "{title:?}");
    }
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(tmp.path().join("course/content")).expect("mkdir");
    std::fs::write(tmp.path().join("course/content/_index.md"), "mine").expect("w");
    run_in(tmp.path(), &["init", "course"]).failure(&["content/_index.md"]);
    assert!(!tmp.path().join("course/book.toml").exists());
    assert!(!tmp.path().join("course/content/days").exists());
    let mine = std::fs::read_to_string(tmp.path().join("course/content/_index.md"));
    assert_eq!(mine.expect("kept"), "mine");
}

#[test]
fn a_new_book_ignores_the_build_scratch_folders() {
    let tmp = tempfile::tempdir().expect("tmp");
    run_in(
        tmp.path(),
        &["init", "course", "--title", "A \"quoted\" \\ title"],
    )
    .success();
    let ignore = std::fs::read_to_string(tmp.path().join("course/.gitignore")).expect("ignore");
    assert!(ignore.contains("/.coursebook-*"), "{ignore}");
    run_in(&tmp.path().join("course"), &["build"]).success();
}

#[test]
fn stale_scratch_folders_of_dead_builds_are_removed_by_the_next_build() {
    let t = BookTest::new("basic");
    // Linux pids stop at 2^22: no live process owns these.
    for name in [
        ".coursebook-staging-4194305-abc",
        ".coursebook-old-4194306-def",
    ] {
        std::fs::create_dir_all(t.path(name).join("days")).expect("mkdir");
        std::fs::write(t.path(name).join("days/x.html"), "x").expect("w");
    }
    t.build();
    if std::path::Path::new("/proc/self").exists() {
        assert_no_scratch(&t);
    }
}

#[test]
fn a_git_folder_in_the_destination_survives_build_and_clean() {
    let t = BookTest::new("basic");
    std::fs::create_dir_all(t.site().join(".git")).expect("mkdir");
    std::fs::write(t.site().join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("w");
    t.build();
    t.build();
    assert!(t.site().join(".git/HEAD").is_file());
    assert!(t.site().join("index.html").is_file());
    t.run(&["clean"]).success();
    assert!(t.site().join(".git/HEAD").is_file());
    assert!(!t.site().join("index.html").exists());
    t.build();
    assert!(t.site().join("index.html").is_file());
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_unfinished_site_and_keeps_the_old_one() {
    let t = BookTest::new("basic");
    t.build();
    let before = tree(&t.site());
    for i in 0..3_000 {
        t.write(
            &format!("content/03-many/{i:04}-c{i}.md"),
            format!(
                "# C{i}\n\n```bash\nkubectl get pods -n ns{i}\n```\n\n{}\n",
                "Words. ".repeat(200)
            ),
        );
    }
    for signal in ["-INT", "-TERM"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coursebook"))
            .arg("build")
            .current_dir(t.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("build");
        let deadline = Instant::now() + Duration::from_secs(60);
        let staging_seen = loop {
            let seen = std::fs::read_dir(t.root()).expect("ls").any(|e| {
                e.expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".coursebook-staging")
            });
            if seen || Instant::now() > deadline || child.try_wait().expect("wait").is_some() {
                break seen;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(
            staging_seen,
            "the build finished before it could be interrupted"
        );
        std::thread::sleep(Duration::from_millis(50));
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        assert!(sent.expect("kill").success());
        let status = child.wait().expect("wait");
        assert!(!status.success(), "{signal}: {status}");
        assert_no_scratch(&t);
        assert!(
            tree(&t.site()) == before,
            "{signal}: the previous site changed"
        );
    }
}

#[cfg(unix)]
#[test]
fn theme_files_that_are_pipes_or_lead_out_of_the_theme_are_refused() {
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("evil.css"), "body{}").expect("w");
    let t = BookTest::new("theme-override");
    symlink(outside.path().join("evil.css"), t.path("theme/extra.css"));
    t.run(&["build"]).failure(&["extra.css", "outside"]);
    std::fs::remove_file(t.path("theme/extra.css")).expect("rm");
    mkfifo(&t.path("theme/pipe.css"));
    t.run(&["build"]).failure(&["pipe.css", "FIFO"]);
    std::fs::remove_file(t.path("theme/pipe.css")).expect("rm");
    std::fs::create_dir_all(t.path("theme/.git")).expect("mkdir");
    mkfifo(&t.path("theme/.git/fifo"));
    t.build();
}

#[test]
fn a_book_nested_a_thousand_folders_deep_builds_in_seconds() {
    let t = BookTest::new("basic");
    let mut dir = t.path("content/03-deep");
    for _ in 0..1_200 {
        dir.push("d");
    }
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("x.md"), "# Deep\n\nDown here.\n").expect("w");
    let started = Instant::now();
    t.build();
    // Discovery walked each folder from the root again (a readlink per component): minutes.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let page = t
        .site()
        .join("deep")
        .join("d/".repeat(1_200))
        .join("x.html");
    assert!(std::fs::read_to_string(page)
        .expect("page")
        .contains("Down here."));
}

#[cfg(unix)]
#[test]
fn a_link_that_loops_back_to_its_folder_is_refused() {
    let t = BookTest::new("basic");
    symlink("..", t.path("content/02-extra/img/up"));
    t.run(&["build"]).failure(&["up", "loop"]);
    assert_no_scratch(&t);
}

#[test]
fn a_script_link_hidden_by_tabs_is_seen_as_browsers_see_it() {
    let t = BookTest::new("basic");
    t.write(
        "content/01-days/03-third.md",
        "# A\n\n[x](<java\tscript:alert(1)>) and [y](<\tjavascript:alert(2)>)\n",
    );
    t.build();
    let page = t.read_site("days/third.html");
    assert!(!page.contains("java\tscript"), "{page}");
    assert!(page.contains("href=\"javascript:alert(1)\""), "{page}");
    let run = t.run(&["check"]);
    assert!(
        run.stdout().matches("link-javascript").count() >= 2,
        "{}",
        run.stdout()
    );
}

#[cfg(unix)]
#[test]
fn a_book_toml_that_is_a_pipe_is_refused_without_hanging() {
    let t = BookTest::new("basic");
    std::fs::remove_file(t.path("book.toml")).expect("rm");
    mkfifo(&t.path("book.toml"));
    t.run(&["build"])
        .failure(&["book.toml", "not a regular file"]);
    t.run(&["check"])
        .failure(&["book.toml", "not a regular file"]);
}
