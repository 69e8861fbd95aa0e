'use strict';
// Headless-browser test of `coursebook serve`: an open tab reloads by itself after a chapter is
// saved, shows a failed rebuild's error over the page, and clears it when the chapter is fixed;
// a stylesheet edit is swapped in without a reload. The server runs on 127.0.0.1 over a copy
// of the fixture book tests/fixtures/basic.

const assert = require('node:assert/strict');
const { test, describe, before, after } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { TEST_TIMEOUT, makeTempDir, removeDir, launchBrowser, withSession } = require('./helpers');

const T = { timeout: TEST_TIMEOUT };
const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.COURSEBOOK_BIN || path.join(REPO, 'target', 'debug', 'coursebook');

let browser;
let tmp;
let book;
let server;
let base;

function startServe(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--port', '0', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      // Served at once; ready when every page and the search index are made.
      const m = /Serving at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m && out.includes('Rendered every page and the search index')) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

describe('coursebook serve in Chromium', () => {
  before(async () => {
    tmp = makeTempDir();
    book = path.join(tmp, 'book');
    copyDir(path.join(REPO, 'tests', 'fixtures', 'basic'), book);
    fs.mkdirSync(path.join(book, 'theme'));
    fs.writeFileSync(path.join(book, 'theme', 'extra.css'), 'html body main p { color: rgb(1, 2, 3) !important; }\n');
    server = await startServe(book);
    base = server.url;
    browser = await launchBrowser();
  }, { timeout: 120_000 });

  after(async () => {
    if (browser) await browser.close();
    if (server) server.child.kill();
    if (tmp) removeDir(tmp);
  });

  test('a saved chapter reloads the open tab, errors show over the page, and clear', T, async () => {
    await withSession(browser, {}, async (session) => {
      const page = await session.newPage();
      await page.goto(`${base}days/first.html`);
      await page.evaluate(() => { window.__sameDocument = true; });
      const file = path.join(book, 'content', '01-days', '01-first.md');
      const original = fs.readFileSync(file, 'utf8');

      fs.writeFileSync(file, `${original}\nThis line was saved while the tab was open.\n`);
      await page.waitForFunction(() => document.body.textContent.includes('saved while the tab was open'));
      assert.equal(await page.evaluate(() => window.__sameDocument), undefined, 'the tab reloaded');

      fs.writeFileSync(file, '+++\ntitle = \n+++\nBroken\n');
      const overlay = page.locator('#coursebook-error-overlay');
      await overlay.waitFor();
      assert.match(await overlay.textContent(), /invalid front matter/);
      assert.match(await page.textContent('main'), /saved while the tab was open/, 'the last good page stays');

      fs.writeFileSync(file, `${original}\nFixed.\n`);
      await page.waitForFunction(() => document.body.textContent.includes('Fixed.'));
      assert.equal(await overlay.count(), 0, 'the overlay is gone');
    });
  });

  test('a stylesheet edit is swapped in without reloading the page', T, async () => {
    await withSession(browser, {}, async (session) => {
      const page = await session.newPage();
      await page.goto(`${base}days/first.html`);
      // The book's extra.css is copied to static/; link it the way a theme would.
      await page.evaluate((href) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        document.head.appendChild(link);
        window.__sameDocument = true;
      }, `${base}static/extra.css`);
      await page.waitForFunction(() => getComputedStyle(document.querySelector('main p')).color === 'rgb(1, 2, 3)');
      fs.writeFileSync(path.join(book, 'theme', 'extra.css'), 'html body main p { color: rgb(4, 5, 6) !important; }\n');
      await page.waitForFunction(() => getComputedStyle(document.querySelector('main p')).color === 'rgb(4, 5, 6)');
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    });
  });
});
