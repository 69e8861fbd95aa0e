'use strict';
// The sidebar of a large book: nav.js renders every chapter into each page's sidebar before the
// first paint (no layout shift), marks and reveals the current chapter, and navigates by click
// and keyboard; without JavaScript each page keeps a bounded navigation and every chapter stays
// reachable through the pages' own links. The book (300 chapters in 3 parts) is generated here.

const assert = require('node:assert/strict');
const { test, describe, before, after } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  TEST_TIMEOUT,
  makeTempDir,
  removeDir,
  buildSite,
  startServer,
  launchBrowser,
  withSession,
  clickAndWaitForNavigation,
} = require('./helpers');

const PARTS = 3;
const PER_PART = 100;
const CHAPTERS = PARTS * PER_PART;
const T = { timeout: TEST_TIMEOUT };

let browser;
let tmp;
let fileSite;
let httpSite;
let server;
let setupError;

/** Writes a book of PARTS parts of PER_PART chapters into `dir`. */
function writeBook(dir) {
  const content = path.join(dir, 'content');
  fs.mkdirSync(content, { recursive: true });
  fs.writeFileSync(path.join(dir, 'book.toml'), '[book]\ntitle = "Big book"\n');
  fs.writeFileSync(path.join(content, '_index.md'), '+++\ntitle = "Home"\n+++\n\nA big book.\n');
  for (let p = 1; p <= PARTS; p++) {
    const part = path.join(content, `${String(p).padStart(2, '0')}-part-${p}`);
    fs.mkdirSync(part);
    fs.writeFileSync(path.join(part, '_index.md'), `+++\ntitle = "Part ${p}"\n+++\n\nPart ${p}.\n`);
    for (let c = 1; c <= PER_PART; c++) {
      const n = (p - 1) * PER_PART + c;
      const body = `+++\ntitle = "Chapter ${n}"\n+++\n\n## Overview\n\nText of chapter ${n}.\n\n` +
        '```bash\nkubectl get pods -A\n```\n';
      fs.writeFileSync(path.join(part, `${String(c).padStart(3, '0')}-chapter-${n}.md`), body);
    }
  }
}

/** Site path of chapter `n` (1-based). */
function chapterPath(n) {
  const p = Math.ceil(n / PER_PART);
  return `part-${p}/chapter-${n}.html`;
}

before(
  async () => {
    try {
      tmp = makeTempDir();
      const book = path.join(tmp, 'book');
      writeBook(book);
      fileSite = buildSite(path.join(tmp, 'site'), undefined, book);
      const port = await new Promise((resolve) => {
        const probe = require('node:net').createServer().listen(0, '127.0.0.1', () => {
          const { port: p } = probe.address();
          probe.close(() => resolve(p));
        });
      });
      httpSite = buildSite(path.join(tmp, 'http'), `http://127.0.0.1:${port}/course/`, book);
      server = await startServer(httpSite, '/course/', port);
      browser = await launchBrowser();
    } catch (err) {
      setupError = err;
    }
  },
  { timeout: 180_000 },
);

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  removeDir(tmp);
});

function check() {
  if (setupError) throw new Error(`set-up failed: ${setupError.message}`);
}

/** The URL of site path `rel` in each way the site is read (resolved once set-up ran). */
const SITES = [
  ['file://', (rel) => pathToFileURL(path.join(fileSite, rel)).href],
  ['http under /course/', (rel) => `${server.base}${rel}`],
];

/** Records, as the page is parsed, whether the sidebar held the whole list when <main> arrived. */
const RECORD_PARSE_ORDER = `
  window.__navAtMain = null;
  window.__shifts = 0;
  new MutationObserver((records, observer) => {
    if (document.querySelector('main#content')) {
      window.__navAtMain = document.querySelectorAll('#sidebar .sidebar-tree a').length;
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) { /* no layout-shift entries in this browser */ }
`;

