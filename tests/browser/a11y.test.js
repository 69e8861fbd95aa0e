'use strict';
// Accessibility of the built course: axe-core (the npm package, injected into each page) must
// report no serious or critical violation on any page type — a lesson, an interview question,
// the Review, Progress and Print pages, a lesson with search open and a lesson after a wrong quiz
// answer — in the light and the dark theme. Plus what axe cannot judge on its own: the skip link
// moves focus to <main>, every tab stop shows a visible focus indicator, the landmarks exist, and
// the single-key shortcuts (`/` and `s` open search) never fire while typing in a form field.
// Everything runs from file:// and over http under /course/, each test in a fresh browser
// context that fails on any console error, page error or request to another host. Run with:
//   COURSEBOOK_BIN=/abs/target/debug/coursebook COURSEBOOK_BOOK=/abs/repo node --test a11y.test.js

const assert = require('node:assert/strict');
const { test, describe, before, after, beforeEach } = require('node:test');
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

const AXE = require.resolve('axe-core');
const BUILD_TIMEOUT = 180_000;
const T = { timeout: TEST_TIMEOUT };
const SLOW_T = { timeout: 60_000 }; // axe over the print page, a focus walk: several seconds
const THEMES = ['light', 'dark'];
const BLOCKING = new Set(['serious', 'critical']);

const LESSON = 'days/etcd.html';
const INTERVIEW = 'interview/etcd-quorum.html';
const PAGE_TYPES = [
  ['a lesson', LESSON],
  ['an interview question', INTERVIEW],
  ['the Review page', 'review.html'],
  ['the Progress page', 'progress.html'],
  ['the Print page', 'print.html'],
];

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

/**
 * Runs `fn(page)` in a fresh guarded context whose stored theme is `theme` (set in localStorage
 * before every page load, as the toggle would), on a system that prefers light.
 */
async function inTheme(theme, fn) {
  await withSession(browser, { colorScheme: 'light' }, async (s) => {
    await s.context.addInitScript((t) => {
      try {
        localStorage.setItem('coursebook-theme', t);
      } catch {
        /* about:blank has no storage */
      }
    }, theme);
    await fn(await s.newPage());
  });
}

/** Opens `url`, waits until the page scripts are done (quiz.js wired its widgets) and settled. */
async function open(page, url, theme) {
  await page.goto(url, { waitUntil: 'load' });
  const needsQuiz = await page.evaluate(
    () => !document.body.classList.contains('print-page') &&
      !!document.querySelector('.quiz, .calc, #review, #progress, li.question'),
  );
  if (needsQuiz) {
    await page.locator('html[data-quiz="ready"]').waitFor({ state: 'attached', timeout: 10_000 });
  }
  await settle(page);
  if (theme) {
    assert.equal(
      await page.evaluate(() => document.documentElement.dataset.theme),
      theme,
      `${url} is not in the ${theme} theme`,
    );
  }
}

/** Two animation frames: book.js's deferred updates (scrollable regions) have run. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

function describeViolation(v) {
  const nodes = v.nodes.slice(0, 8).map((n) => `    ${n.target.join(' ')}\n      ${n.summary}`);
  if (v.nodes.length > 8) nodes.push(`    … and ${v.nodes.length - 8} more`);
  return `- ${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n${nodes.join('\n')}`;
}

/**
 * Injects axe-core into `page`, runs it over the whole document and asserts that no violation
 * is serious or critical; the others are reported as test diagnostics.
 */
async function assertNoSeriousViolations(t, page, what) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // preload: false — axe would otherwise fetch the stylesheets itself, which file:// refuses.
    const r = await window.axe.run(document, { resultTypes: ['violations'], preload: false });
    return {
      passes: r.passes.map((p) => p.id),
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String),
          summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim().slice(0, 300),
        })),
      })),
    };
  });
  const blocking = result.violations.filter((v) => BLOCKING.has(v.impact));
  const minor = result.violations.filter((v) => !BLOCKING.has(v.impact));
  for (const v of minor) t.diagnostic(`${what}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}`);
  assert.deepEqual(
    blocking.map((v) => `${v.id} (${v.impact})`),
    [],
    `${what} (${page.url()}): ${blocking.length} serious/critical axe-core violation(s):\n` +
      blocking.map(describeViolation).join('\n'),
  );
  // The run was real: it looked at text contrast (nothing was hidden from it).
  assert.ok(result.passes.includes('color-contrast'), `${what}: axe checked no text contrast`);
}

