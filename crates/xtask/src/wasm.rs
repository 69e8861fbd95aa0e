//! `cargo xtask wasm`: builds `coursebook-web` for wasm32 twice, runs wasm-bindgen, and writes
//! the two classic-script bundles (glue, a page API facade, and the module gzipped as base64)
//! into `theme/`, where they are committed: the quiz bundle, which quiz pages load, and the
//! search bundle, which the search panel loads the first time the learner opens search.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::io::Write;

use anyhow::{bail, Context, Result};
use base64::Engine;
use flate2::write::GzEncoder;

use crate::step;

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly (crates/web/Cargo.toml).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

const TARGET: &str = "wasm32-unknown-unknown";

/// One bundle: which features of `coursebook-web` it holds, and how the page reaches it.
struct Bundle {
    /// Where it lives in the repository.
    path: &'static str,
    /// The cargo feature of `coursebook-web` it is built with.
    feature: &'static str,
    /// The page API facade appended to the glue.
    api: &'static str,
    /// The global the wasm-bindgen glue defines.
    global: &'static str,
    /// The global holding the module, gzipped, as base64.
    module_var: &'static str,
}

/// The quiz bundle (grading, scheduling, calculators).
pub const BUNDLE: &str = "theme/coursebook-wasm.js";

/// The search bundle (the query).
pub const SEARCH_BUNDLE: &str = "theme/coursebook-search-wasm.js";

const BUNDLES: &[Bundle] = &[
    Bundle {
        path: BUNDLE,
        feature: "quiz",
        api: "crates/web/js/api.js",
        global: "wasm_bindgen",
        module_var: "COURSEBOOK_WASM",
    },
    Bundle {
        path: SEARCH_BUNDLE,
        feature: "search",
        api: "crates/web/js/search-api.js",
        global: "coursebookSearchBindgen",
        module_var: "COURSEBOOK_SEARCH_WASM",
    },
];

/// What a page with a quiz loads when it loads (the `<script>` tags of `theme/base.html`, and
/// the quiz bundle that `quiz.js` adds at once), and the most it may weigh gzipped. `nav.js` is
/// counted here by its code; the shipped course's whole `nav.js` (its chapter list too) is
/// counted by the test `a_course_quiz_page_loads_under_100_kb_of_scripts_with_its_navigation`.
const PAGE_SCRIPTS: &[&str] = &[
    "theme/nav.js",
    "theme/book.js",
    "theme/quiz.js",
    "theme/search.js",
    "theme/offline.js",
    BUNDLE,
];
const PAGE_BUDGET_GZIP: usize = 100_000;

/// What the first opening of search adds (besides the book's own `search-index.js`): not
/// counted in the budget, since nothing loads it before the learner asks for it.
const SEARCH_SCRIPTS: &[&str] = &["theme/search-panel.js", SEARCH_BUNDLE];

/// Builds the bundles; with `check`, fails if a committed one differs instead of writing.
/// Either way, fails if a quiz page's scripts exceed the gzipped budget.
pub fn wasm(root: &Path, check: bool) -> Result<()> {
    ensure_target()?;
    ensure_wasm_bindgen()?;
    for spec in BUNDLES {
        let bundle = build_bundle(root, spec)?;
        let path = root.join(spec.path);
        if check {
            compare(&path, spec.path, &bundle)?;
        } else {
            std::fs::write(&path, &bundle)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("==> wrote {} ({} bytes)", spec.path, bundle.len());
        }
    }
    check_budget(root)
}

fn compare(path: &Path, name: &str, bundle: &str) -> Result<()> {
    let committed = std::fs::read(path).unwrap_or_default();
    if committed != bundle.as_bytes() {
        bail!(
            "{name} is stale: it differs from what the sources build ({} bytes built, {} \
             committed). Run `cargo xtask wasm` and commit the result.",
            bundle.len(),
            committed.len()
        );
    }
    println!("==> {name} is up to date ({} bytes)", bundle.len());
    Ok(())
}

/// The gzipped size of `name`, as a server sends it (level 9), after printing both sizes.
fn gzipped(root: &Path, name: &str) -> Result<usize> {
    let bytes = std::fs::read(root.join(name)).with_context(|| format!("cannot read {name}"))?;
    let mut gzip = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes)?;
    let size = gzip.finish()?.len();
    println!("    {name}: {} bytes, {size} gzipped", bytes.len());
    Ok(size)
}

/// Sums the gzipped size of every script a quiz page loads when it loads, against the budget,
/// and prints what opening search adds.
fn check_budget(root: &Path) -> Result<()> {
    let mut total = 0;
    for name in PAGE_SCRIPTS {
        total += gzipped(root, name)?;
    }
    println!(
        "==> a quiz page loads {total} bytes of JS and wasm, gzipped (budget {PAGE_BUDGET_GZIP})"
    );
    let mut search = 0;
    for name in SEARCH_SCRIPTS {
        search += gzipped(root, name)?;
    }
    println!("==> opening search adds {search} bytes gzipped, and the book's search-index.js");
    if total > PAGE_BUDGET_GZIP {
        bail!(
            "the page scripts weigh {total} bytes gzipped, over the {PAGE_BUDGET_GZIP}-byte budget"
        );
    }
    Ok(())
}