describe('the sidebar of a 300-chapter book', () => {
  for (const [name, siteUrl] of SITES) {
    test(`${name}: every chapter is listed before <main> is parsed, the current one marked and in view`, T, async () => {
      check();
      await withSession(browser, {}, async (session) => {
        await session.context.addInitScript(RECORD_PARSE_ORDER);
        const page = await session.newPage();
        const current = chapterPath(250);
        await page.goto(siteUrl(current));
        const state = await page.evaluate(() => {
          const sidebar = document.getElementById('sidebar');
          const links = [...sidebar.querySelectorAll('a')];
          const active = sidebar.querySelectorAll('a[aria-current="page"]');
          const box = sidebar.getBoundingClientRect();
          const rect = active[0] && active[0].getBoundingClientRect();
          return {
            links: links.length,
            chapters: links.filter((a) => /chapter-\d+\.html$/.test(a.getAttribute('href'))).length,
            active: active.length,
            activeHref: active[0] && active[0].getAttribute('href'),
            inView: !!rect && rect.top >= box.top && rect.bottom <= box.bottom,
            atMain: window.__navAtMain,
            local: !!sidebar.querySelector('.sidebar-local'),
            pageScroll: window.scrollY,
          };
        });
        assert.equal(state.chapters, CHAPTERS, 'every chapter is in the sidebar');
        assert.equal(state.links, CHAPTERS + PARTS + 1, 'chapters, part pages and the home page');
        assert.equal(state.active, 1, 'one current chapter');
        assert.equal(state.activeHref, `../${current}`);
        assert.ok(state.inView, 'the current chapter is scrolled into the sidebar view');
        assert.equal(state.atMain, state.links, 'the list was complete before <main> was parsed');
        assert.equal(state.local, false, 'the bounded navigation was replaced');
        assert.equal(state.pageScroll, 0, 'revealing the chapter did not scroll the page');
        assert.equal(await page.evaluate(() => window.__shifts), 0, 'no layout shift');
      });
    });

    test(`${name}: a click and the keyboard navigate; the toggle's state is remembered`, T, async () => {
      check();
      await withSession(browser, {}, async (session) => {
        const page = await session.newPage();
        await page.goto(siteUrl(chapterPath(10)));
        await clickAndWaitForNavigation(page, page.locator('#sidebar a', { hasText: /^Chapter 11$/ }));
        assert.ok(page.url().endsWith(chapterPath(11)), page.url());
        await page.locator('#sidebar a', { hasText: /^Chapter 12$/ }).focus();
        await Promise.all([page.waitForURL(/chapter-12\.html$/), page.keyboard.press('Enter')]);
        assert.equal(await page.locator('#sidebar a[aria-current="page"]').textContent(), 'Chapter 12');
        await page.locator('#sidebar-toggle').click();
        assert.equal(await page.locator('#sidebar').isVisible(), false);
        assert.equal(await page.locator('#sidebar-toggle').getAttribute('aria-expanded'), 'false');
        await page.reload();
        assert.equal(await page.locator('#sidebar').isVisible(), false, 'hidden after a reload');
        await page.locator('#sidebar-toggle').click();
        assert.equal(await page.locator('#sidebar').isVisible(), true);
      });
    });
  }

  test('without JavaScript a page carries a bounded navigation leading to the contents page', T, async () => {
    check();
    await withSession(browser, { javaScriptEnabled: false }, async (session) => {
      const page = await session.newPage();
      await page.goto(pathToFileURL(path.join(fileSite, chapterPath(150))).href);
      const links = await page.locator('#sidebar a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.length < 20, `${links.length} links in a page's own navigation`);
      assert.ok(links.includes('../contents.html'));
      assert.ok(links.includes('../part-2/index.html'), 'the trail to the part');
      assert.ok(links.includes('../part-2/chapter-149.html') && links.includes('../part-2/chapter-151.html'));
      assert.equal(await page.locator('#sidebar a[aria-current="page"]').count(), 1);
      assert.ok(await page.locator('#sidebar').isVisible());
      await clickAndWaitForNavigation(page, page.locator('#sidebar a', { hasText: 'All chapters' }));
      const all = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (let n = 1; n <= CHAPTERS; n++) {
        assert.ok(all.includes(chapterPath(n)), `the contents page lists chapter ${n}`);
      }
    });
  });
});

test('every chapter is reachable from the home page through the pages own links (no JavaScript)', T, () => {
  check();
  const seen = new Set(['index.html']);
  const queue = ['index.html'];
  while (queue.length) {
    const rel = queue.shift();
    const html = fs.readFileSync(path.join(fileSite, rel), 'utf8').replace(/<script[\s\S]*?<\/script>/g, '');
    for (const [, href] of html.matchAll(/href="([^"#?]+\.html)(?:#[^"]*)?"/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), href));
      if (!seen.has(target) && fs.existsSync(path.join(fileSite, target))) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (let n = 1; n <= CHAPTERS; n++) assert.ok(seen.has(chapterPath(n)), `chapter ${n} is unreachable`);
});
