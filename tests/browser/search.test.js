'use strict';
// Headless-browser tests of full-text search (theme/search.js, which injects
// theme/search-panel.js, over static/search-index.js and the WebAssembly search bundle
// static/coursebook-search-wasm.js): words from Day 7 are found and lead to their heading, the
// index, the panel and the bundle are requested only once search opens, the results come from
// the wasm query, and the keyboard shortcuts leave form fields alone.
// Every scenario runs twice, from file:// and over http under /course/, each time in a fresh
// browser context that fails on any console error, page error or request to another host.
// Run with:
//   COURSEBOOK_BIN=/abs/target/release/coursebook COURSEBOOK_BOOK=/abs/repo node --test

const assert = require('node:assert/strict');
const { test, describe, before, after, beforeEach } = require('node:test');
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
} = require('./helpers');

const BUILD_TIMEOUT = 180_000;
const T = { timeout: TEST_TIMEOUT };
const DAY2 = 'days/etcd.html';
const DAY7 = 'days/storage-csi.html';
const INDEX = 'static/search-index.js';
const PANEL = 'static/search-panel.js';
const SEARCH_WASM = 'static/coursebook-search-wasm.js';
const QUIZ_WASM = 'static/coursebook-wasm.js';

let browser;
let tmp;
let fileSite; // <tmp>/site, built without --site-url
let server; // serves <tmp>/http-site under /course/
let setupError;

before(
  async () => {
    try {
      tmp = makeTempDir();
      fileSite = buildSite(path.join(tmp, 'site'));
      const httpRoot = path.join(tmp, 'http-site');
      server = await startServer(httpRoot, '/course/');
      buildSite(httpRoot, server.base);
      browser = await launchBrowser();
    } catch (err) {
      setupError = err;
    }
  },
  { timeout: BUILD_TIMEOUT },
);

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  removeDir(tmp);
});

const SITES = [
  { name: 'file://', url: (rel) => pathToFileURL(path.join(fileSite, rel)).href },
  { name: 'http under /course/', url: (rel) => server.base + rel },
];

// ---------------------------------------------------------------- helpers

