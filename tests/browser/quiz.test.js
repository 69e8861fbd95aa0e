'use strict';
// Headless-browser tests of the learning features wired by theme/quiz.js over the WebAssembly
// bundle: quizzes, flashcards, the review page, the progress page and the calculators.
// Every scenario runs twice, from file:// and over http under /course/, each time in a fresh
// browser context (so localStorage starts empty) that fails on any console error, page error
// or request to another host. The grading table (crates/quiz/tests/grading-cases.json, which
// cargo test runs natively) and every command question of the course are graded once more
// through the page's WebAssembly, with the answer keys the build wrote. Run with:
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
const XSS = '<img src=x onerror=window.__xss=1>';
const CASES = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'crates', 'quiz', 'tests', 'grading-cases.json'), 'utf8'),
).cases;

let browser;
let tmp;
let fileSite; // <tmp>/site, built without --site-url
let gradingSite; // <tmp>/grading-site: a book of the grading table's questions
let server; // serves <tmp>/http-site under /course/
let setupError;

/** A value as TOML (strings, numbers, booleans, arrays and inline tables). */
function toml(value) {
  if (Array.isArray(value)) return `[${value.map(toml).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k} = ${toml(v)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Writes a book whose one chapter, grading.html, holds every question of the grading table. */
function gradingBook(dir) {
  const quiz = CASES.map(({ question }) =>
    ['[[question]]', ...Object.entries(question).map(([k, v]) => `${k} = ${toml(v)}`)].join('\n'),
  ).join('\n\n');
  fs.mkdirSync(path.join(dir, 'content'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'book.toml'), '[book]\ntitle = "Grading"\n');
  fs.writeFileSync(path.join(dir, 'content', '_index.md'), '+++\ntitle = "Grading"\n+++\n\nThe grading table.\n');
  fs.writeFileSync(path.join(dir, 'content', '01-grading.md'), `+++\ntitle = "Cases"\n+++\n\n\`\`\`quiz\n${quiz}\n\`\`\`\n`);
  return dir;
}

before(
  async () => {
    try {
      tmp = makeTempDir();
      fileSite = buildSite(path.join(tmp, 'site'));
      gradingSite = buildSite(path.join(tmp, 'grading-site'), undefined, gradingBook(path.join(tmp, 'grading-book')));
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

// ---------------------------------------------------------------- site helpers

/** Every .html file of the built site, as paths relative to its root with forward slashes. */
function htmlFiles(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return htmlFiles(dir, r);
    return e.name.endsWith('.html') ? [r] : [];
  });
}

/** The first chapter page (not print/review/progress) under `folder` whose HTML contains `needle`. */
function chapterWith(needle, folder = '') {
  const skip = new Set(['print.html', 'review.html', 'progress.html', '404.html']);
  const found = htmlFiles(fileSite)
    .filter((r) => r.startsWith(folder) && !skip.has(r))
    .sort()
    .find((r) => fs.readFileSync(path.join(fileSite, r), 'utf8').includes(needle));
  assert.ok(found, `no page${folder ? ` under ${folder}` : ''} of the built site contains ${needle}`);
  return found;
}

const SITES = [
  { name: 'file://', url: (rel) => pathToFileURL(path.join(fileSite, rel)).href },
  { name: 'http under /course/', url: (rel) => server.base + rel },
];

// ---------------------------------------------------------------- page helpers

/** Opens `url` and waits until quiz.js has wired the page (it sets html[data-quiz="ready"]). */
async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('html[data-quiz="ready"]').waitFor({ state: 'attached', timeout: 10_000 });
}

