'use strict';
// What a learner trips over (issue 16), in the shipped course built once without --site-url and
// read from file:// and over http under /course/: search finds words of the lessons' code,
// misspelt words and the teaching section before the quiz questions; every anchor target lands
// below the sticky bar once the page has settled, at 1280 px and 320 px; invalid calculator
// input hides the result and says what to enter beside its field; no page type scrolls sideways
// at 375 px or 320 px; the 404 page works at any depth; the favicon loads; ← and → turn the
// page (not while typing, not with a modifier) and the single-key shortcuts can be turned off;
// the print page's quiz landmarks are unique; an empty submission, a failed import and the
// iptables chain read well, in both themes where colour matters. Run with:
//   COURSEBOOK_BIN=/abs/target/debug/coursebook COURSEBOOK_BOOK=/abs/repo node --test learner.test.js

const assert = require('node:assert/strict');
const { test, describe, before, after } = require('node:test');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  makeTempDir,
  removeDir,
  buildSite,
  startServer,
  launchBrowser,
  withSession,
} = require('./helpers');

const AXE = require.resolve('axe-core');
const T = { timeout: 60_000 };
const THEMES = ['light', 'dark'];
const WIDTHS = [1280, 320];
const LESSON = 'days/etcd.html';
const IPTABLES = 'days/cni-service-networking.html';
const CIDR = 'days/networking-fundamentals.html';

let browser;
let tmp;
let site; // built without --site-url
let server; // serves it under /course/
let setupError;

before(
  async () => {
    try {
      tmp = makeTempDir();
      site = buildSite(path.join(tmp, 'site'));
      server = await startServer(site, '/course/');
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

const SITES = [
  { name: 'file://', url: (rel) => pathToFileURL(path.join(site, rel)).href },
  { name: 'http under /course/', url: (rel) => server.base + rel },
];

/** Runs `fn(page)` in a fresh guarded context `width` px wide with the stored `theme`. */
async function inPage({ width = 1280, theme = 'light', reducedMotion = 'no-preference' } = {}, fn, guards) {
  const options = { viewport: { width, height: 800 }, colorScheme: 'light', reducedMotion };
  await withSession(browser, options, async (s) => {
    await s.context.addInitScript((t) => {
      try {
        localStorage.setItem('coursebook-theme', t);
      } catch {
        /* about:blank has no storage */
      }
    }, theme);
    await fn(await s.newPage());
  }, guards);
}

/** Opens `url` and waits for quiz.js to have wired the page when it has quizzes. */
async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const needsQuiz = await page.evaluate(
    () => !document.body.classList.contains('print-page') &&
      !!document.querySelector('.quiz, .calc, #review, #progress, li.question'),
  );
  if (needsQuiz) await page.locator('html[data-quiz="ready"]').waitFor({ state: 'attached', timeout: 10_000 });
}

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

/** The WCAG contrast ratio of two computed `rgb()` colours. */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// ---------------------------------------------------------------- search

/** Types `query` into the search box and returns the status line and the result links. */
async function search(page, query) {
  await page.locator('#search-input').focus();
  await page.locator('#search-input').fill(query);
  // The status reads "Loading…" (or nothing, or the hint) until the index is in and the query
  // is answered: an answer always counts its results ("No results for …", "1 result.", "N results").
  await eventually(
    () => page.evaluate(() => /result/.test(document.getElementById('search-status').textContent)),
    'the search index did not load',
  );
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    hrefs: Array.from(document.querySelectorAll('#search-results a.search-result'), (a) => a.getAttribute('href')),
  }));
}

