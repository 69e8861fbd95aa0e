//! Every rule of `coursebook check` over generated hostile chapters: shell, YAML (fences and
//! heredocs), kubectl lines, quizzes and prose, deeply nested, long, repeated and randomly
//! spliced. No rule panics or overflows a 2 MiB stack (rayon's), the time stays in proportion to
//! the text, and no finding carries more than a window of its line.

use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::engine::check_chapter;

/// The findings of every per-chapter rule over a chapter holding `markdown`, on a small stack.
fn check_on_small_stack(markdown: String) -> std::thread::Result<Vec<Diagnostic>> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let (_dir, site) = crate::testing::site_with(&[("index.md", &markdown)], "");
            (0..site.book.chapters.len())
                .flat_map(|i| check_chapter(&crate::context::ChapterCx::new(&site, i)))
                .collect()
        })
        .expect("spawn")
        .join()
}

fn assert_bounded(markdown: String) {
    let head: String = markdown.chars().take(70).collect();
    let started = Instant::now();
    let Ok(found) = check_on_small_stack(markdown) else {
        panic!("a rule panicked on {head:?}");
    };
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "{head:?}: {elapsed:?}");
    for d in &found {
        assert!(d.source_line.chars().count() <= 200, "{head:?}: {}", d.rule);
    }
}

fn fence(lang: &str, code: &str) -> String {
    format!("# T\n\n```{lang}\n{code}\n```\n")
}

#[test]
fn hostile_shell_yaml_and_prose_stay_within_bounds() {
    let n = 20_000;
    let placeholders: String = (0..n).map(|i| format!("<p{i}> ")).collect();
    let flags: String = (0..n).map(|i| format!("--x{i} ")).collect();
    let texts = vec![
        fence("bash", &"$( ".repeat(n)),
        fence("bash", &"`".repeat(n)),
        fence("bash", &"\"$(\"".repeat(n)),
        fence("bash", &"if true; then ".repeat(n)),
        fence("bash", &"case a in a) ".repeat(200)),
        fence("bash", &format!("echo {placeholders}")),
        fence("bash", &format!("echo \"{placeholders}\"")),
        fence("bash", &format!("x{}", "<p>".repeat(n))),
        fence("bash", &format!("kubectl get pods {flags}")),
        fence("bash", &format!("kubectl {}", "x".repeat(200_000))),
        fence("bash", &format!("kubectl get --{}", "y".repeat(200_000))),
        fence(
            "bash",
            &format!(
                "{}\n{}",
                "cat <<EOF ".repeat(5_000),
                "x\nEOF\n".repeat(5_000)
            ),
        ),
        fence("bash", &"cat <<EOF\n".repeat(n)),
        fence("bash", &"systemctl restart etcd ".repeat(n)),
        fence("bash", &"journalctl -u ".repeat(n)),
        fence("bash", &"apt-get install kubeadm=1.20.0-00 ".repeat(n)),
        fence("bash", &"\\\n".repeat(n)),
        fence("bash", &"sh -c 'sh -c \"".repeat(2_000)),
        fence("console", &"$ echo\n> ".repeat(n)),
        fence("yaml", &format!("k: {}", "[".repeat(100_000))),
        fence("yaml", &format!("k: {}", "{a: ".repeat(50_000))),
        fence("yaml", &"- ".repeat(n)),
        fence("yaml", &"apiVersion: v1\nkind: Pod\n---\n".repeat(5_000)),
        fence("yaml", &format!("a: &a [x]\n{}", "b: *a\n".repeat(n))),
        fence(
            "bash",
            &format!("cat <<EOF | kubectl apply -f -\nk: {}\nEOF", "[".repeat(n)),
        ),
        "it‚Äôs ".repeat(100_000),
        "â€™".repeat(200_000),
        "[x](javascript:a) ".repeat(n),
        "```bash lint-allow=nope\nx\n```\n".repeat(5_000),
    ];
    for text in texts {
        assert_bounded(text);
    }
}

#[test]
fn random_splices_stay_within_bounds() {
    let pieces = [
        "```bash\n",
        "```yaml\n",
        "```console\n",
        "```\n",
        "$ ",
        "kubectl get pods -n x ",
        "kubectl delete pod a\nkubectl logs a\n",
        "kubectl run x --rm -it ",
        "<name> ",
        "cat <<EOF | kubectl apply -f -\n",
        "apiVersion: apps/v1\nkind: Deployment\n",
        "spec:\n  selector:\n    matchLabels: {a: b}\n",
        "EOF\n",
        "$( ",
        ") ",
        "{ ",
        "} ",
        "if true; then ",
        "fi\n",
        "'",
        "\"",
        "\\\n",
        "it‚Äôs ",
        "systemctl restart kube-apiserver ",
        "kubeadm=1.28.0-00 ",
        "kindest/node:v1.20.0 ",
        "[a](javascript:x) ",
        "\n",
    ];
    let mut state = 0x13u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 16) as usize
    };
    for _ in 0..150 {
        let count = 1 + next() % 150;
        let body: String = (0..count).map(|_| pieces[next() % pieces.len()]).collect();
        assert_bounded(format!("# T\n\n{}", body.repeat(1 + next() % 30)));
    }
}
