//! `init`, `clean`, `--help` and `--version`.

use crate::support::{run_in, BookTest};

#[test]
fn init_creates_a_course_that_builds_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().expect("tmp");
    run_in(
        tmp.path(),
        &["init", "course", "--title", "My \"K8s\" course"],
    )
    .success();
    let course = tmp.path().join("course");
    run_in(&course, &["build"]).success();
    let home = std::fs::read_to_string(course.join("book/index.html")).expect("home");
    assert!(home.contains("My &quot;K8s&quot; course"));
    assert!(course.join("book/days/first-day.html").is_file());
    run_in(tmp.path(), &["init", "course"]).failure(&["already holds book.toml"]);
}

#[test]
fn clean_deletes_only_a_site_coursebook_wrote() {
    let t = BookTest::new("basic");
    t.build();
    t.run(&["clean"]).success();
    assert!(!t.site().exists());
    t.run(&["clean"]).success();
    std::fs::create_dir_all(t.site()).expect("mkdir");
    std::fs::write(t.site().join("mine.txt"), "keep me").expect("write");
    t.run(&["clean"]).failure(&["refusing"]);
    assert!(t.site().join("mine.txt").is_file());
}

#[test]
fn help_teaches_and_version_prints() {
    let tmp = tempfile::tempdir().expect("tmp");
    let help = run_in(tmp.path(), &["--help"]).success().stdout();
    for word in ["build", "init", "clean", "coursebook init my-course"] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let build_help = run_in(tmp.path(), &["build", "--help"]).success().stdout();
    assert!(build_help.contains("--dest-dir") && build_help.contains("--site-url"));
    let version = run_in(tmp.path(), &["--version"]).success().stdout();
    assert!(version.starts_with("coursebook "), "{version}");
}