describe('search', () => {
  for (const s of SITES) {
    for (const width of WIDTHS) {
      test(`${s.name} at ${width} px: words of the lessons' code, misspellings, the teaching section first`, T, async () => {
        check();
        await inPage({ width }, async (page) => {
          await open(page, s.url(LESSON));
          for (const word of ['netshoot', 'traceroute', 'jsonpath']) {
            const found = await search(page, `${word} `);
            assert.ok(found.hrefs.length > 0, `${word}: ${found.status}`);
          }
          const snapshot = await search(page, 'etcd snapshot ');
          const backup = snapshot.hrefs.findIndex((h) => h.endsWith('etcd.html#exercise-23-backup'));
          assert.ok(backup >= 0 && backup < 3, `Exercise 2.3 is not in the top 3: ${snapshot.hrefs.join(' ')}`);
          const typo = await search(page, 'kuberntes ');
          assert.ok(typo.hrefs.length > 0, typo.status);
          assert.match(typo.status, /“kubernetes” for “kuberntes”/);
          const quorum = await search(page, 'qourum ');
          assert.ok(quorum.hrefs.length > 0, quorum.status);
          const overflow = await page.evaluate(() => {
            const panel = document.getElementById('search-panel').getBoundingClientRect();
            return [panel.left, panel.right, document.documentElement.clientWidth,
              document.documentElement.scrollWidth];
          });
          assert.ok(overflow[0] >= 0 && overflow[1] <= overflow[2], `the panel is cut off: ${overflow}`);
          assert.ok(overflow[3] <= overflow[2], `the page scrolls sideways with search open: ${overflow}`);
        });
      });
    }
  }
});

// ---------------------------------------------------------------- anchors

const TARGETS = ['quiz', 'q-days-etcd-html-etcd-restore-facts', 'exercise-23-backup', 'quorum'];

/** Where `id` sits against the bottom of the sticky bar: [top of target, bottom of bar]. */
function place(page, id) {
  return page.evaluate((target) => [
    document.getElementById(target).getBoundingClientRect().top,
    document.querySelector('header.topbar').getBoundingClientRect().bottom,
  ], id);
}

function assertBelowBar([top, bar], what) {
  assert.ok(top >= bar - 1 && top <= bar + 40, `${what}: its top is at ${top}, the bar ends at ${bar}`);
}

describe('anchor targets land below the sticky bar once the page has settled', () => {
  for (const s of SITES) {
    for (const width of WIDTHS) {
      test(`${s.name} at ${width} px: from a fresh load and from a same-page jump`, T, async () => {
        check();
        // Instant scrolling: the test reads where a jump ends, not the way there.
        await inPage({ width, reducedMotion: 'reduce' }, async (page) => {
          for (const id of TARGETS) {
            await page.goto('about:blank');
            await open(page, `${s.url(LESSON)}#${id}`);
            await page.waitForTimeout(600); // fonts, the last widgets: the page has settled
            assertBelowBar(await place(page, id), `${id} on a fresh load`);
          }
          // Same page: from the last target back to the first, by a link.
          for (const id of TARGETS) {
            await page.evaluate((target) => {
              const a = document.createElement('a');
              a.href = `#${target}`;
              document.getElementById('content').appendChild(a).click();
            }, id);
            await page.waitForTimeout(300);
            assertBelowBar(await place(page, id), `${id} after a same-page jump`);
          }
        });
      });
    }
  }

  test('quiz.js fills no room it did not reserve above a heading or a question', T, async () => {
    check();
    await inPage({}, async (page) => {
      const ids = ['exercise-23-backup', 'quiz', 'q-days-etcd-html-etcd-restore-facts'];
      await page.addInitScript((targets) => {
        document.addEventListener('DOMContentLoaded', () => {
          window.__early = targets.map((id) => document.getElementById(id).getBoundingClientRect().top + window.scrollY);
        });
      }, ids);
      await open(page, SITES[0].url(LESSON));
      const [early, late] = await page.evaluate((targets) => [window.__early,
        targets.map((id) => document.getElementById(id).getBoundingClientRect().top + window.scrollY)], ids);
      ids.forEach((id, i) => {
        assert.ok(Math.abs(early[i] - late[i]) <= 1, `${id} moved from ${early[i]} to ${late[i]} once quiz.js ran`);
      });
    });
  });
});

// ---------------------------------------------------------------- calculators

