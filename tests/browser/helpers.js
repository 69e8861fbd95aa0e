'use strict';
// Shared helpers for the headless-browser tests: building the site with the
// coursebook binary, a tiny GitHub-Pages-like static server, launching the
// system Chromium, and per-context guards (console errors, page errors and
// requests to any host other than 127.0.0.1).

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Per-action timeout; every test also has a 30 s overall timeout. */
const ACTION_TIMEOUT = 15_000;
const TEST_TIMEOUT = 30_000;

/** Absolute path of the coursebook binary (env COURSEBOOK_BIN), or a clear failure. */
function coursebookBin() {
  const bin = process.env.COURSEBOOK_BIN;
  if (!bin) {
    throw new Error(
      'COURSEBOOK_BIN is not set: point it at the built generator, e.g. ' +
        'COURSEBOOK_BIN=$PWD/../../target/release/coursebook COURSEBOOK_BOOK=$PWD/../.. node --test',
    );
  }
  if (!path.isAbsolute(bin)) throw new Error(`COURSEBOOK_BIN must be an absolute path, got ${bin}`);
  if (!fs.existsSync(bin)) throw new Error(`COURSEBOOK_BIN=${bin} does not exist`);
  return bin;
}

/** Absolute path of the book to build (env COURSEBOOK_BOOK, default: the repository root). */
function coursebookBook() {
  const book = process.env.COURSEBOOK_BOOK || path.resolve(__dirname, '..', '..');
  if (!path.isAbsolute(book)) throw new Error(`COURSEBOOK_BOOK must be an absolute path, got ${book}`);
  if (!fs.existsSync(path.join(book, 'book.toml'))) {
    throw new Error(`COURSEBOOK_BOOK=${book} has no book.toml`);
  }
  return book;
}

/** A fresh temporary directory. */
function makeTempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'coursebook-browser-'));
}

