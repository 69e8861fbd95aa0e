//! The benchmark's report: one row per book and measure, with medians, pairwise ratios and the
//! issue's targets, as an aligned text table and as a markdown table for the README.

use std::fmt::Write as _;

use super::measure::{median, paired_ratio, Sample};
use super::sizes::Sizes;

/// What the table is about.
#[derive(Debug, Clone)]
pub struct Header {
    /// The day, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// CPUs available.
    pub cpus: usize,
    /// Builds per tool and book.
    pub runs: usize,
    /// `coursebook --version`, and the profile it was built with.
    pub coursebook: String,
    /// `mdbook --version`, when mdBook ran.
    pub mdbook: Option<String>,
}

/// One book's measurements.
#[derive(Debug, Clone)]
pub struct BookResult {
    /// `course`, `1k`...
    pub name: String,
    /// Chapters (pages from markdown) in the book.
    pub pages: usize,
    pub coursebook: Vec<Sample>,
    pub coursebook_sizes: Sizes,
    /// mdBook's runs and site, when mdBook ran.
    pub mdbook: Option<(Vec<Sample>, Sizes)>,
    /// `coursebook serve`: start-up, memory and the time of each save, when measured.
    pub serve: Option<crate::serve_latency::Served>,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub book: String,
    pub measure: &'static str,
    pub coursebook: String,
    pub mdbook: String,
    /// coursebook/mdBook, when both have the measure.
    pub ratio: Option<f64>,
    pub target: &'static str,
    pub status: &'static str,
}

const NOT_BUILT: &str = "n/a (not built yet)";
const JS_BUDGET: u64 = 100_000;

/// Every row of one book.
pub fn rows(book: &BookResult) -> Vec<Row> {
    let cb = &book.coursebook_sizes;
    let md = book.mdbook.as_ref().map(|(_, s)| s);
    let index = |s: &Sizes| s.search_index.as_ref().map(|(_, n)| *n);
    let raw = |s: &Sizes| s.page.as_ref().map(|p| p.raw);
    let gzip = |s: &Sizes| s.page.as_ref().map(|p| p.gzip);
    let largest = |s: &Sizes| s.largest.as_ref().map(|(_, n)| *n);
    let mut rows = vec![
        timing_row(book, WALL, |s| s.wall, secs),
        timing_row(book, "CPU time (user+sys)", |s| s.cpu, secs),
        timing_row(book, PEAK, |s| s.rss as f64, |v| bytes(v as u64)),
        size_row(book, OUTPUT, Some(cb.total), md.map(|m| Some(m.total)), "-"),
        size_row(book, LARGEST, largest(cb), md.map(largest), "-"),
        size_row(book, "search index", index(cb), md.map(index), NOT_BUILT),
        size_row(book, "JS+wasm per page, raw", raw(cb), md.map(raw), "-"),
        size_row(book, "JS+wasm per page, gzip", gzip(cb), md.map(gzip), "-"),
    ];
    rows.extend(serve_rows(book));
    for r in &mut rows {
        set_target(r, book, gzip(cb));
    }
    rows
}

const WALL: &str = "wall time";
const PEAK: &str = "peak memory";
const OUTPUT: &str = "output";
const LARGEST: &str = "largest file";
const SERVE: &str = "serve rebuild, 1-chapter edit";
const SERVE_START: &str = "serve start-up";
const SERVE_PEAK: &str = "serve peak memory";
const SERVE_TITLE: &str = "serve, title change (every page)";

/// The dev server's rows; mdBook's server has no incremental rebuild to compare.
fn serve_rows(book: &BookResult) -> Vec<Row> {
    let not = || "not measured".to_owned();
    let Some(served) = &book.serve else {
        return vec![row(book, SERVE, not(), not())];
    };
    let edits: Vec<f64> = served.edits.iter().map(|d| d.as_secs_f64()).collect();
    let edit = median(&edits).map_or(not(), |m| {
        format!("{} (median of {})", secs(m), edits.len())
    });
    vec![
        row(book, SERVE_START, secs(served.startup.as_secs_f64()), not()),
        row(
            book,
            SERVE_PEAK,
            served.peak_rss.map_or(not(), bytes),
            not(),
        ),
        row(book, SERVE, edit, not()),
        row(
            book,
            SERVE_TITLE,
            secs(served.title_edit.as_secs_f64()),
            not(),
        ),
    ]
}