describe('calculators', () => {
  for (const width of WIDTHS) {
    test(`at ${width} px: invalid input hides the result and says what to enter beside its field`, T, async () => {
      check();
      await inPage({ width }, async (page) => {
        await open(page, SITES[0].url(LESSON));
        const calc = page.locator('div.calc[data-calc="quorum"]');
        const state = () => calc.evaluate((c) => {
          const error = c.querySelector('.calc-error');
          const input = c.querySelector('input[name="members"]');
          const label = input.closest('label');
          return {
            output: !c.querySelector('.calc-output').hidden,
            result: c.querySelector('.calc-output').textContent,
            error: error.hidden ? null : error.textContent,
            besideField: error.previousElementSibling === label,
            invalid: input.getAttribute('aria-invalid'),
            describedBy: input.getAttribute('aria-describedby') === error.id,
          };
        });
        for (const [value, words] of [['100', /from 1 to 99 \(100 is too large\)/], ['1e2', /“1e2” is not one/],
          ['-1', /-1 is too small/], ['', /Enter a whole number from 1 to 99\./]]) {
          await calc.locator('input[name="members"]').fill(value);
          const s = await state();
          assert.equal(s.output, false, `${value}: the old result is still shown: ${s.result}`);
          assert.match(s.error || '', words, `${value}`);
          assert.ok(!/[`=]/.test(s.error), `${value}: ${s.error}`);
          assert.ok(s.besideField && s.invalid === 'true' && s.describedBy, `${value}: ${JSON.stringify(s)}`);
        }
        await calc.locator('input[name="members"]').fill('1');
        const ok = await state();
        assert.ok(ok.output && ok.error === null && ok.invalid === null, JSON.stringify(ok));
        assert.match(ok.result, /With 1 member the quorum is 1/);

        await open(page, SITES[0].url(CIDR));
        const cidr = page.locator('div.calc[data-calc="cidr"]');
        {
          await cidr.locator('input[name="service-cidr"]').fill('10.96.0.0/31');
          const text = await cidr.locator('.calc-output').textContent();
          assert.match(text, /holds no assignable ClusterIP/);
          assert.doesNotMatch(text, /the first,/);
          await cidr.locator('input[name="service-cidr"]').fill('10.244.0.0/33');
          assert.equal(await cidr.locator('.calc-output').isVisible(), false, 'an invalid CIDR keeps the result');
          assert.match(await cidr.locator('.calc-error').textContent(), /Enter a CIDR such as 10\.244\.0\.0\/16/);
        }
      });
    });
  }

  test('simulate with 0 connections shows the error without the old table', T, async () => {
    check();
    await inPage({}, async (page) => {
      await open(page, SITES[0].url(IPTABLES));
      const calc = page.locator('div.calc[data-calc="iptables"]');
      await calc.locator('button.calc-simulate').click();
      assert.ok(await calc.locator('.calc-simulation table').count(), 'the simulation ran');
      await calc.locator('input[name="connections"]').fill('0');
      await calc.locator('button.calc-simulate').click();
      assert.equal(await calc.locator('.calc-simulation table').count(), 0, 'the old table stayed');
      assert.match(await calc.locator('.calc-error').textContent(), /Enter a whole number from 1 to 1000000 \(0 is too small\)/);
      assert.equal(await calc.locator('input[name="connections"]').getAttribute('aria-invalid'), 'true');
    });
  });

  for (const theme of THEMES) {
    for (const width of WIDTHS) {
      test(`the iptables chain (${theme}, ${width} px) shows every --probability, readable`, T, async () => {
        check();
        await inPage({ width, theme }, async (page) => {
          await open(page, SITES[0].url(IPTABLES));
          const r = await page.locator('pre.calc-chain').first().evaluate((pre) => {
            const box = pre.getBoundingClientRect();
            const values = Array.from(pre.querySelectorAll('.chain-word'))
              .filter((w) => w.textContent.startsWith('--probability'))
              .map((w) => w.getBoundingClientRect().right);
            const style = getComputedStyle(pre);
            return { right: box.right, scroll: pre.scrollWidth - pre.clientWidth, values,
              fg: getComputedStyle(pre.querySelector('code')).color, bg: style.backgroundColor };
          });
          assert.ok(r.values.length > 0, 'no --probability in the chain');
          assert.ok(r.scroll <= 1, `the chain scrolls sideways by ${r.scroll} px`);
          assert.ok(r.values.every((v) => v <= r.right), `a --probability is cut off: ${r.values} > ${r.right}`);
          assert.ok(contrast(r.fg, r.bg) >= 4.5, `chain text contrast ${contrast(r.fg, r.bg)}`);
        });
      });
    }
  }
});

// ---------------------------------------------------------------- phones

const PAGE_TYPES = ['index.html', LESSON, IPTABLES, 'days/index.html', 'interview/index.html',
  'interview/etcd-quorum.html', 'lab-setup.html', 'contents.html', 'print.html', 'review.html',
  'progress.html', '404.html'];

describe('phones', () => {
  for (const width of [375, 320]) {
    test(`no page type scrolls sideways at ${width} px, every top-bar control in view`, T, async () => {
      check();
      await inPage({ width }, async (page) => {
        for (const rel of PAGE_TYPES) {
          await open(page, SITES[0].url(rel));
          const r = await page.evaluate(() => {
            const doc = document.documentElement;
            const cut = Array.from(document.querySelectorAll('header.topbar > *, li.question, li.order-step button, div.calc, caption'))
              .filter((el) => {
                const box = el.getBoundingClientRect();
                return box.width > 0 && (box.right > doc.clientWidth + 1 || box.left < -1);
              })
              .map((el) => el.id || el.className || el.tagName);
            return { scroll: doc.scrollWidth, width: doc.clientWidth, cut };
          });
          assert.ok(r.scroll <= r.width, `${rel} scrolls sideways: ${r.scroll} > ${r.width}`);
          assert.deepEqual(r.cut, [], `${rel}: cut off at the right edge`);
        }
      });
    });
  }
});

// ---------------------------------------------------------------- 404 and favicon

describe('the 404 page without --site-url', () => {
  for (const missing of ['missing.html', 'days/missing.html', 'a/b/c/missing.html']) {
    test(`at /course/${missing}: every link works and "Go to the start" opens the home page`, T, async () => {
      check();
      await inPage({}, async (page) => {
        const response = await page.goto(server.base + missing, { waitUntil: 'load' });
        assert.equal(response.status(), 404);
        await eventually(() => page.locator('#sidebar .sidebar-tree a').count(), 'the chapter list was not rendered');
        const links = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)
          .filter((href) => !href.includes('#')));
        assert.ok(links.length > 10, `only ${links.length} links`);
        const broken = [];
        for (const href of links) {
          const r = await fetch(href);
          if (r.status !== 200) broken.push(`${href} (${r.status})`);
        }
        assert.deepEqual(broken, [], 'broken links on the 404 page');
        assert.equal(await page.locator('a.home-link').evaluate((a) => a.href), `${server.base}index.html`);
      }, { ignoreConsole: (msg) => /404 \(Not Found\)/.test(msg.text()) });
    });
  }

  test('every page links a favicon that loads', T, async () => {
    check();
    await inPage({}, async (page) => {
      for (const rel of ['index.html', LESSON]) {
        await page.goto(server.base + rel);
        const href = await page.locator('link[rel="icon"]').evaluate((l) => l.href);
        const r = await fetch(href);
        assert.equal(r.status, 200, `${rel}: ${href}`);
        assert.match(await r.text(), /<svg/);
      }
      await page.goto(server.base + 'days/missing.html');
      assert.match(await page.locator('link[rel="icon"]').getAttribute('href'), /^data:image\/svg\+xml,/);
    }, { ignoreConsole: (msg) => /404 \(Not Found\)/.test(msg.text()) });
  });
});

// ---------------------------------------------------------------- keys

describe('keys', () => {
  for (const s of SITES) {
    test(`${s.name}: ← and → turn the page, not while typing, not with a modifier, not once turned off`, T, async () => {
      check();
      await inPage({}, async (page) => {
        await open(page, s.url(LESSON));
        const next = await page.locator('nav.pager a.next').evaluate((a) => a.href);
        const prev = await page.locator('nav.pager a.prev').evaluate((a) => a.href);
        const here = page.url();

        // Typing in a quiz answer, or a modifier: nothing.
        await page.locator('li.question[data-kind="command"] input.answer-input').first().focus();
        await page.keyboard.press('ArrowRight');
        await page.locator('body').evaluate(() => document.activeElement.blur());
        await page.keyboard.press('Alt+ArrowRight');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.waitForTimeout(300);
        assert.equal(page.url(), here, 'an arrow key in a field or with a modifier turned the page');

        await Promise.all([page.waitForURL(next), page.keyboard.press('ArrowRight')]);
        await page.goto(here);
        await Promise.all([page.waitForURL(prev), page.keyboard.press('ArrowLeft')]);

        // The footer's setting turns every single-key shortcut off, and it is remembered.
        await open(page, s.url(LESSON));
        const toggle = page.locator('#shortcuts-toggle');
        assert.ok(await toggle.isVisible(), 'no visible setting for the shortcuts');
        assert.ok(await toggle.isChecked());
        await toggle.uncheck();
        await eventually(
          () => page.evaluate(() => localStorage.getItem('coursebook-shortcuts') === 'off'),
          'the setting was not stored',
        );
        // Chromium hands a page's localStorage writes to the browser process asynchronously,
        // and a navigation a few milliseconds after the write could lose it: in CI (file://,
        // loaded machine) a reload right after the click showed the old choice for 5 s on end.
        // A learner does not reload within milliseconds of a click: pause as one would, then
        // reload until the stored choice shows; the next chapter must show it too.
        await page.waitForTimeout(1000);
        await eventually(async () => {
          await page.reload({ waitUntil: 'load' });
          return !(await toggle.isChecked());
        }, 'the setting was not kept across a reload');
        const stored = await page.evaluate(() => localStorage.getItem('coursebook-shortcuts'));
        assert.equal(stored, 'off', 'the stored choice after a reload');
        await open(page, next);
        assert.equal(await toggle.isChecked(), false, 'the setting was not kept on the next chapter');
        await open(page, here);
        await page.locator('body').evaluate(() => document.activeElement.blur());
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('/');
        await page.keyboard.press('s');
        await page.waitForTimeout(300);
        assert.equal(page.url(), here, '→ turned the page with the shortcuts off');
        assert.notEqual(await page.evaluate(() => document.activeElement.id), 'search-input', '/ opened search');
      });
    });
  }
});

// ---------------------------------------------------------------- small things

describe('small things', () => {
  test("axe's landmark-unique passes on the print page", T, async () => {
    check();
    await inPage({}, async (page) => {
      await open(page, SITES[0].url('print.html'));
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'rule', values: ['landmark-unique'] }, preload: false,
      }));
      assert.deepEqual(result.violations.map((v) => v.nodes.map((n) => n.target.join(' '))), []);
      assert.ok(result.passes.length > 0, 'the rule did not run');
    });
  });

  for (const theme of THEMES) {
    for (const width of WIDTHS) {
      test(`an empty submission and a failed import (${theme}, ${width} px)`, T, async () => {
        check();
        await inPage({ width, theme }, async (page) => {
          await open(page, SITES[0].url(LESSON));
          const question = page.locator('li.question[data-kind="single"]').first();
          await question.locator('button.check').click();
          assert.equal(await question.locator('.verdict-title').textContent(), 'No answer yet.');
          assert.equal(await question.getAttribute('data-state'), null);

          await open(page, SITES[0].url('progress.html'));
          await page.locator('input.progress-import').setInputFiles({
            name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from('not json'),
          });
          const message = page.locator('p.progress-message');
          await eventually(() => message.evaluate((p) => p.classList.contains('progress-error')), 'no error style');
          const r = await message.evaluate((p) => {
            const style = getComputedStyle(p);
            const box = p.getBoundingClientRect();
            return { fg: style.color, bg: style.backgroundColor, border: style.borderLeftWidth,
              text: p.textContent, right: box.right, width: document.documentElement.clientWidth,
              page: getComputedStyle(document.body).backgroundColor };
          });
          assert.match(r.text, /^Import failed: /);
          assert.notEqual(r.bg, r.page, 'the error looks like any other message');
          assert.ok(parseFloat(r.border) >= 3, `border ${r.border}`);
          assert.ok(contrast(r.fg, r.bg) >= 4.5, `error text contrast ${contrast(r.fg, r.bg)}`);
          assert.ok(r.right <= r.width, 'the error is cut off');
        });
      });
    }
  }
});