/** A single-choice question with per-option feedback, and one of its wrong options. */
async function singleQuestionWithFeedback(page) {
  const found = await page.$$eval('li.question[data-kind="single"]', (lis) => {
    for (const li of lis) {
      const key = JSON.parse(li.querySelector('script.answer-key').textContent);
      const wrong = [...li.querySelectorAll('.option')]
        .filter((o) => o.querySelector('.option-feedback'))
        .map((o) => Number(o.getAttribute('data-index')))
        .find((i) => i !== key.correct);
      if (wrong !== undefined) return { key: li.getAttribute('data-key'), wrong };
    }
    return null;
  });
  assert.ok(found, `no single-choice question with feedback on a wrong option on ${page.url()}`);
  return { li: page.locator(`li.question[data-key="${found.key}"]`), wrong: found.wrong };
}

/** Opens search from the box and types `query` until results show. */
async function openSearch(page, query) {
  const input = page.locator('#search-input');
  assert.equal(await input.count(), 1, 'the page has no search box (#search-input)');
  await input.waitFor({ state: 'visible' }); // search.js un-hides div#search
  await input.focus();
  await page.keyboard.type(query);
  await page.locator('#search-results a.search-result').first().waitFor({ state: 'visible' });
}

// ---------------------------------------------------------------- axe on every page type