async function reload(page) {
  await page.reload({ waitUntil: 'load' });
  await page.locator('html[data-quiz="ready"]').waitFor({ state: 'attached', timeout: 10_000 });
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

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

async function expectText(locator, re, what) {
  let seen = '';
  await eventually(async () => {
    seen = (await locator.count()) ? await text(locator.first()) : '(missing)';
    return re.test(seen);
  }, `${what}: expected ${re}, got "${seen}"`);
}

function questionByKey(page, key) {
  return page.locator(`li.question[data-key="${key}"]`);
}

async function answerKey(li) {
  return JSON.parse(await li.locator('script.answer-key').textContent());
}

/** The key of the first question of `kind` whose answer key text contains `needle`. */
async function keyOf(page, kind, needle = '') {
  const key = await page.$$eval(
    `li.question[data-kind="${kind}"]`,
    (lis, n) => {
      const li = lis.find((l) => (l.querySelector('script.answer-key') || {}).textContent.includes(n));
      return li ? li.getAttribute('data-key') : null;
    },
    needle,
  );
  assert.ok(key, `no ${kind} question with "${needle}" in its answer key on ${page.url()}`);
  return key;
}

/** A single-choice question with per-option feedback: { li, key, correct, wrong }. */
async function singleQuestion(page) {
  const key = await page.$$eval('li.question[data-kind="single"]', (lis) => {
    const li = lis.find((l) => l.querySelector('.option-feedback'));
    return li ? li.getAttribute('data-key') : null;
  });
  assert.ok(key, `no single-choice question with option feedback on ${page.url()}`);
  const li = questionByKey(page, key);
  const { correct } = await answerKey(li);
  const withFeedback = await li.locator('.option:has(.option-feedback)').evaluateAll((os) =>
    os.map((o) => Number(o.getAttribute('data-index'))),
  );
  const wrong = withFeedback.find((i) => i !== correct);
  assert.notEqual(wrong, undefined, `question ${key}: no wrong option with feedback`);
  return { li, key, correct, wrong };
}

async function choose(li, index) {
  await li.locator(`.option[data-index="${index}"] input`).check();
  await li.locator('button.check').click();
}

async function typeCommand(li, value, { enter = false } = {}) {
  await li.locator('input.answer-input').fill(value);
  if (enter) await li.locator('input.answer-input').press('Enter');
  else await li.locator('button.check').click();
}

async function bookId(page) {
  return page.evaluate(() => document.body.getAttribute('data-book'));
}

async function stored(page) {
  const id = await bookId(page);
  return page.evaluate((k) => localStorage.getItem(k), `coursebook-progress:${id}`);
}

// ---------------------------------------------------------------- scenarios

const SCENARIOS = [
  [
    '1. a single-choice question: wrong answer shows feedback and explanation, then correct',
    async (page, site) => {
      await open(page, site.url(DAY2));
      assert.equal(await page.locator('.answer-fallback').count(), 0, 'the no-JS answer fallbacks are still there');
      const q = await singleQuestion(page);
      await choose(q.li, q.wrong);
      await expectText(q.li.locator('.verdict'), /not quite/i, 'verdict after a wrong answer');
      assert.equal(await q.li.getAttribute('data-state'), 'wrong');
      const feedback = q.li.locator(`.option[data-index="${q.wrong}"] .option-feedback`);
      assert.ok(await feedback.isVisible(), 'the chosen wrong option\'s feedback is not visible');
      assert.ok(await q.li.locator('.explanation').isVisible(), 'the explanation is not visible');
      assert.match(await q.li.locator(`.option[data-index="${q.wrong}"]`).getAttribute('class'), /chosen-wrong/);

      const reviewed = JSON.parse(await stored(page)).items[q.key];
      assert.equal(reviewed.correct, false);

      await choose(q.li, q.correct);
      await expectText(q.li.locator('.verdict'), /^✓? ?Correct/, 'verdict after the correct answer');
      assert.equal(await q.li.getAttribute('data-state'), 'correct');
      await expectText(q.li.locator('.verdict-note'), /Practice/, 'the second answer is practice');
      assert.deepEqual(JSON.parse(await stored(page)).items[q.key], reviewed, 'practice changed the stored review');
      const score = q.li.locator('xpath=ancestor::section[contains(@class,"quiz")]//p[contains(@class,"quiz-score")]');
      await expectText(score, /Score: 0 of \d+ correct \(1 answered\)/, 'the score counts the reviewed answer');
    },
  ],
  [
    '2. after a reload the previous answers are selected again and the score is kept',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const q = await singleQuestion(page);
      await choose(q.li, q.correct);
      const cmdKey = await keyOf(page, 'command', '--keys-only');
      const cmd = questionByKey(page, cmdKey);
      await typeCommand(cmd, 'etcdctl get /registry/pods --prefix --keys-only');
      const score = page.locator('section.quiz .quiz-score').first();
      const before = await text(score);
      assert.match(before, /Score: 2 of \d+ correct \(2 answered\)/);

      await reload(page);
      assert.ok(await q.li.locator(`.option[data-index="${q.correct}"] input`).isChecked(), 'the answer is not selected after reload');
      await expectText(q.li.locator('.verdict'), /Correct/, 'restored verdict');
      assert.equal(await cmd.locator('input.answer-input').inputValue(), 'etcdctl get /registry/pods --prefix --keys-only');
      assert.equal(await text(score), before, 'score after reload');
    },
  ],
  [
    '3. command questions accept equivalent spellings and explain a wrong namespace',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const keys = questionByKey(page, await keyOf(page, 'command', '--keys-only'));
      await typeCommand(keys, 'etcdctl get --keys-only --prefix /registry/pods', { enter: true });
      await expectText(keys.locator('.verdict'), /Correct/, 'flags reordered (checked with Enter)');

      const dnsPage = chapterWith('-n kube-system -l k8s-app=kube-dns', 'days/');
      await open(page, site.url(dnsPage));
      const dns = questionByKey(page, await keyOf(page, 'command', '-n kube-system -l k8s-app=kube-dns'));
      await typeCommand(dns, 'kubectl get pods --selector=k8s-app=kube-dns --namespace kube-system');
      await expectText(dns.locator('.verdict'), /Correct/, 'long flags, reordered');
      await typeCommand(dns, 'kubectl get pods -n default -l k8s-app=kube-dns');
      await expectText(dns.locator('.verdict'), /not quite/i, 'wrong namespace');
      await expectText(dns.locator('.verdict li'), /namespace.*kube-system.*default/i, 'the message about the namespace');
    },
  ],
  [
    '4. a flashcard graded "Again" is due today on the review page',
    async (page, site) => {
      const interview = chapterWith('data-kind="flashcard"', 'interview/');
      await open(page, site.url(interview));
      const key = await page.$$eval('li.question[data-kind="flashcard"]', (lis) =>
        (lis.find((l) => /#etcd-quorum$/.test(l.getAttribute('data-key'))) || lis[0]).getAttribute('data-key'),
      );
      const card = questionByKey(page, key);
      assert.ok(!(await card.locator('.flashcard-answer').isVisible()), 'the answer shows before Reveal');
      await card.locator('button.reveal').click();
      assert.ok(await card.locator('.flashcard-answer').isVisible(), 'Reveal did not show the answer');
      await card.locator('.self-grade button[data-rating="1"]').click();
      await expectText(card.locator('.verdict'), /Graded: Again\. Next review: /, 'verdict after grading');

      await open(page, site.url('review.html'));
      const due = page.locator(`.review-due .review-list li.question[data-key="${key}"]`);
      assert.equal(await due.count(), 1, `${key} is not listed under Due today`);
      assert.ok(await due.isVisible(), 'the due question is not visible');
      assert.ok(!(await page.locator('.review-empty').isVisible()), '"Nothing is due" still shows');
      const link = await due.locator('.question-chapter a').getAttribute('href');
      assert.ok(link && link.endsWith(interview), `chapter link ${link} does not point at ${interview}`);
      await expectText(page.locator('.review-new-count'), /\d+ questions? not tried yet/, 'new count');
    },
  ],
  [
    '5. the progress page counts answers; export, reset and import',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const q = await singleQuestion(page);
      await choose(q.li, q.correct);

      await open(page, site.url('progress.html'));
      const row = page.locator('table.progress-table tr[data-keys]').filter({
        has: page.locator(`a[href$="${DAY2}"]`),
      });
      assert.equal(await row.count(), 1, 'no progress row linking to Day 2');
      assert.equal(await text(row.locator('.answered')), '1');
      assert.equal(await text(row.locator('.correct')), '1');
      assert.match(await text(row.locator('.score')), /^\d+%$/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.progress-export').click()]);
      assert.match(download.suggestedFilename(), /-progress\.json$/);
      const file = path.join(tmp, `export-${site.name.replace(/\W+/g, '-')}.json`);
      await download.saveAs(file);
      assert.match(fs.readFileSync(file, 'utf8'), /"coursebook-progress"/);

      page.once('dialog', (d) => d.dismiss());
      await page.locator('.progress-reset').click();
      assert.equal(await text(row.locator('.answered')), '1', 'a dismissed confirm reset the progress');
      page.once('dialog', (d) => d.accept());
      await page.locator('.progress-reset').click();
      await expectText(row.locator('.answered'), /^0$/, 'answered after reset');
      assert.equal(await stored(page), null, 'the stored progress survived the reset');

      await page.locator('input.progress-import').setInputFiles(file);
      await expectText(page.locator('.progress-message'), /Imported 1 answer/, 'import message');
      assert.equal(await text(row.locator('.answered')), '1', 'answered after import');
      assert.equal(await text(row.locator('.correct')), '1', 'correct after import');

      await page.locator('input.progress-import').setInputFiles({
        name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}'),
      });
      await expectText(page.locator('.progress-message'), /Import failed/, 'message for a foreign file');
    },
  ],
  [
    '6. calculators: quorum, iptables (with simulation) and CIDR',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const quorum = page.locator('.calc[data-calc="quorum"]').first();
      await quorum.locator('input[name="members"]').fill('5');
      await expectText(quorum.locator('.calc-output'), /quorum is 3 .*tolerates 2/, 'quorum output');
      const before = page.url();
      await quorum.locator('input[name="members"]').press('Enter');
      assert.equal(page.url(), before, 'submitting the calculator form navigated');

      await open(page, site.url(chapterWith('data-calc="iptables"', 'days/')));
      const ipt = page.locator('.calc[data-calc="iptables"]').first();
      await ipt.locator('input[name="endpoints"]').fill('4');
      await expectText(ipt.locator('.calc-output'), /0\.2500000000.*0\.3333333333/, 'iptables output');
      await ipt.locator('.calc-simulate').click();
      await eventually(async () => (await ipt.locator('.calc-simulation table tbody tr').count()) === 4,
        'the simulation table does not have 4 rows');

      await open(page, site.url(chapterWith('data-calc="cidr"', 'days/')));
      const cidr = page.locator('.calc[data-calc="cidr"]').first();
      await cidr.locator('input[name="node-mask"]').fill('26');
      await expectText(cidr.locator('.calc-output'), /1,024.*62/, 'cidr output');
      assert.ok(!(await cidr.locator('.calc-error').isVisible()), 'an error shows for valid input');
      await cidr.locator('input[name="pod-cidr"]').fill('10.244.0.0/99');
      await expectText(cidr.locator('.calc-error'), /Enter a CIDR such as/, 'error for an invalid pod CIDR');
      assert.ok(await cidr.locator('.calc-error').isVisible(), 'the error is not visible');
      assert.equal(await cidr.locator('.calc-output').isVisible(), false, 'the result of the last good input stays');
    },
  ],
  [
    '7. corrupt stored progress: a notice shows and the quiz still works',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const id = await bookId(page);
      assert.ok(id, 'body has no data-book');
      await page.evaluate((k) => localStorage.setItem(k, '{garbage'), `coursebook-progress:${id}`);
      await reload(page);
      assert.ok(await page.locator('.progress-notice').first().isVisible(), 'no notice about the unreadable progress');
      const q = await singleQuestion(page);
      await choose(q.li, q.correct);
      await expectText(q.li.locator('.verdict'), /Correct/, 'verdict with corrupt storage');
      const saved = JSON.parse(await stored(page));
      assert.ok(saved.items && saved.items[q.key], 'the answer was not saved over the corrupt data');
    },
  ],
  [
    '8. learner input is shown as text, never as HTML',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const cmd = questionByKey(page, await keyOf(page, 'command', '--keys-only'));
      const typed = `'${XSS}' get pods`; // quoted, so the grader names it as the program
      await typeCommand(cmd, typed);
      await expectText(cmd.locator('.verdict'), /not quite.*<img/i, 'verdict quoting the input');
      const check = async () => {
        await page.waitForTimeout(200); // an injected <img> would fail to load and fire onerror
        assert.equal(await page.locator('main img[src="x"]').count(), 0, 'an <img> was injected');
        assert.equal(await page.evaluate(() => window.__xss), undefined, 'window.__xss was set');
      };
      await check();
      await reload(page);
      assert.equal(await cmd.locator('input.answer-input').inputValue(), typed);
      await expectText(cmd.locator('.verdict'), /<img/, 'restored verdict quoting the input');
      await check();
    },
  ],
  [
    '9. chapter, review and progress pages run without JavaScript errors',
    async (page, site) => {
      await open(page, site.url(DAY2));
      assert.ok(await page.locator('.calc-form').first().isVisible(), 'the calculator form is not visible');
      assert.equal(await page.locator('.answer-fallback').count(), 0, 'the no-JS answer fallbacks are still there');
      await open(page, site.url('review.html'));
      assert.ok(await page.locator('.review-empty').isVisible(), 'with no progress "Nothing is due" is not shown');
      await open(page, site.url('progress.html'));
      await expectText(page.locator('tr[data-keys] .answered').first(), /^0$/, 'answered with no progress');
      // The guards of withSession then assert that no console error or page error happened.
    },
  ],
  [
    '10. a command pasted over several lines is graded as one command',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const li = questionByKey(page, await keyOf(page, 'command', 'snapshot save /tmp/etcd-backup.db'));
      const input = li.locator('input.answer-input');
      // The course's etcdctl alias, expanded, as copied from the lesson (with a trailing newline).
      const pasted = 'sudo etcdctl --endpoints=https://127.0.0.1:2379 \\\n' +
        '  --cacert=/etc/kubernetes/pki/etcd/ca.crt \\\n' +
        '  --cert=/etc/kubernetes/pki/etcd/server.crt \\\n' +
        '  --key=/etc/kubernetes/pki/etcd/server.key snapshot save /tmp/etcd-backup.db\n';
      await input.focus();
      await input.evaluate((el, text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, pasted);
      const value = await input.inputValue();
      assert.ok(!/\\/.test(value), `the continuations are joined: ${value}`);
      assert.match(value, /^sudo etcdctl --endpoints=\S+ +--cacert=\S+ +--cert=\S+ +--key=\S+ snapshot save \/tmp\/etcd-backup\.db$/);
      await li.locator('button.check').click();
      await expectText(li.locator('.verdict'), /^Correct/, 'verdict for the pasted command');

      // Two commands pasted on two lines stay two commands.
      await input.fill('');
      await input.evaluate((el, text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, 'etcdctl snapshot save /tmp/etcd-backup.db\nrm -rf /var/lib/etcd\n');
      await li.locator('button.check').click();
      await expectText(li.locator('.verdict'), /Not quite.*expected one command, got 2/, 'two pasted lines');
    },
  ],
  [
    '11. repeated checks and wrong-then-right leave the first answer\'s review in place',
    async (page, site) => {
      await open(page, site.url(DAY2));
      const right = questionByKey(page, await keyOf(page, 'command', '--keys-only'));
      await typeCommand(right, 'etcdctl get /registry/pods --prefix --keys-only');
      await expectText(right.locator('.verdict'), /^Correct/, 'first answer');
      const first = JSON.parse(await stored(page)).items[await right.getAttribute('data-key')];
      const days = (first.review[0] - first.updated) / 86_400_000;
      assert.ok(days >= 2, `a right first answer is due in days, not today (${days} days)`);
      for (let i = 0; i < 3; i++) await typeCommand(right, 'etcdctl get --prefix --keys-only /registry/pods');
      await expectText(right.locator('.verdict-note'), /Practice/, 'repeated checks are practice');
      const after = JSON.parse(await stored(page)).items[await right.getAttribute('data-key')];
      assert.deepEqual(after, first, 'repeated checks moved the review');

      const q = await singleQuestion(page);
      await choose(q.li, q.wrong);
      await choose(q.li, q.correct);
      const item = JSON.parse(await stored(page)).items[q.key];
      assert.equal(item.correct, false, 'the reviewed answer is the wrong one');
      assert.ok(item.review[0] - item.updated <= 3_600_000, 'a wrong answer comes back the same day');

      await open(page, site.url('review.html'));
      const due = page.locator(`.review-list li.question[data-key="${q.key}"]`);
      assert.equal(await due.count(), 1, 'the wrong answer is due today');
      assert.equal(await page.locator(`.review-list li.question[data-key="${await right.getAttribute('data-key')}"]`).count(), 0,
        'the right answer is not due today');
      // Restored on the chapter page, a question is practice: the Review page asks it afresh.
      await open(page, site.url(DAY2));
      await choose(q.li, q.correct);
      await expectText(q.li.locator('.verdict-note'), /Practice/, 'a restored question is practice');
      assert.equal(JSON.parse(await stored(page)).items[q.key].correct, false);
    },
  ],
  [
    '12. a multiple-choice answer says what was missed and marks it',
    async (page, site) => {
      const lesson = chapterWith('data-kind="multiple"', 'days/');
      await open(page, site.url(lesson));
      const key = await keyOf(page, 'multiple');
      const li = questionByKey(page, key);
      const { correct } = await answerKey(li);
      assert.ok(correct.length >= 2, `${key} has several correct options`);
      await li.locator(`.option[data-index="${correct[0]}"] input`).check();
      await li.locator('button.check').click();
      await expectText(li.locator('.verdict'), new RegExp(`you missed ${correct.length - 1} of the ${correct.length} options`),
        'the verdict counts the missed options');
      for (const i of correct.slice(1)) {
        assert.match(await li.locator(`.option[data-index="${i}"]`).getAttribute('class'), /missed/);
      }
    },
  ],
];