function removeDir(dir) {
  if (dir && !process.env.COURSEBOOK_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `$COURSEBOOK_BIN build $COURSEBOOK_BOOK --dest-dir <destDir> [--site-url <siteUrl>]`
 * (or builds `book` instead) and fails with its output if it does not exit 0.
 */
function buildSite(destDir, siteUrl, book = coursebookBook()) {
  const bin = coursebookBin();
  const args = ['build', book, '--dest-dir', destDir];
  if (siteUrl) args.push('--site-url', siteUrl);
  const res = spawnSync(bin, args, { encoding: 'utf8', timeout: 120_000 });
  if (res.error) throw new Error(`running ${bin} ${args.join(' ')} failed: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} exited with ${res.status ?? res.signal}\n` +
        `stdout:\n${res.stdout}\nstderr:\n${res.stderr}`,
    );
  }
  assert.ok(
    fs.existsSync(path.join(destDir, 'index.html')),
    `the build into ${destDir} produced no index.html`,
  );
  return destDir;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * Starts a static server on 127.0.0.1 (port 0) that behaves like GitHub Pages for a
 * project site: `root` is served under `prefix` only (e.g. /course/), directory URLs
 * resolve to index.html (a directory without its trailing slash is redirected), `..`
 * is refused, and any missing path answers 404 with the body of `<root>/404.html`
 * (read per request, so the site may be (re)built after the server started).
 * Resolves to { server, port, origin, base, close() } where base = origin + prefix.
 * `port` 0 picks a free port; pass a previous server's port to serve again at the same origin
 * (service workers and storage belong to an origin).
 */
async function startServer(root, prefix = '/course/', port = 0) {
  const absRoot = path.resolve(root);

  function send(req, res, status, body, type, extraHeaders = {}) {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(req, res) {
    const page = path.join(absRoot, '404.html');
    if (fs.existsSync(page)) send(req, res, 404, fs.readFileSync(page), CONTENT_TYPES['.html']);
    else send(req, res, 404, 'Not Found (the site has no 404.html)\n', CONTENT_TYPES['.txt']);
  }

  const server = http.createServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(req, res, 405, 'Method Not Allowed\n', CONTENT_TYPES['.txt'], { Allow: 'GET, HEAD' });
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(req, res, 400, 'Bad Request\n', CONTENT_TYPES['.txt']);
      }
      if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) {
        return send(req, res, 400, 'Bad Request\n', CONTENT_TYPES['.txt']);
      }
      if (pathname + '/' === prefix) {
        return send(req, res, 301, '', CONTENT_TYPES['.txt'], { Location: prefix + url.search });
      }
      if (!pathname.startsWith(prefix)) return notFound(req, res);

      const rel = pathname.slice(prefix.length);
      let file = path.join(absRoot, rel);
      if (file !== absRoot && !file.startsWith(absRoot + path.sep)) {
        return send(req, res, 400, 'Bad Request\n', CONTENT_TYPES['.txt']);
      }
      let stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat && stat.isDirectory()) {
        if (!pathname.endsWith('/')) {
          return send(req, res, 301, '', CONTENT_TYPES['.txt'], { Location: pathname + '/' + url.search });
        }
        file = path.join(file, 'index.html');
        stat = fs.statSync(file, { throwIfNoEntry: false });
      }
      if (!stat || !stat.isFile()) return notFound(req, res);
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      return send(req, res, 200, fs.readFileSync(file), type);
    } catch (err) {
      return send(req, res, 500, `Internal Server Error: ${err.message}\n`, CONTENT_TYPES['.txt']);
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    port: server.address().port,
    origin,
    base: origin + prefix,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** Launches Debian's Chromium (env CHROMIUM or /usr/bin/chromium); never downloads a browser. */
async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** True for URLs the tests may load: local files, inline data, and 127.0.0.1 only. */
function isAllowedUrl(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (['file:', 'data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') {
    return u.hostname === '127.0.0.1';
  }
  return false;
}

/**
 * Opens a browser context with guards:
 * - every `console` message of type error and every `pageerror` on every page is recorded;
 * - every request to a host other than 127.0.0.1 is aborted and recorded.
 * `ignoreConsole(msg)` may excuse expected console errors (e.g. the deliberate 404).
 * Returns { context, newPage(), errors, foreign, assertClean(), close() }.
 */
async function openSession(browser, options = {}, { ignoreConsole } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  const errors = [];
  const foreign = [];

  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isAllowedUrl(url)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    const url = req.url();
    if (!isAllowedUrl(url) && !foreign.includes(url)) foreign.push(url);
  });

  const watched = new WeakSet();
  const watch = (page) => {
    if (watched.has(page)) return;
    watched.add(page);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      if (ignoreConsole && ignoreConsole(msg)) return;
      const loc = msg.location();
      errors.push(`console.error on ${page.url()}: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    });
    page.on('pageerror', (err) => {
      errors.push(`pageerror on ${page.url()}: ${err && err.stack ? err.stack : err}`);
    });
  };
  context.on('page', watch);

  return {
    context,
    errors,
    foreign,
    async newPage() {
      const page = await context.newPage();
      watch(page);
      return page;
    },
    assertClean() {
      assert.deepEqual(foreign, [], `requests to hosts other than 127.0.0.1:\n${foreign.join('\n')}`);
      assert.deepEqual(errors, [], `console errors / page errors:\n${errors.join('\n')}`);
    },
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/**
 * Runs `fn(session)` in a fresh guarded context, then asserts that no console error,
 * page error or foreign request happened. If `fn` throws, the recorded errors are
 * appended to its message to help diagnosis.
 */
async function withSession(browser, options, fn, guards) {
  const session = await openSession(browser, options, guards);
  try {
    try {
      await fn(session);
    } catch (err) {
      const extra = [...session.errors, ...session.foreign.map((u) => `foreign request: ${u}`)];
      if (extra.length && err && typeof err.message === 'string') {
        err.message += `\n(also recorded during this test:\n${extra.join('\n')})`;
      }
      throw err;
    }
    session.assertClean();
  } finally {
    await session.close();
  }
}

/** Clicks `locator` (a link) and waits for the page to have navigated away from its current URL and loaded. */
async function clickAndWaitForNavigation(page, locator) {
  const before = page.url();
  await Promise.all([
    page.waitForURL((u) => u.href !== before, { waitUntil: 'load' }),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
}

module.exports = {
  ACTION_TIMEOUT,
  TEST_TIMEOUT,
  CONTENT_TYPES,
  coursebookBin,
  coursebookBook,
  makeTempDir,
  removeDir,
  buildSite,
  startServer,
  launchBrowser,
  isAllowedUrl,
  openSession,
  withSession,
  clickAndWaitForNavigation,
};