for (const site of SITES) {
  describe(`axe-core, no serious or critical violations (${site.name})`, () => {
    beforeEach(() => {
      if (setupError) {
        const e = new Error(`set-up failed: ${setupError.message || setupError}`);
        e.cause = setupError;
        throw e;
      }
    });

    for (const theme of THEMES) {
      for (const [what, rel] of PAGE_TYPES) {
        test(`${what} (${rel}), ${theme} theme`, SLOW_T, async (t) => {
          await inTheme(theme, async (page) => {
            await open(page, site.url(rel), theme);
            await assertNoSeriousViolations(t, page, `${what}, ${theme}`);
          });
        });
      }

      test(`a lesson on a phone-sized screen (code blocks scroll), ${theme} theme`, SLOW_T, async (t) => {
        await inTheme(theme, async (page) => {
          await page.setViewportSize({ width: 375, height: 740 });
          await open(page, site.url(LESSON), theme);
          assert.ok(await page.locator('main pre[tabindex="0"]').count() > 0,
            'no scrolling code block was made focusable at 375 px');
          await assertNoSeriousViolations(t, page, `a lesson at 375 px, ${theme}`);
        });
      });

      test(`a lesson with search open and results shown, ${theme} theme`, SLOW_T, async (t) => {
        await inTheme(theme, async (page) => {
          await open(page, site.url(LESSON), theme);
          await openSearch(page, 'quorum');
          await assertNoSeriousViolations(t, page, `search results, focus in the box, ${theme}`);
          await page.keyboard.press('ArrowDown'); // the first result takes focus
          await eventually(
            () => page.evaluate(() => document.activeElement.matches('a.search-result')),
            'ArrowDown did not move focus to the first result',
          );
          assert.ok(await page.locator('#search-panel').isVisible(), 'the results closed');
          await assertNoSeriousViolations(t, page, `search results, focus on a result, ${theme}`);
        });
      });

      test(`a lesson after wrong quiz answers (feedback shown), ${theme} theme`, SLOW_T, async (t) => {
        await inTheme(theme, async (page) => {
          await open(page, site.url(LESSON), theme);
          const q = await singleQuestionWithFeedback(page);
          await q.li.locator(`.option[data-index="${q.wrong}"] input`).check();
          await q.li.locator('button.check').click();
          await eventually(async () => (await q.li.getAttribute('data-state')) === 'wrong', 'no wrong verdict');
          assert.ok(await q.li.locator(`.option[data-index="${q.wrong}"] .option-feedback`).isVisible(),
            'the wrong option\'s feedback is not visible');
          assert.ok(await q.li.locator('.explanation').isVisible(), 'the explanation is not visible');
          // A wrong command too: its verdict lists what is off.
          const cmd = page.locator('li.question[data-kind="command"]').first();
          await cmd.locator('input.answer-input').fill('etcdctl get /nothing');
          await cmd.locator('button.check').click();
          await eventually(async () => (await cmd.getAttribute('data-state')) === 'wrong', 'no wrong command verdict');
          await settle(page);
          await assertNoSeriousViolations(t, page, `quiz feedback, ${theme}`);
        });
      });
    }
  });

  // -------------------------------------------------------------- keyboard and structure

  describe(`keyboard and landmarks (${site.name})`, () => {
    beforeEach(() => {
      if (setupError) throw new Error(`set-up failed: ${setupError.message || setupError}`);
    });

    for (const [what, rel] of PAGE_TYPES) {
      test(`${what}: the first Tab reaches a visible skip link that moves focus to <main>`, T, async () => {
        await inTheme('light', async (page) => {
          await open(page, site.url(rel));
          await page.keyboard.press('Tab');
          const link = await page.evaluate(() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            return {
              cls: a.className,
              href: a.getAttribute('href'),
              text: a.textContent.trim(),
              onScreen: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight,
            };
          });
          assert.equal(link.cls, 'skip-link', `${what}: the first Tab stop is not the skip link`);
          assert.equal(link.href, '#content');
          assert.match(link.text, /skip to content/i);
          assert.ok(link.onScreen, `${what}: the focused skip link is not on screen`);
          await page.keyboard.press('Enter');
          await eventually(
            () => page.evaluate(() => document.activeElement.matches('main#content')),
            `${what}: Enter on the skip link did not focus main#content`,
          );
          await page.keyboard.press('Tab');
          assert.ok(
            await page.evaluate(() => !!document.activeElement.closest('main#content')),
            `${what}: after the skip link, Tab went outside <main>`,
          );
        });
      });
    }

    for (const theme of THEMES) {
      for (const [what, rel] of PAGE_TYPES.slice(0, 2)) {
        test(`${what}: every tab stop shows a visible focus indicator (${theme} theme)`, SLOW_T, async () => {
          await inTheme(theme, async (page) => {
            await open(page, site.url(rel), theme);
            const walk = await walkFocus(page);
            assert.deepEqual(walk.issues, [], `${rel}: tab stops without a visible focus indicator:\n` +
              walk.issues.join('\n'));
            assert.ok(walk.stops > 20, `${rel}: only ${walk.stops} tab stops were visited`);
          });
        });
      }
    }

    for (const [what, rel] of PAGE_TYPES) {
      test(`${what}: one banner, one main, the chapter navigation and a search landmark`, SLOW_T, async () => {
        await inTheme('light', async (page) => {
          await open(page, site.url(rel));
          assert.equal(await page.getByRole('banner').count(), 1, `${what}: banner landmarks`);
          assert.equal(await page.getByRole('main').count(), 1, `${what}: main landmarks`);
          assert.equal(await page.getByRole('navigation', { name: 'Chapters', exact: true }).count(), 1,
            `${what}: no navigation landmark named "Chapters"`);
          assert.equal(await page.getByRole('search').count(), 1, `${what}: search landmarks`);
          await page.addScriptTag({ path: AXE });
          const failed = await page.evaluate(async () => {
            const r = await window.axe.run(document, {
              preload: false,
              runOnly: ['bypass', 'region', 'landmark-one-main', 'landmark-no-duplicate-banner',
                'landmark-no-duplicate-main', 'landmark-banner-is-top-level',
                'landmark-main-is-top-level', 'page-has-heading-one'],
            });
            return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
          });
          assert.deepEqual(failed, [], `${what}: landmark rules failed`);
        });
      });
    }

    test('shortcuts (/ and s, ← and →) never fire while typing in a form field or on a box that scrolls', SLOW_T, async () => {
      await inTheme('light', async (page) => {
        await open(page, site.url(LESSON));
        const active = () => page.evaluate(() => {
          const a = document.activeElement;
          return a.id || a.className || a.tagName;
        });
        const searchOpen = () => page.locator('#search-panel').isVisible();
        const focused = (locator) => locator.evaluate((el) => el === document.activeElement);

        // The shortcut exists (so the checks below mean something): `/` on a link opens search.
        await page.locator('header.topbar a.book-title').focus();
        await page.keyboard.press('/');
        assert.equal(await active(), 'search-input', '`/` outside a form field did not focus search');
        assert.equal(await page.locator('#search-input').inputValue(), '', 'the `/` was typed into the box');
        await page.keyboard.press('Escape');
        assert.equal(await searchOpen(), false, 'Esc did not close search');

        // A quiz text answer keeps focus and receives the characters.
        const answer = page.locator('li.question[data-kind="command"] input.answer-input').first();
        await answer.focus();
        await page.keyboard.type('s/ s/');
        assert.ok(await focused(answer), `typing s or / in a quiz answer moved focus to ${await active()}`);
        assert.equal(await answer.inputValue(), 's/ s/');
        assert.equal(await searchOpen(), false, 'typing in a quiz answer opened search');

        // A radio button of a quiz question: the keys do nothing.
        const radio = page.locator('li.question[data-kind="single"] .option input').first();
        await radio.focus();
        await page.keyboard.press('s');
        await page.keyboard.press('/');
        assert.ok(await focused(radio), `\`s\` or \`/\` on a radio moved focus to ${await active()}`);
        assert.equal(await searchOpen(), false, 'a key on a radio button opened search');

        // A calculator field.
        const calc = page.locator('.calc input').first();
        if (await calc.count()) {
          await calc.focus();
          await page.keyboard.press('/');
          await page.keyboard.press('s');
          assert.ok(await focused(calc), `typing in a calculator field moved focus to ${await active()}`);
        }

        // The search box itself: the characters are typed, focus stays.
        await page.locator('#search-input').focus();
        await page.keyboard.type('s/');
        assert.equal(await active(), 'search-input');
        assert.equal(await page.locator('#search-input').inputValue(), 's/');
        await page.keyboard.press('Escape');

        // Arrow keys turn the page only outside fields and boxes that scroll sideways (mdBook's
        // complaint): in a quiz answer and on a scrolling code block the URL stays.
        const url = page.url();
        await answer.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowLeft');
        const scroller = page.locator('main#content pre[data-scroll-focus]').first();
        if (await scroller.count()) {
          await scroller.focus();
          await page.keyboard.press('ArrowRight');
          await page.keyboard.press('ArrowLeft');
        }
        await page.waitForTimeout(300);
        assert.equal(page.url(), url, 'an arrow key in a field or on a scrolling box navigated');

        // A flashcard's answer area on an interview question.
        await open(page, site.url(INTERVIEW));
        const card = page.locator('textarea.flashcard-input').first();
        await card.focus();
        await page.keyboard.type('s/s');
        assert.ok(await focused(card), `typing s or / in a flashcard answer moved focus to ${await active()}`);
        assert.equal(await card.inputValue(), 's/s');
        assert.equal(await searchOpen(), false, 'typing in a flashcard answer opened search');
      });
    });
  });
}