fn build_bundle(root: &Path, spec: &Bundle) -> Result<String> {
    let target_dir = root.join("target/wasm");
    let remap_root = format!("--remap-path-prefix={}=/coursebook", root.display());
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let remap_home = format!("--remap-path-prefix={}=/cargo", cargo_home.display());
    // Paths baked into the module must not depend on where the repository or cargo live, so
    // every machine builds the same bytes.
    let rustflags = format!("{remap_root} {remap_home}");
    let target_dir_str = target_dir.to_str().context("target path is not UTF-8")?;
    step(
        root,
        &format!("build coursebook-web ({}) for wasm32", spec.feature),
        "cargo",
        &[
            "build",
            "--locked",
            "-p",
            "coursebook-web",
            "--no-default-features",
            "--features",
            spec.feature,
            "--target",
            TARGET,
            "--profile",
            "wasm",
        ],
        &[
            ("CARGO_TARGET_DIR", target_dir_str),
            ("RUSTFLAGS", &rustflags),
        ],
    )?;
    let module = target_dir.join(TARGET).join("wasm/coursebook_web.wasm");
    let out_dir = target_dir.join("bindgen").join(spec.feature);
    let module_str = module.to_str().context("target path is not UTF-8")?;
    let out_str = out_dir.to_str().context("target path is not UTF-8")?;
    step(
        root,
        "wasm-bindgen",
        "wasm-bindgen",
        &[
            "--target",
            "no-modules",
            "--no-modules-global",
            spec.global,
            "--no-typescript",
            "--out-dir",
            out_str,
            module_str,
        ],
        &[],
    )?;
    let glue = std::fs::read_to_string(out_dir.join("coursebook_web.js"))
        .context("wasm-bindgen wrote no coursebook_web.js")?;
    let bytes = std::fs::read(out_dir.join("coursebook_web_bg.wasm"))
        .context("wasm-bindgen wrote no coursebook_web_bg.wasm")?;
    let api = std::fs::read_to_string(root.join(spec.api))
        .with_context(|| format!("cannot read {}", spec.api))?;
    compose(&strip_doc_comments(&glue), &api, spec.module_var, &bytes)
}

/// The glue without the `/** … */` blocks wasm-bindgen copies from the Rust docs: pages
/// download it, and the docs live in `crates/web`.
fn strip_doc_comments(glue: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    let mut in_doc = false;
    for line in glue.lines() {
        let trimmed = line.trim_start();
        if !in_doc && trimmed.starts_with("/**") {
            in_doc = !trimmed.contains("*/");
            continue;
        }
        if in_doc {
            in_doc = !trimmed.contains("*/");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A bundle: a classic script defining the glue's global (`wasm_bindgen`), the page API
/// (`coursebookWasm`), and `module_var` (`COURSEBOOK_WASM`: the module gzipped, as base64),
/// because Chromium refuses `fetch()` of a `.wasm` and ES modules on `file://`. Gzip first
/// keeps the base64 from defeating the server's compression; the page unpacks it with
/// `DecompressionStream`.
fn compose(glue: &str, api: &str, module_var: &str, module: &[u8]) -> Result<String> {
    // Zopfli squeezes a few more kilobytes than gzip -9 out of the page's budget, and writes a
    // zero mtime, so the same module always gives the same bytes.
    let mut packed = Vec::with_capacity(module.len() / 2);
    let options = zopfli::Options {
        iteration_count: std::num::NonZeroU64::new(100).unwrap_or(std::num::NonZeroU64::MIN),
        ..zopfli::Options::default()
    };
    zopfli::compress(options, zopfli::Format::Gzip, module, &mut packed)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(packed);
    Ok(format!(
        "/* coursebook WebAssembly bundle: generated by `cargo xtask wasm` from crates/web. Do not edit. */\n\
         {glue}\n{api}\n\
         var {module_var} = \"{encoded}\";\n"
    ))
}

fn ensure_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("cannot run rustup: install the wasm32-unknown-unknown target yourself")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == TARGET)
    {
        return Ok(());
    }
    step(
        Path::new("."),
        "add the wasm target",
        "rustup",
        &["target", "add", TARGET],
        &[],
    )
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = Command::new("wasm-bindgen").arg("--version").output();
    let wanted = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if let Ok(out) = &version {
        if String::from_utf8_lossy(&out.stdout).trim() == wanted {
            return Ok(());
        }
    }
    println!("==> wasm-bindgen {WASM_BINDGEN_VERSION} is missing: installing it (about 10 minutes, once)");
    step(
        Path::new("."),
        "install wasm-bindgen-cli",
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ],
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comments_leave_the_glue_but_code_stays() {
        let glue = "let a = 1;\n    /**\n     * Docs.\n     * @returns {string}\n     */\n    export function f() {}\n/** one line */\nlet b = 2;\n";
        assert_eq!(
            strip_doc_comments(glue),
            "let a = 1;\n    export function f() {}\nlet b = 2;\n"
        );
    }
}
