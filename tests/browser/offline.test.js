'use strict';
// Headless-browser tests of offline reading: the service worker `sw.js` that the build writes
// (registered by theme/offline.js over http) and the whole site as a zip for file://.
// (a) a first visit over http under /course/ caches the complete build: with the server stopped,
//     a lesson never displayed before still loads;
// (b) after a rebuild with changed content, the next visit gets the new build, and every state
//     the page is seen in has its text, CSS and JS from one build;
// (c) turning `service-worker` off removes the worker from browsers that installed it;
// (d) the zip unpacks to a site whose quiz works from file://.
// (a), (b) and (c) build a copy of tests/fixtures/basic whose theme marks each build in book.css
// and book.js; (d) builds the shipped course. Run with:
//   COURSEBOOK_BIN=/abs/target/debug/coursebook COURSEBOOK_BOOK=/abs/repo node --test offline.test.js

const assert = require('node:assert/strict');
const { test, before, after, beforeEach } = require('node:test');
const { spawnSync } = require('node:child_process');
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
const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'basic');
const THEME = path.resolve(__dirname, '..', '..', 'theme');
const LESSON = 'days/first.html'; // holds the paragraph naming its build
const UNSEEN = 'days/second.html';

let browser;
let tmp;
let unzipped; // the course's zip, extracted
let setupError;
const servers = [];

before(
  async () => {
    try {
      tmp = makeTempDir();
      const site = buildSite(path.join(tmp, 'course'));
      const zips = fs.readdirSync(site).filter((f) => f.endsWith('.zip'));
      assert.equal(zips.length, 1, `expected one zip at the site root, got ${zips}`);
      unzipped = path.join(tmp, 'unzipped');
      extract(path.join(site, zips[0]), unzipped);
      browser = await launchBrowser();
    } catch (err) {
      setupError = err;
    }
  },
  { timeout: BUILD_TIMEOUT },
);

after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await s.close();
  removeDir(tmp);
});

beforeEach(() => {
  if (setupError) {
    const e = new Error(`set-up failed: ${setupError.message || setupError}`);
    e.cause = setupError;
    throw e;
  }
});

