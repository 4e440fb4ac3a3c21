// Browser test of the feedback view: a workspace made with `loupe import`
// from real rrweb recordings given a loupe/feedback Custom event each,
// served by real `loupe serve` and driven through /usr/bin/chromium.
// Run after `npm run build`: node --test test/feedback.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLoupe, makeWorkspace, openBrowser, port, root, screenshots, serve } from './harness.mjs';

const recorded = join(root, 'core', 'derive', 'testdata', 'recorded');
// A comment with markup: it must show as text, never as HTML.
const lowComment = 'Coupon <b>broken</b> & slow';
let srv, browser, page, problems;

// CSP reports and the replayed shop's own images (its server is not
// running) are the policy and the recording, not errors of the workbench.
const expected = (p) => /violates the following Content Security Policy directive|Failed to load resource/.test(p);
const real = () => problems.filter((p) => !expected(p));

/** Copies a recording with a feedback response added atMS into it. */
function withFeedback(dir, name, atMS, payload) {
  const events = JSON.parse(readFileSync(join(recorded, `rrweb-${name}.json`), 'utf8'));
  const t0 = events[0].timestamp;
  events.push({ type: 5, data: { tag: 'loupe/feedback', payload }, timestamp: t0 + atMS });
  events.sort((a, b) => a.timestamp - b.timestamp);
  const file = join(dir, `fb-${name}.json`);
  writeFileSync(file, JSON.stringify(events));
  return file;
}

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  const bin = buildLoupe();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ui-feedback-'));
  const files = [
    withFeedback(dir, '01-buyer-desktop', 4000, { kind: 'csat', score: 5, comment: 'smooth' }),
    withFeedback(dir, '03-rage-coupon', 6000, { kind: 'csat', score: 2, comment: lowComment }),
    join(recorded, 'rrweb-05-error-hitter.json'), // no feedback at all
  ];
  srv = await serve(bin, makeWorkspace(bin, files), port(40));
  ({ browser, page, problems } = await openBrowser(srv.url));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function open(hash, ready) {
  // A fresh document each time: a hash-only change would keep the view's state.
  await page.goto('about:blank');
  problems.length = 0;
  await page.goto(srv.base + hash);
  await page.waitForSelector(ready, { timeout: 15000 });
}

test('the feedback view summarises and lists responses, comments as text', async () => {
  await open('#/feedback', '[data-response]');
  assert.equal(await page.locator('[data-view="feedback"].active').count(), 1, 'nav entry active');
  assert.equal(await page.locator('[data-response]').count(), 2, 'responses listed');
  assert.equal(await page.locator('[data-summary="count"]').innerText(), '2');
  assert.equal(await page.locator('[data-summary="csat"]').innerText(), '3.50');
  assert.equal(await page.locator('[data-summary="nps"]').innerText(), '–');
  await page.waitForSelector('[data-feedback-summary] [data-chart] canvas');

  const low = page.locator('[data-response="fb-03-rage-coupon"]');
  assert.equal(await low.locator('[data-comment]').innerText(), lowComment);
  assert.equal(await low.locator('[data-comment] b').count(), 0, 'comment markup rendered as HTML');
  assert.match(await low.innerText(), /CSAT 2\/5/);
  assert.equal(await low.locator('[data-moment]').innerText(), '▶ at 0:06');
  await page.screenshot({ path: join(screenshots, 'workbench-feedback.png') });

  // Filters: CSAT at most 2 leaves the low response only.
  await page.selectOption('[data-filter-kind]', 'csat');
  await page.selectOption('[data-filter-score]', '2');
  // The list and the summary answer separately: wait for both.
  await page.waitForFunction(() => document.querySelectorAll('[data-response]').length === 1 &&
    document.querySelector('[data-summary="count"]')?.textContent === '1');
  assert.equal(await page.locator('[data-response]').getAttribute('data-response'), 'fb-03-rage-coupon');
  await page.fill('[data-filter-text]', 'no such words');
  await page.waitForFunction(() => document.querySelectorAll('[data-response]').length === 0);
  assert.deepEqual(real(), []);
});

test('a response links to its moment in the replay, shown as a feedback marker', async () => {
  await open('#/feedback', '[data-response="fb-03-rage-coupon"] [data-moment]');
  await page.click('[data-response="fb-03-rage-coupon"] [data-moment]');
  await page.waitForFunction(() => location.hash === '#/sessions/fb-03-rage-coupon?t=6000');
  await page.waitForSelector('[data-player] iframe', { timeout: 15000 });
  const item = page.locator('[data-list="events"] li[data-kind="feedback"]');
  await item.waitFor();
  assert.equal(await item.getAttribute('data-at'), '6000');
  assert.equal(await item.locator('.item-kind').textContent(), 'Feedback');
  assert.equal(await item.locator('.item-label').textContent(), `2/5: “${lowComment}”`);
  assert.equal(await item.locator('.item-label b').count(), 0, 'comment markup rendered as HTML');
  // The player opened at the moment: the feedback row is the current one.
  await page.waitForFunction(() => document.querySelector('[data-list="events"] li.current')?.getAttribute('data-kind') === 'feedback');
  const marker = page.locator('[data-marker="feedback"]');
  assert.equal(await marker.count(), 1, 'feedback markers on the timeline');
  assert.match(await marker.getAttribute('title'), /^0:06 Feedback 2\/5: “Coupon <b>broken<\/b> & slow”$/);
  await page.screenshot({ path: join(screenshots, 'workbench-feedback-moment.png') });
  assert.deepEqual(real(), []);
});

test('the segment csat <= 2 narrows the sessions list', async () => {
  await open('#/sessions', '[data-session]');
  assert.equal(await page.locator('[data-session]').count(), 3, 'all sessions');
  await open(`#/sessions?segment=${encodeURIComponent('csat <= 2')}`, '[data-session]');
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 1);
  assert.equal(await page.locator('[data-session]').getAttribute('data-session'), 'fb-03-rage-coupon');
  await open(`#/sessions?segment=${encodeURIComponent('feedback = any')}`, '[data-session]');
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 2);
  assert.deepEqual(real(), []);
});