/** Polls `fn` until it returns a truthy value (or fails with `what` after 5 s). */
async function eventually(fn, what) {
  const end = Date.now() + 5000;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`${what} (last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();

/**
 * Opens `url` in `page`, recording every request for the search index in `page.indexRequests`
 * and every request in `page.requests`.
 */
async function open(page, url) {
  if (!page.indexRequests) {
    page.indexRequests = [];
    page.requests = [];
    page.on('request', (req) => {
      page.requests.push(req.url());
      if (req.url().includes(INDEX)) page.indexRequests.push(req.url());
    });
  }
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('#search:not([hidden]) #search-input').waitFor({ state: 'visible' });
}

/** How many requests `page` made for the site file `rel` (`static/x.js`). */
function requested(page, rel) {
  return page.requests.filter((u) => new URL(u).pathname.endsWith('/' + rel)).length;
}

async function activeId(page) {
  return page.evaluate(() => (document.activeElement && document.activeElement.id) || '');
}

/** The results' links once the index is in: [{ href, title, heading, snippet, marks }]. */
async function results(page) {
  const list = page.locator('#search-results');
  await eventually(async () => (await list.locator('a.search-result').count()) > 0, 'no search results');
  return list.locator('a.search-result').evaluateAll((links) =>
    links.map((a) => {
      const text = (sel) => (a.querySelector(sel) ? a.querySelector(sel).textContent : '');
      return {
        href: a.getAttribute('href'),
        title: text('.search-result-title'),
        heading: text('.search-result-heading'),
        snippet: text('.search-result-snippet'),
        marks: Array.from(a.querySelectorAll('.search-result-snippet mark'), (m) => m.textContent),
      };
    }),
  );
}

/** Waits until the page is `rel#id` and the heading `id` is on screen below the top bar. */
async function expectHeadingInView(page, site, rel, id) {
  await page.waitForURL(site.url(rel) + '#' + id, { waitUntil: 'load' });
  await eventually(
    () =>
      page.evaluate((hid) => {
        const h = document.getElementById(hid);
        if (!h) return false;
        const r = h.getBoundingClientRect();
        const bar = document.querySelector('header.topbar').getBoundingClientRect().bottom;
        return r.top >= bar - 1 && r.bottom <= window.innerHeight;
      }, id),
    `heading #${id} is not scrolled into view`,
  );
}

// ---------------------------------------------------------------- scenarios

const SCENARIOS = [
  [
    '1. a word of Day 7 is found, and Enter jumps to its heading, scrolled into view',
    async (page, site) => {
      await open(page, site.url(DAY2));
      await page.keyboard.press('/');
      assert.equal(await activeId(page), 'search-input', '/ did not focus the search box');
      assert.equal(await page.locator('#search-input').inputValue(), '', 'the / was typed into the box');
      await page.keyboard.type('claims');
      const found = await results(page);
      assert.equal(found[0].href, `../${DAY7}#quiz`, JSON.stringify(found));
      assert.match(found[0].title, /^Day 7: Storage & CSI$/);
      assert.equal(found[0].heading, 'Quiz');
      assert.match(found[0].snippet, /volumes and claims/);
      assert.deepEqual(found[0].marks, ['claims']);
      assert.match(squash(await page.locator('#search-status').textContent()), /^\d+ results?\b/);
      assert.ok(await page.locator('#search-results').isVisible());

      await page.keyboard.press('Enter');
      await expectHeadingInView(page, site, DAY7, 'quiz');
      assert.ok(await page.evaluate(() => window.scrollY > 0), 'the page did not scroll to the heading');
    },
  ],
  [
    '2. the last word matches as a prefix; arrows move through the results; a click jumps',
    async (page, site) => {
      await open(page, site.url('index.html'));
      await page.locator('#search-input').click();
      await page.keyboard.type('explain lifecyc');
      const found = await results(page);
      const i = found.findIndex((r) => r.href === `${DAY7}#exercise-72-storage-classes-and-dynamic-provisioning`);
      assert.equal(i, 0, `the Day 7 exercise is not the first result: ${JSON.stringify(found)}`);
      assert.equal(found[0].heading, 'Exercise 7.2: Storage Classes and Dynamic Provisioning');
      assert.deepEqual(found[0].marks, ['Explain', 'lifecycle']);

      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), found[0].href);
      if (found.length > 1) {
        await page.keyboard.press('ArrowDown');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), found[1].href);
        await page.keyboard.press('ArrowUp');
      }
      await page.keyboard.press('ArrowUp');
      assert.equal(await activeId(page), 'search-input', 'ArrowUp from the first result goes back to the box');

      await page.locator(`#search-results a[href="${found[0].href}"]`).click();
      await expectHeadingInView(page, site, DAY7, 'exercise-72-storage-classes-and-dynamic-provisioning');
    },
  ],
  [
    '3. the index is not requested until search opens',
    async (page, site) => {
      await open(page, site.url(DAY2));
      await page.mouse.wheel(0, 600);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.waitForTimeout(300);
      assert.deepEqual(page.indexRequests, [], 'the index was requested before search was opened');
      assert.equal(await page.evaluate(() => typeof window.coursebookSearchIndex), 'undefined');
      assert.equal(requested(page, PANEL), 0, 'the search panel loaded with the page');
      assert.equal(requested(page, SEARCH_WASM), 0, 'the search bundle loaded with the page');
      assert.equal(requested(page, QUIZ_WASM), 1, 'a quiz page loads the quiz bundle');

      await page.locator('#search-input').click();
      await eventually(() => page.indexRequests.length === 1, 'opening search did not request the index');
      assert.ok(page.indexRequests[0].endsWith(`/${INDEX}`), page.indexRequests[0]);
      await page.keyboard.type('etcd');
      assert.ok((await results(page)).length > 0);
      assert.equal(page.indexRequests.length, 1, 'the index was requested more than once');
      assert.equal(requested(page, PANEL), 1);
      assert.equal(requested(page, SEARCH_WASM), 1);
    },
  ],
  [
    '4. / and s open search but are typed normally in a quiz answer; Esc closes',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const answer = page.locator('li.question input.answer-input').first();
      await answer.click();
      await page.keyboard.type('a/s');
      assert.equal(await answer.inputValue(), 'a/s', 'the keys were not typed into the answer');
      assert.ok(await answer.evaluate((el) => el === document.activeElement), 'the answer lost focus');
      assert.ok(!(await page.locator('#search-panel').isVisible()), 'search opened while typing an answer');
      assert.deepEqual(page.indexRequests, []);

      await page.locator('h1').first().click(); // focus back on the page itself
      await page.keyboard.press('s');
      assert.equal(await activeId(page), 'search-input', 's did not focus the search box');
      await page.keyboard.type('quorum');
      assert.ok((await results(page)).length > 0);
      await page.keyboard.press('Escape');
      assert.ok(!(await page.locator('#search-panel').isVisible()), 'Esc did not close the results');
      assert.notEqual(await activeId(page), 'search-input', 'the search box kept the focus after Esc');

      // Modifier keys are the browser's: Ctrl+/ does not open search.
      await page.keyboard.press('Control+/');
      assert.notEqual(await activeId(page), 'search-input');
      await page.keyboard.press('/');
      assert.equal(await activeId(page), 'search-input');
      assert.equal(await page.locator('#search-input').inputValue(), 'quorum', 'the query was lost');
      assert.ok(await page.locator('#search-panel').isVisible(), 'reopening did not show the results');
    },
  ],
  [
    '5. the results come from the wasm query; the page scripts rank nothing',
    async (page, site) => {
      await open(page, site.url(DAY2));
      await page.locator('#search-input').click();
      await page.keyboard.type('etcd');
      await results(page);
      // The query function is the wasm module's: count its calls while the query changes.
      const hooked = await page.evaluate(() => {
        /* global coursebookSearchBindgen */
        if (typeof coursebookSearchBindgen !== 'function') return false;
        const proto = coursebookSearchBindgen.SearchIndex.prototype;
        const search = proto.search;
        window.wasmQueries = [];
        proto.search = function (query, max) {
          window.wasmQueries.push(query);
          return search.call(this, query, max);
        };
        return true;
      });
      assert.ok(hooked, 'the search bundle defines no SearchIndex');
      await page.keyboard.type(' snapsh');
      await eventually(
        () => page.evaluate(() => window.wasmQueries.includes('etcd snapsh')),
        'the query did not run in wasm',
      );
      const found = await results(page);
      assert.ok(found.some((r) => r.marks.some((m) => /^snapshot/i.test(m))), JSON.stringify(found));
      // Neither script of the page does any ranking or tokenising of its own (no BM25 logarithm,
      // no Unicode word pattern, no posting lists).
      for (const rel of ['static/search.js', PANEL]) {
        const source = fs.readFileSync(path.join(fileSite, rel), 'utf8');
        assert.doesNotMatch(source, /Math\.log|\\p\{|\bidf\b|postings/, `${rel} holds query logic`);
      }
    },
  ],
  [
    '6. a page without quizzes loads no bundle until search opens, then only the search one',
    async (page, site) => {
      await open(page, site.url('index.html'));
      assert.equal(await page.locator('li.question, .quiz, .calc').count(), 0, 'the home page has a quiz');
      await page.waitForTimeout(300);
      assert.equal(requested(page, QUIZ_WASM) + requested(page, SEARCH_WASM), 0, page.requests.join('\n'));
      assert.equal(
        await page.evaluate(() => typeof coursebookSearchWasm + ' ' + typeof coursebookWasm),
        'undefined undefined',
      );

      await page.keyboard.press('/');
      await page.keyboard.type('quorum');
      assert.ok((await results(page)).length > 0);
      assert.equal(requested(page, SEARCH_WASM), 1, 'opening search did not load the search bundle');
      assert.equal(requested(page, QUIZ_WASM), 0, 'search loaded the quiz bundle');
    },
  ],
];

for (const site of SITES) {
  describe(`search (${site.name})`, () => {
    beforeEach(() => {
      if (setupError) {
        const e = new Error(`set-up failed: ${setupError.message || setupError}`);
        e.cause = setupError;
        throw e;
      }
    });
    for (const [name, fn] of SCENARIOS) {
      test(name, T, async () => {
        await withSession(browser, { colorScheme: 'light' }, async (s) => fn(await s.newPage(), site));
      });
    }
  });
}