/// The rows comparing the 10k book with the 1k book: time and bytes should grow about tenfold.
pub fn scaling_rows(books: &[BookResult]) -> Vec<Row> {
    let find = |name: &str| books.iter().find(|b| b.name == name);
    let (Some(small), Some(large)) = (find("1k"), find("10k")) else {
        return Vec::new();
    };
    let wall = |b: &BookResult| median(&b.coursebook.iter().map(|s| s.wall).collect::<Vec<_>>());
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    let pairs = [
        (WALL, ratio(wall(large), wall(small))),
        (
            OUTPUT,
            ratio(
                Some(large.coursebook_sizes.total as f64),
                Some(small.coursebook_sizes.total as f64),
            ),
        ),
    ];
    pairs
        .into_iter()
        .map(|(measure, r)| {
            let shown = r.map_or("-".to_owned(), |r| format!("{r:.1}x"));
            let status = match r {
                Some(r) if r <= 11.0 => "met",
                Some(_) => "MISSED",
                None => "n/a",
            };
            Row {
                book: "10k/1k".to_owned(),
                measure,
                coursebook: shown,
                mdbook: "-".to_owned(),
                ratio: None,
                target: "<= 11x",
                status,
            }
        })
        .collect()
}

/// Medians of one measure over the runs, and the median of the per-run ratios.
fn timing_row(
    book: &BookResult,
    measure: &'static str,
    pick: fn(&Sample) -> f64,
    fmt: fn(f64) -> String,
) -> Row {
    let cb: Vec<f64> = book.coursebook.iter().map(pick).collect();
    let md: Option<Vec<f64>> = book
        .mdbook
        .as_ref()
        .map(|(runs, _)| runs.iter().map(pick).collect());
    let show = |v: &[f64]| median(v).map_or("-".to_owned(), fmt);
    let mut r = row(
        book,
        measure,
        show(&cb),
        md.as_deref().map_or(skipped(), show),
    );
    r.ratio = md.and_then(|m| paired_ratio(&cb, &m));
    r
}

/// A size of each site: coursebook's (`missing` when it has none) and mdBook's (`None` when
/// mdBook did not run, `Some(None)` when its site has none).
fn size_row(
    book: &BookResult,
    measure: &'static str,
    cb: Option<u64>,
    md: Option<Option<u64>>,
    missing: &str,
) -> Row {
    let md_text = md.map_or(skipped(), |m| m.map_or("none".into(), bytes));
    let mut r = row(book, measure, cb.map_or(missing.into(), bytes), md_text);
    if let (Some(a), Some(Some(b))) = (cb, md) {
        if b > 0 {
            r.ratio = Some(a as f64 / b as f64);
        }
    }
    r
}

fn row(book: &BookResult, measure: &'static str, coursebook: String, mdbook: String) -> Row {
    Row {
        book: book.name.clone(),
        measure,
        coursebook,
        mdbook,
        ratio: None,
        target: "",
        status: "",
    }
}

fn skipped() -> String {
    "not run".into()
}

/// The issues' targets: coursebook/mdBook ratios, absolute limits for the 10k book, the page
/// budget, and the dev server's.
fn set_target(r: &mut Row, book: &BookResult, page_gzip: Option<u64>) {
    let ratio = match (book.name.as_str(), r.measure) {
        ("1k", WALL) => Some(("<= 0.3x", 0.3)),
        ("1k", PEAK) => Some(("<= 0.5x", 0.5)),
        ("1k", OUTPUT) => Some(("<= 1.0x", 1.0)),
        ("course", WALL) => Some(("<= 0.5x", 0.5)),
        (_, "search index") => Some(("<= 0.2x", 0.2)),
        _ => None,
    };
    if let Some((shown, limit)) = ratio {
        r.target = shown;
        r.status = verdict(r.ratio.map(|ratio| ratio <= limit));
        return;
    }
    let served = book.serve.as_ref();
    let edit =
        served.and_then(|s| median(&s.edits.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>()));
    let wall = median(&book.coursebook.iter().map(|s| s.wall).collect::<Vec<_>>());
    let peak = median(
        &book
            .coursebook
            .iter()
            .map(|s| s.rss as f64)
            .collect::<Vec<_>>(),
    );
    let large = book.name == "10k";
    let (target, met) = match r.measure {
        // The shipped course's pages; a large book's nav.js holds its whole chapter list, which
        // a browser loads once for every page.
        "JS+wasm per page, gzip" if book.name == "course" => {
            ("< 100 KB", page_gzip.map(|v| v < JS_BUDGET))
        }
        WALL if large => ("<= 20 s", wall.map(|w| w <= 20.0)),
        PEAK if large => ("<= 700 MB", peak.map(|p| p <= 700e6)),
        OUTPUT if large => ("< 1 GB", Some(book.coursebook_sizes.total < 1_000_000_000)),
        LARGEST => (
            "< 100 MB",
            book.coursebook_sizes
                .largest
                .as_ref()
                .map(|(_, n)| *n < 100_000_000),
        ),
        SERVE if book.name != "course" => ("< 30 ms", edit.map(|e| e < 0.030)),
        SERVE_START if large => ("< 10 s", served.map(|s| s.startup.as_secs_f64() < 10.0)),
        SERVE_PEAK if large => (
            "< 1 GB",
            served.and_then(|s| s.peak_rss).map(|p| p < 1_000_000_000),
        ),
        _ => return,
    };
    r.target = target;
    r.status = verdict(met);
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "n/a",
    }
}