// ---------------------------------------------------------------- grading through the wasm

/** Grades every `[key, answer, expected]` in the page's WebAssembly; returns the mismatches. */
async function gradeInPage(page, checks) {
  return page.evaluate(async (list) => {
    /* global coursebookWasm */
    const api = await coursebookWasm.ready();
    return list.filter(([key, answer, expected]) => {
      const value = typeof answer === 'string' ? { type: 'text', value: answer } : { type: 'choice', value: answer };
      const verdict = JSON.parse(api.grade(key, JSON.stringify(value)));
      return verdict.correct !== expected;
    }).map(([key, answer, expected]) => `${JSON.parse(key).kind} ${JSON.stringify(answer)}: expected ${expected ? 'right' : 'wrong'}`);
  }, checks);
}

/** The answer key JSON of every question in a built page, by the question's data-key. */
function keysIn(file) {
  const html = fs.readFileSync(file, 'utf8');
  const keys = {};
  const re = /<li class="question"[^>]*data-key="([^"]+)"[\s\S]*?<script type="application\/json" class="answer-key">([\s\S]*?)<\/script>/g;
  for (const m of html.matchAll(re)) keys[m[1]] = m[2].replace(/<\\\//g, '</');
  return keys;
}

/** Spellings of a command any program reads the same, and commands no answer may accept. */
function commandVariants(answer) {
  const program = answer.split(/\s+/).find((w) => !w.includes('=')) || '';
  return {
    same: [`$ ${answer}`, `sudo ${answer}`, `${answer};`, answer.replace(program, `/usr/bin/${program}`),
      answer.replace(/ --/g, ' \\\n    --'), answer.replace(/ --/g, ' \\   --')],
    wrong: [`${answer}; rm -rf /`, `${answer} && kubectl delete namespace kube-system`,
      answer.replace(program, `${program} --no-such-flag`), answer.replace(program, 'kubctl')],
  };
}

