// One-file replays (`loupe share` and the player's Share… and Playlist…)
// opened from file:// in Chromium with every request that is not file:,
// data:, blob: or about: aborted and recorded: the file plays, seeks,
// shows markers and panels and its images, nothing leaves it, and nothing
// of a hostile recording runs. A playlist saved in the UI survives a
// restart of `loupe serve`, and its file plays from file:// too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildLoupe, makeWorkspace, openBrowser, port, root, serve } from './harness.mjs';

const hostileDir = join(root, 'core', 'rrweb', 'testdata', 'hostile');
const hostile = ['script-inline', 'onerror-img', 'img-outside'];
let bin, ws, dir, browser;

before(async () => {
  bin = buildLoupe();
  dir = mkdtempSync(join(tmpdir(), 'loupe-share-'));
  const fixture = join(dir, 'assets.loupe');
  execFileSync('go', ['run', './assets/workbench/test/assetfixture', fixture], { cwd: root, stdio: 'inherit' });
  ws = makeWorkspace(bin, [fixture, ...hostile.map((h) => join(hostileDir, `${h}.json`))]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

after(async () => { await browser?.close(); });

/** Runs `loupe share` and returns the file and what it printed. */
function share(args, name) {
  const out = join(dir, name);
  const said = execFileSync(bin, ['share', '--workspace', ws, ...args, '--out', out], { cwd: root, encoding: 'utf8' });
  return { out, said };
}

/** Opens a file:// page with every other request aborted and recorded. */
async function openFile(file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const left = [];
  const problems = [];
  await page.context().route('**/*', (r) => {
    const u = r.request().url();
    if (/^(file|data|blob|about):/.test(u)) return r.continue();
    left.push(u);
    return r.abort();
  });
  page.context().on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) left.push(r.url()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pathToFileURL(file).href);
  return { page, left, problems };
}

/** The replay frame's document, once it shows text. */
async function frameShows(page, text) {
  await page.waitForFunction((t) => document.querySelector('[data-player] iframe')?.contentDocument?.body?.textContent?.includes(t), text, { timeout: 20_000 });
}

test('a shared session plays from file:// with its images, markers and panels, and nothing leaves the file', async () => {
  const { out, said } = share(['--session', 's_assetfixture', '--title', 'Checkout bug'], 'clip.html');
  assert.match(said, new RegExp(`wrote .*clip\\.html: .* \\(${statSync(out).size} bytes\\)`));
  const { page, left, problems } = await openFile(out);
  await page.getByRole('heading', { name: 'Checkout bug' }).waitFor();
  await frameShows(page, 'Fixture shop');
  const logo = await page.waitForFunction(() => {
    const img = document.querySelector('[data-player] iframe')?.contentDocument?.querySelector('#logo');
    return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight, src: img.getAttribute('src').slice(0, 22) } : null;
  }, null, { timeout: 15_000 });
  assert.deepEqual(await logo.jsonValue(), { w: 40, h: 30, src: 'data:image/png;base64,' });
  const hero = await page.waitForFunction(() => {
    const doc = document.querySelector('[data-player] iframe')?.contentDocument;
    const h = doc?.querySelector('#hero');
    return h ? doc.defaultView.getComputedStyle(h).backgroundImage.slice(0, 26) : null;
  });
  assert.equal(await hero.jsonValue(), 'url("data:image/png;base64');

  // Markers and the panels.
  assert.ok(await page.locator('[data-marker="page"]').count() >= 1, 'a pageview marker');
  await page.locator('[data-tab="network"]').click();
  await page.locator('[data-list="network"]').waitFor();
  await page.locator('[data-tab="console"]').click();
  await page.locator('[data-list="console"]').waitFor();
  await page.locator('[data-tab="events"]').click();
  await page.locator('[data-list="events"] [data-kind="page"]').first().waitFor();

  // Play: the clock moves to the end; seek: a click on the timeline moves it back.
  const clock = page.locator('.rr-timeline__time').first();
  await page.locator('.rr-controller__btns button').first().click();
  await page.waitForFunction(() => /00:0[1-3]/.test(document.querySelector('.rr-timeline__time')?.textContent ?? ''), null, { timeout: 15_000 });
  const bar = page.locator('.rr-progress');
  const box = await bar.boundingBox();
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await page.waitForFunction(() => (document.querySelector('.rr-timeline__time')?.textContent ?? '').startsWith('00:00'), null, { timeout: 10_000 });
  assert.match(await clock.innerText(), /^00:00/);
  // Skip inactivity and speed are the player's own controls.
  assert.ok(await page.locator('.rr-controller__btns button', { hasText: '8x' }).count() === 1);
  assert.ok(await page.locator('.switch', { hasText: 'skip inactive' }).count() === 1);

  assert.deepEqual(left, [], 'no request leaves the file');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a hostile recording shared as a file runs nothing and loads nothing', async () => {
  for (const h of hostile) {
    const { out } = share(['--session', h], `${h}.html`);
    const { page, left } = await openFile(out);
    await frameShows(page, `Vector ${h}`);
    // Let the replay run to its end, where every payload would have fired.
    await page.locator('.rr-controller__btns button').first().click();
    await page.waitForFunction(() => /00:0[2-9]/.test(document.querySelector('.rr-timeline__time')?.textContent ?? ''), null, { timeout: 15_000 });
    for (const f of page.frames()) {
      assert.equal(await f.evaluate(() => window.__pwned ?? null).catch(() => null), null, `${h}: the flag is set in ${f.url()}`);
    }
    assert.deepEqual(left, [], `${h}: no request leaves the file`);
    await page.close();
  }
});

test('a stretch holds no event outside it', async () => {
  const { out } = share(['--session', 's_assetfixture', '--from', '0:01', '--to', '0:02'], 'stretch.html');
  const html = readFileSync(out, 'utf8');
  const data = JSON.parse(html.match(/<script type="application\/json" id="loupe-share">([\s\S]*?)<\/script>/)[1]);
  const item = data.items[0];
  const bytes = Buffer.from(item.events, 'base64');
  const events = JSON.parse(require_gunzip(bytes));
  const base = events[0].timestamp - item.start_ms;
  for (const e of events) {
    const at = e.timestamp - base;
    assert.ok(at <= 2000, `event of type ${e.type} at ${at} ms is after the stretch`);
    if (at < 1000) assert.ok(e.type === 2 || e.type === 4, `event of type ${e.type} at ${at} ms before the stretch`);
  }
  const { page, left } = await openFile(out);
  await frameShows(page, 'Fixture shop');
  assert.deepEqual(left, []);
  await page.close();
});

test('a playlist saved in the player survives a restart and plays from a file', async () => {
  let srv = await serve(bin, ws, port(90));
  let ui = await openBrowser(srv.url);
  const add = async (title, caption, moment) => {
    await ui.page.locator('[data-playlist]').click();
    await ui.page.locator('[data-playlist-name]').fill('Talk');
    await ui.page.locator('[data-playlist-title]').fill(title);
    await ui.page.locator('[data-playlist-caption]').fill(caption);
    if (moment) await ui.page.locator('[data-playlist-moment]').check();
    await ui.page.locator('[data-playlist-add]').click();
    await ui.page.locator('[data-playlist-done]').waitFor();
  };
  await ui.page.goto(srv.base + '#/sessions/s_assetfixture');
  await ui.page.locator('[data-player] iframe').waitFor();
  // A note at 0:00 becomes a caption in the file.
  await ui.page.locator('[data-tab="notes"]').click();
  await ui.page.locator('[data-note-input]').fill('Look at the logo');
  await ui.page.locator('[data-add-note]').click();
  await ui.page.locator('[data-list="notes"] li', { hasText: 'Look at the logo' }).waitFor();
  await add('The shop', 'Where it starts', false);
  await ui.page.locator('[data-playlist-items] li').nth(0).waitFor();
  await ui.page.goto(srv.base + '#/sessions/script-inline');
  await ui.page.locator('[data-player] iframe').waitFor();
  await add('A hostile page', 'Nothing runs', true);
  await ui.page.locator('[data-playlist-items] li').nth(1).waitFor();
  await ui.browser.close();
  await srv.stop();

  srv = await serve(bin, ws, port(91));
  ui = await openBrowser(srv.url);
  await ui.page.goto(srv.base + '#/sessions/s_assetfixture');
  await ui.page.locator('[data-playlist]').click();
  await ui.page.locator('[data-playlist-name]').fill('Talk');
  await ui.page.locator('[data-playlist-items] li').nth(1).waitFor();
  assert.match(await ui.page.locator('[data-playlist-items]').innerText(), /The shop[\s\S]*A hostile page/);
  // Share… from the player downloads the session's file and says its size.
  await ui.page.locator('[data-playlist]').click();
  await ui.page.locator('[data-share]').click();
  const [dl] = await Promise.all([ui.page.waitForEvent('download'), ui.page.locator('[data-share-download]').click()]);
  assert.match(dl.suggestedFilename(), /^loupe-replay-s_assetfixture\.html$/);
  assert.match(await ui.page.locator('[data-share-done]').innerText(), /Downloaded .* \(\d+(\.\d)? KB\)/);
  assert.deepEqual(ui.problems, []);
  await ui.browser.close();
  await srv.stop();

  const { out } = share(['--playlist', 'Talk'], 'talk.html');
  const { page, left } = await openFile(out);
  await page.getByRole('heading', { name: 'The shop' }).waitFor();
  assert.equal(await page.locator('[data-caption]').innerText(), 'Where it starts');
  await frameShows(page, 'Fixture shop');
  assert.equal(await page.locator('[data-note-caption]').innerText(), 'Look at the logo');
  await page.locator('[data-marker="note"]').first().waitFor();
  await page.locator('[data-next]').click();
  await page.getByRole('heading', { name: 'A hostile page' }).waitFor();
  assert.equal(await page.locator('[data-position]').innerText(), '2 / 2');
  await frameShows(page, 'Vector script-inline');
  await page.locator('[data-prev]').click();
  await page.getByRole('heading', { name: 'The shop' }).waitFor();
  assert.deepEqual(left, []);
  await page.close();
});

function require_gunzip(buf) {
  return execFileSync('gzip', ['-dc'], { input: buf }).toString('utf8');
}

test('two sessions shared side by side play on one clock from file://, stay aligned after a seek, and nothing leaves the file', async () => {
  const { out, said } = share(['--compare', 's_assetfixture,img-outside'], 'pair.html');
  assert.match(said, /2 item\(s\)/);
  const { page, left, problems } = await openFile(out);
  const frameOf = (side) => `[data-compare-side="${side}"] iframe`;
  for (const [side, text] of [['a', 'Fixture shop'], ['b', 'Vector img-outside']]) {
    await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.contentDocument?.body?.textContent?.includes(t), [frameOf(side), text], { timeout: 20_000 });
  }
  assert.ok(await page.locator('[data-compare-markers="a"] [data-marker]').count() >= 1, 'A has its markers');
  /** Shared time and each side's own time, as the page shows them. */
  const state = () => page.evaluate(() => {
    const side = (k) => document.querySelector(`[data-compare-side="${k}"]`);
    return { now: Number(document.querySelector('[data-compare-now]').dataset.compareNow),
      a: Number(side('a').dataset.time), b: Number(side('b').dataset.time), bEnd: Number(side('b').dataset.duration) };
  });
  const seekTo = (ms) => page.locator('[data-compare-seek]').evaluate((el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }, ms);

  // Both advance together.
  await page.locator('[data-compare-play]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-compare-side]')].every((s) => Number(s.dataset.time) >= 800), null, { timeout: 15_000 });
  let s = await state();
  assert.ok(Math.abs(s.a - s.b) < 300, `A at ${s.a} ms, B at ${s.b} ms while playing`);

  // A seek while playing keeps them together.
  await seekTo(100);
  await page.waitForFunction(() => Number(document.querySelector('[data-compare-now]').dataset.compareNow) < 700, null, { timeout: 5_000 });
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('[data-compare-side]')].map((x) => Number(x.dataset.time));
    return t.every((x) => x >= 1200 && x < 1900);
  }, null, { timeout: 15_000 });
  s = await state();
  assert.ok(Math.abs(s.a - s.b) < 300 && Math.abs(s.a - s.now) < 300, `after a seek: now ${s.now}, A ${s.a}, B ${s.b}`);

  // Paused past B's end: A is there, B holds its last frame.
  await page.locator('[data-compare-play]').click();
  await page.locator('[data-compare-playing="false"]').waitFor();
  await seekTo(2500);
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('[data-compare-side]')].map((x) => [Number(x.dataset.time), Number(x.dataset.duration)]);
    return Math.abs(t[0][0] - 2500) < 60 && Math.abs(t[1][0] - t[1][1]) < 60;
  }, null, { timeout: 10_000 });
  s = await state();
  assert.equal(s.now, 2500);

  assert.deepEqual(left, [], 'no request leaves the file');
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile recordings shared side by side run nothing and load nothing', async () => {
  const { out } = share(['--compare', 'script-inline,onerror-img'], 'hostile-pair.html');
  const { page, left } = await openFile(out);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-compare-side] iframe')].map((f) => f.contentDocument?.body?.textContent ?? '').join('|').match(/Vector script-inline.*\|.*Vector onerror-img/), null, { timeout: 20_000 });
  // Play both to their end, where every payload would have fired.
  await page.locator('[data-compare-play]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-compare-side]')].every((s) => Number(s.dataset.time) >= Number(s.dataset.duration) - 50), null, { timeout: 15_000 });
  for (const f of page.frames()) {
    assert.equal(await f.evaluate(() => window.__pwned ?? null).catch(() => null), null, `the flag is set in ${f.url()}`);
  }
  assert.deepEqual(left, [], 'no request leaves the file');
  await page.close();
});