/** Extracts `zip` into `dir` with unzip, or Python's zipfile where unzip is missing. */
function extract(zip, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const hasUnzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;
  const [cmd, args] = hasUnzip
    ? ['unzip', ['-q', zip, '-d', dir]]
    : ['python3', ['-m', 'zipfile', '-e', zip, dir]];
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (res.error || res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${res.error ? res.error.message : res.stderr}`);
  }
}

/** A copy of the basic fixture in a fresh folder, marked as build `mark`. */
function fixtureBook(name) {
  const book = path.join(tmp, name, 'book');
  fs.cpSync(FIXTURE, book, { recursive: true });
  return book;
}

/**
 * Marks `book` as build `mark`: the lesson says so in a paragraph, book.css in a custom
 * property and book.js in a global (both are the built-in theme's files plus the mark).
 */
function markBuild(book, mark) {
  const theme = path.join(book, 'theme');
  fs.mkdirSync(theme, { recursive: true });
  const css = fs.readFileSync(path.join(THEME, 'book.css'), 'utf8');
  fs.writeFileSync(path.join(theme, 'book.css'), `${css}\n:root { --build-mark: "${mark}"; }\n`);
  const js = fs.readFileSync(path.join(THEME, 'book.js'), 'utf8');
  fs.writeFileSync(path.join(theme, 'book.js'), `${js}\nwindow.buildMark = '${mark}';\n`);
  const lesson = path.join(book, 'content', '01-days', '01-first.md');
  const text = fs.readFileSync(lesson, 'utf8').replace(/\n\nThis lesson belongs to build \w+\.\n$/, '');
  fs.writeFileSync(lesson, `${text}\n\nThis lesson belongs to build ${mark}.\n`);
}

/** Serves `root` under /course/ (on `port` when given) and remembers to stop it. */
async function serve(root, port = 0) {
  const server = await startServer(root, '/course/', port);
  servers.push(server);
  return server;
}

/** The version in a built site's sw.js. */
function versionOf(site) {
  const sw = fs.readFileSync(path.join(site, 'sw.js'), 'utf8');
  return JSON.parse(/^const BUILD = (.*);$/m.exec(sw)[1]).version;
}

/** Waits until a service worker controls `page`; returns its script URL and scope. */
async function waitControlled(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return { script: navigator.serviceWorker.controller.scriptURL, scope: registration.scope };
  });
}

/**
 * Which build the page shows: the lesson's paragraph, book.css's and book.js's marks, read
 * only once the page has loaded completely; null while it is loading or navigating.
 */
async function shownBuild(page) {
  try {
    return await page.evaluate(() => {
      if (document.readyState !== 'complete') return null;
      const text = /belongs to build (\w+)/.exec(document.body.textContent);
      const css = getComputedStyle(document.documentElement).getPropertyValue('--build-mark');
      return {
        url: location.href,
        text: text ? text[1] : null,
        css: css.trim().replace(/"/g, '') || null,
        js: window.buildMark || null,
      };
    });
  } catch {
    return null; // the execution context went away: the page is reloading
  }
}

/** The console error of the page that is missing on purpose. */
function expected404(msg) {
  return /the server responded with a status of 404/.test(msg.text());
}

test('a first visit over http caches the whole build: with the server stopped, an unseen lesson loads', T, async () => {
  const book = fixtureBook('a');
  markBuild(book, 'A');
  const root = path.join(tmp, 'a', 'site');
  const server = await serve(root);
  buildSite(root, server.base, book);

  await withSession(
    browser,
    {},
    async (s) => {
      const page = await s.newPage();
      await page.goto(server.base + 'index.html');
      const { script, scope } = await waitControlled(page);
      assert.equal(script, server.base + 'sw.js', 'the worker is the site root\'s sw.js');
      assert.equal(scope, server.base, 'the worker\'s scope is the site root');
      const caches = await page.evaluate(() => caches.keys());
      assert.deepEqual(caches, [`coursebook ${server.base} ${versionOf(root)}`], 'one cache, named by the version');

      await server.close();
      await assert.rejects(fetch(server.base + 'index.html'), 'the server still answers');

      await page.goto(server.base + UNSEEN);
      assert.equal(await page.locator('h1.chapter-title').textContent(), 'Day 2: Second steps');
      assert.deepEqual(
        await shownBuild(page),
        { url: server.base + UNSEEN, text: null, css: 'A', js: 'A' },
        'the lesson\'s CSS and JS come from the cache',
      );
      await page.locator('a.prev[rel=prev]').click();
      await page.waitForURL(server.base + LESSON);
      assert.deepEqual(await shownBuild(page), { url: server.base + LESSON, text: 'A', css: 'A', js: 'A' });
      await page.goto(server.base + 'days/');
      assert.match(await page.title(), /^The days/, 'a folder URL is its index.html');

      const missing = await page.goto(server.base + 'no-such-page.html');
      assert.equal(missing.status(), 404, 'a page outside the build answers the cached 404 page');
      assert.match(await page.locator('h1').first().textContent(), /Page not found/);
    },
    { ignoreConsole: expected404 },
  );
});

test('after a rebuild the next visit gets the new build, never a mix of two', T, async () => {
  const book = fixtureBook('b');
  markBuild(book, 'A');
  const root = path.join(tmp, 'b', 'site');
  let server = await serve(root);
  buildSite(root, server.base, book);
  const first = versionOf(root);

  await withSession(browser, {}, async (s) => {
    const page = await s.newPage();
    const seen = []; // every state the page was seen in: each loaded document, and polls
    const record = async () => {
      const shown = await shownBuild(page);
      if (shown) seen.push(shown);
      return shown;
    };
    page.on('load', () => record());
    await page.goto(server.base + LESSON);
    await waitControlled(page);
    assert.equal((await record()).text, 'A');

    // A new build is published: changed text, CSS and JS, served again at the same origin.
    await server.close();
    markBuild(book, 'B');
    buildSite(root, server.base, book);
    const second = versionOf(root);
    assert.notEqual(second, first, 'the content changed but the version did not');
    server = await serve(root, server.port);

    // The next visit: the worker of build A answers at once, the new worker installs in the
    // background, takes over, and the page reloads into build B.
    await page.goto(server.base + LESSON);
    const end = Date.now() + 20_000;
    for (;;) {
      const shown = await record();
      if (shown && shown.text === 'B') break;
      assert.ok(Date.now() < end, `build B never showed; last seen: ${JSON.stringify(seen.slice(-3))}`);
      await page.waitForTimeout(50);
    }
    const caches = await page.evaluate(() => caches.keys());
    assert.deepEqual(caches, [`coursebook ${server.base} ${second}`], 'the old build\'s cache is deleted');

    // Every later page, online or not, is build B.
    await page.goto(server.base + UNSEEN);
    assert.deepEqual(await record(), { url: server.base + UNSEEN, text: null, css: 'B', js: 'B' });
    await server.close();
    await page.goto(server.base + LESSON);
    assert.deepEqual(await record(), { url: server.base + LESSON, text: 'B', css: 'B', js: 'B' });

    const mixes = seen.filter((v) => v.css !== v.js || (v.url.endsWith(LESSON) && v.text !== v.css));
    assert.deepEqual(mixes, [], 'a page showed parts of two builds');
    assert.ok(seen.some((v) => v.text === 'A') && seen.some((v) => v.text === 'B'));
  });
});

test('turning the service worker off in book.toml removes it from browsers that installed it', T, async () => {
  const book = fixtureBook('off');
  markBuild(book, 'A');
  const root = path.join(tmp, 'off', 'site');
  const server = await serve(root);
  buildSite(root, server.base, book);

  await withSession(browser, {}, async (s) => {
    const page = await s.newPage();
    await page.goto(server.base + LESSON);
    await waitControlled(page);

    fs.appendFileSync(path.join(book, 'book.toml'), '\n[build]\nservice-worker = false\n');
    markBuild(book, 'B');
    buildSite(root, server.base, book);

    // The next visit: the old worker answers from its cache, the browser fetches sw.js (now a
    // worker that deletes the caches and unregisters itself), and the page reloads from the
    // network.
    await page.goto(server.base + LESSON);
    const end = Date.now() + 20_000;
    let shown;
    while (!((shown = await shownBuild(page)) && shown.text === 'B')) {
      assert.ok(Date.now() < end, `build B never showed; last seen: ${JSON.stringify(shown)}`);
      await page.waitForTimeout(50);
    }
    assert.deepEqual(shown, { url: server.base + LESSON, text: 'B', css: 'B', js: 'B' });
    const left = async () =>
      page.evaluate(async () => ({
        registrations: (await navigator.serviceWorker.getRegistrations()).length,
        caches: await caches.keys(),
      }));
    const end2 = Date.now() + 10_000;
    let state;
    while ((state = await left()).registrations || state.caches.length) {
      assert.ok(Date.now() < end2, `the old worker is still there: ${JSON.stringify(state)}`);
      await page.waitForTimeout(50);
    }
    await page.reload();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, 'a worker controls the page');
  });
});

test('the zip unpacks to a site whose quiz works from file://', T, async () => {
  const folders = fs.readdirSync(unzipped);
  assert.equal(folders.length, 1, `the zip holds one folder, got ${folders}`);
  const site = path.join(unzipped, folders[0]);
  assert.ok(fs.existsSync(path.join(site, 'index.html')), 'no index.html in the zip');
  assert.ok(!fs.existsSync(path.join(site, 'sw.js')), 'the zip holds sw.js, useless from file://');

  await withSession(browser, {}, async (s) => {
    const page = await s.newPage();
    await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
    assert.equal(await page.locator('.offline-download').count(), 1, 'the home page offers the download');
    assert.ok(!(await page.locator('.offline-download').isVisible()), 'the downloaded copy offers the download again');

    await page.goto(pathToFileURL(path.join(site, 'days', 'etcd.html')).href);
    await page.locator('html[data-quiz="ready"]').waitFor({ state: 'attached', timeout: 10_000 });
    const li = page.locator('li.question[data-kind="single"]').first();
    const { correct } = JSON.parse(await li.locator('script.answer-key').textContent());
    await li.locator(`.option[data-index="${correct}"] input`).check();
    await li.locator('button.check').click();
    await page.waitForFunction(
      (el) => /Correct/.test(el.textContent),
      await li.locator('.verdict').elementHandle(),
    );
    assert.equal(await li.getAttribute('data-state'), 'correct');
    const book = await page.evaluate(() => document.body.getAttribute('data-book'));
    const saved = await page.evaluate((k) => localStorage.getItem(k), `coursebook-progress:${book}`);
    assert.ok(saved && JSON.parse(saved).items, 'the answer was not saved as progress');
  });
});