/// Seconds for people: `212 ms`, `8.61 s`.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

/// Bytes for people, in powers of 1000 like the targets: `512 B`, `95.1 KB`, `25.3 MB`.
pub fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

const COLUMNS: [&str; 7] = [
    "book",
    "measure",
    "coursebook",
    "mdBook",
    "cb/mdBook",
    "target",
    "",
];

fn cells(r: &Row) -> [String; 7] {
    [
        r.book.clone(),
        r.measure.into(),
        r.coursebook.clone(),
        r.mdbook.clone(),
        r.ratio_text(),
        r.target.into(),
        r.status.into(),
    ]
}

impl Row {
    /// `0.42x`, or `-`.
    pub fn ratio_text(&self) -> String {
        self.ratio.map_or("-".into(), |r| format!("{r:.2}x"))
    }
}

fn summary_line(h: &Header) -> String {
    format!(
        "{}, {} CPUs, {} run(s) per tool alternating; medians, ratios are medians of per-run \
         pairs; {} vs {}",
        h.date,
        h.cpus,
        h.runs,
        h.coursebook,
        h.mdbook.as_deref().unwrap_or("no mdBook")
    )
}

/// The aligned text table, with which scripts each page loads underneath.
pub fn text(h: &Header, books: &[BookResult]) -> String {
    let table: Vec<[String; 7]> = std::iter::once(COLUMNS.map(String::from))
        .chain(all_rows(books).iter().map(cells))
        .collect();
    let mut widths = [0; 7];
    for c in &table {
        for (w, cell) in widths.iter_mut().zip(c) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |c: &[String; 7]| {
        let mut s = String::new();
        for (cell, w) in c.iter().zip(widths) {
            let _ = write!(s, "{cell:<w$}  ");
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = format!("coursebook bench: {}\n\n", summary_line(h));
    for c in &table {
        out += &line(c);
    }
    out.push('\n');
    for b in books {
        out += &notes(b);
    }
    out + FOOTNOTE
}

const FOOTNOTE: &str = "
  JS+wasm per page: the <script src> files of the page loading the most, plus the wasm bundle
  that quiz.js adds on quiz pages; gzip -9, file by file. mdBook fetches its search index only
  when the search box opens, so it is not counted there. 1 KB = 1000 bytes.
";

fn notes(b: &BookResult) -> String {
    let mut out = String::new();
    let mut page = |tool: &str, s: &Sizes| {
        if let Some(p) = &s.page {
            let _ = writeln!(
                out,
                "  {} {tool}: {} loads {}",
                b.name,
                p.page,
                p.scripts.join(", ")
            );
        }
        if let Some((file, _)) = &s.search_index {
            let _ = writeln!(out, "  {} {tool}: search index {file}", b.name);
        }
        if let Some((file, _)) = &s.largest {
            let _ = writeln!(out, "  {} {tool}: largest file {file}", b.name);
        }
    };
    page("coursebook", &b.coursebook_sizes);
    if let Some((_, s)) = &b.mdbook {
        page("mdBook", s);
    }
    let _ = writeln!(out, "  {}: {} pages from markdown", b.name, b.pages);
    out
}

/// Every book's rows, then the 10k/1k comparison.
fn all_rows(books: &[BookResult]) -> Vec<Row> {
    let mut all: Vec<Row> = books.iter().flat_map(rows).collect();
    all.extend(scaling_rows(books));
    all
}

/// The markdown table for the README.
pub fn markdown(h: &Header, books: &[BookResult]) -> String {
    let mut out = format!("Measured {}.\n\n", summary_line(h));
    out += "| book | measure | coursebook | mdBook | coursebook/mdBook | target |\n";
    out += "|---|---|---:|---:|---:|---|\n";
    for r in all_rows(books) {
        let target = format!("{} {}", r.target, r.status);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.book,
            r.measure,
            r.coursebook,
            r.mdbook,
            r.ratio_text(),
            target.trim()
        );
    }
    out
}

/// Today's date in UTC, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's days-since-1970 to (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::Duration;

    fn sample(wall: f64, rss: u64) -> Sample {
        Sample {
            wall,
            cpu: wall,
            rss,
        }
    }

    #[test]
    fn dates_and_units() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(secs(0.2124), "212 ms");
        assert_eq!(secs(8.614), "8.61 s");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(95_140), "95.1 KB");
        assert_eq!(bytes(25_300_000), "25.3 MB");
    }

    #[test]
    fn rows_carry_paired_ratios_and_targets() {
        let book = BookResult {
            name: "1k".into(),
            pages: 2,
            coursebook: vec![sample(1.0, 100), sample(3.0, 100), sample(1.0, 400)],
            coursebook_sizes: Sizes::default(),
            mdbook: Some((
                vec![sample(4.0, 1000), sample(4.0, 100), sample(2.0, 1000)],
                Sizes {
                    total: 10,
                    search_index: Some(("searchindex.js".into(), 5)),
                    largest: Some(("print.html".into(), 7)),
                    page: None,
                },
            )),
            serve: Some(served(&[0.012, 0.040, 0.020])),
        };
        let rows = rows(&book);
        let serve = rows.iter().find(|r| r.measure == SERVE).expect("row");
        assert_eq!(
            (serve.coursebook.as_str(), serve.status),
            ("20 ms (median of 3)", "met")
        );
        let wall = &rows[0];
        assert_eq!(
            (wall.coursebook.as_str(), wall.mdbook.as_str()),
            ("1.00 s", "4.00 s")
        );
        // Pairs 0.25, 0.75, 0.5 -> 0.5, over the 0.3 target.
        assert_eq!(
            (wall.ratio_text().as_str(), wall.status),
            ("0.50x", "MISSED")
        );
        let memory = &rows[2];
        assert_eq!(
            (memory.ratio_text().as_str(), memory.status),
            ("0.40x", "met")
        );
        let search = rows
            .iter()
            .find(|r| r.measure == "search index")
            .expect("row");
        assert_eq!(
            (search.coursebook.as_str(), search.status),
            (NOT_BUILT, "n/a")
        );
        assert!(markdown(&header(), std::slice::from_ref(&book))
            .contains("| 1k | wall time | 1.00 s |"));
        assert!(text(&header(), &[book]).contains("searchindex.js"));
    }

    #[test]
    fn without_mdbook_there_are_no_ratios() {
        let book = BookResult {
            name: "smoke".into(),
            pages: 4,
            coursebook: vec![sample(0.05, 16_000_000)],
            coursebook_sizes: Sizes::default(),
            mdbook: None,
            serve: None,
        };
        for r in rows(&book) {
            assert_eq!(r.ratio, None, "{r:?}");
            assert!(r.mdbook == "not run" || r.mdbook == "not measured", "{r:?}");
        }
        assert!(text(&header(), &[book]).contains("vs no mdBook"));
    }

    fn served(edits: &[f64]) -> crate::serve_latency::Served {
        crate::serve_latency::Served {
            startup: Duration::from_secs(12),
            edits: edits.iter().map(|&s| Duration::from_secs_f64(s)).collect(),
            title_edit: Duration::from_millis(300),
            peak_rss: Some(900_000_000),
        }
    }

    #[test]
    fn the_10k_book_has_absolute_targets_and_is_compared_with_the_1k_book() {
        let book = |name: &str, wall: f64, total: u64| BookResult {
            name: name.into(),
            pages: 1,
            coursebook: vec![sample(wall, 600_000_000)],
            coursebook_sizes: Sizes {
                total,
                largest: Some(("a.zip".into(), 150_000_000)),
                ..Sizes::default()
            },
            mdbook: None,
            serve: Some(served(&[0.010])),
        };
        let books = [book("1k", 2.0, 60_000_000), book("10k", 25.0, 900_000_000)];
        let large = rows(&books[1]);
        let status = |measure: &str| {
            let r = large.iter().find(|r| r.measure == measure).expect(measure);
            (r.target, r.status)
        };
        assert_eq!(status(WALL), ("<= 20 s", "MISSED"));
        assert_eq!(status(PEAK), ("<= 700 MB", "met"));
        assert_eq!(status(OUTPUT), ("< 1 GB", "met"));
        assert_eq!(status(LARGEST), ("< 100 MB", "MISSED"));
        assert_eq!(status(SERVE_START), ("< 10 s", "MISSED"));
        assert_eq!(status(SERVE_PEAK), ("< 1 GB", "met"));
        assert_eq!(status(SERVE), ("< 30 ms", "met"));
        let scaling = scaling_rows(&books);
        let shown: Vec<(&str, &str, &str)> = scaling
            .iter()
            .map(|r| (r.measure, r.coursebook.as_str(), r.status))
            .collect();
        assert_eq!(
            shown,
            [(WALL, "12.5x", "MISSED"), (OUTPUT, "15.0x", "MISSED")]
        );
        assert!(markdown(&header(), &books).contains("| 10k/1k | wall time | 12.5x |"));
    }

    fn header() -> Header {
        Header {
            date: "2024-02-29".into(),
            cpus: 2,
            runs: 3,
            coursebook: "coursebook 0.1.0".into(),
            mdbook: None,
        }
    }
}