describe('grading through the page\'s WebAssembly', () => {
  beforeEach(() => {
    if (setupError) throw new Error(`set-up failed: ${setupError.message || setupError}`);
  });

  test('the grading table: every case graded as listed, with the keys the build wrote', T, async () => {
    await withSession(browser, { colorScheme: 'light' }, async (s) => {
      const page = await s.newPage();
      await open(page, pathToFileURL(path.join(gradingSite, 'grading.html')).href);
      const keys = keysIn(path.join(gradingSite, 'grading.html'));
      const checks = [];
      for (const c of CASES) {
        const key = keys[`grading.html#${c.question.id}`];
        assert.ok(key, `no question ${c.question.id} in the built page`);
        for (const a of c.accept) checks.push([key, a, true]);
        for (const r of c.reject) checks.push([key, r, false]);
      }
      assert.ok(checks.length > 300, `${checks.length} answers`);
      const failures = await gradeInPage(page, checks);
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });

  test('every command question of the course accepts its answers and refuses wrong ones', T, async () => {
    await withSession(browser, { colorScheme: 'light' }, async (s) => {
      const page = await s.newPage();
      await open(page, pathToFileURL(path.join(fileSite, DAY2)).href);
      const keys = keysIn(path.join(fileSite, 'review.html'));
      const checks = [];
      for (const key of Object.values(keys)) {
        const parsed = JSON.parse(key);
        if (parsed.kind !== 'command') continue;
        for (const answer of parsed.answers) {
          checks.push([key, answer, true]);
          for (const same of commandVariants(answer).same) checks.push([key, same, true]);
        }
        for (const wrong of commandVariants(parsed.answers[0]).wrong) checks.push([key, wrong, false]);
      }
      assert.ok(checks.length > 200, `${checks.length} answers`);
      const failures = await gradeInPage(page, checks);
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
});

for (const site of SITES) {
  describe(`quizzes (${site.name})`, () => {
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