// ---------------------------------------------------------------- focus walk

/**
 * Tabs through every tab stop of the page from the top and returns { stops, issues }: each
 * issue names a stop whose focused style has no outline or box-shadow of at least 1px that its
 * unfocused style lacks, or whose outline has less than 3:1 contrast with the page background.
 */
async function walkFocus(page) {
  await page.evaluate(() => {
    document.activeElement.blur();
    window.scrollTo(0, 0);
    window.__focusWalk = [];
  });
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const done = await page.evaluate(() => {
      const el = document.activeElement;
      const walk = window.__focusWalk;
      if (!el || el === document.body || walk.some((w) => w.el === el)) return true;
      const s = getComputedStyle(el);
      walk.push({
        el,
        focused: {
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
            ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none',
          outlineColor: s.outlineColor,
          shadow: s.boxShadow,
        },
      });
      return false;
    });
    if (done) break;
  }
  return page.evaluate(() => {
    const walk = window.__focusWalk;
    delete window.__focusWalk;
    if (document.activeElement) document.activeElement.blur();
    const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const ch = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const contrast = (a, b) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const bg = getComputedStyle(document.body).backgroundColor;
    const issues = [];
    for (const { el, focused } of walk) {
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
        ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none';
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
        `${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}` +
        ` "${(el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
      const byOutline = focused.outline !== 'none' && focused.outline !== outline;
      const byShadow = focused.shadow !== 'none' && focused.shadow !== s.boxShadow;
      if (!byOutline && !byShadow) {
        issues.push(`  ${name}: focused outline ${focused.outline}, shadow ${focused.shadow}` +
          ` (unfocused: ${outline}, ${s.boxShadow})`);
      } else if (byOutline && contrast(focused.outlineColor, bg) < 3) {
        issues.push(`  ${name}: outline ${focused.outlineColor} has ${contrast(focused.outlineColor, bg).toFixed(2)}:1 on ${bg}`);
      }
    }
    return { stops: walk.length, issues };
  });
}
