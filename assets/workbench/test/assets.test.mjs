// Page assets in the replay: a recording whose archive carries a PNG, a
// stylesheet with a background image and a web font is imported with
// `loupe import`, and the player rebuilds it from the workspace alone —
// the image decodes, the stylesheet applies, the font loads — while no
// request goes anywhere but the workbench itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLoupe, makeWorkspace, openBrowser, port, root, serve } from './harness.mjs';

let srv, fresh, store, browser, page, problems;
const requests = [];
const refused = [];

before(async () => {
  const bin = buildLoupe();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-assets-'));
  const fixture = join(dir, 'assets.loupe');
  store = join(dir, 'store');
  execFileSync('go', ['run', './assets/workbench/test/assetfixture', '-store', store, fixture], { cwd: root, stdio: 'inherit' });
  srv = await serve(bin, makeWorkspace(bin, [fixture]), port(60));
  fresh = await serve(bin, join(dir, 'fresh.db'), port(61));
  // The page signs in to both and ends on srv's workbench, where the tests start.
  ({ browser, page, problems } = await openBrowser([fresh.url, srv.url]));
  page.on('request', (r) => requests.push(r.url()));
  // Anything not on the workbench's origin is refused and remembered.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(srv.base) || u.startsWith(fresh.base) || /^(data|blob|about):/.test(u)) return route.continue();
    refused.push(u);
    return route.abort();
  });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await fresh?.stop();
});

test('the replay loads its image, stylesheet and font from the workspace, and nothing from elsewhere', async () => {
  await page.goto(srv.base + '#/sessions/s_assetfixture');
  const badge = page.locator('[data-assets-summary]');
  await badge.waitFor();
  assert.equal(await badge.innerText(), '4 of 5 assets stored · 1 missing: 404');
  assert.match(await badge.getAttribute('title'), /https:\/\/cdn\.fixture\.test\/img\/gone\.png — http 404/);
  await badge.click();
  assert.equal(await page.locator('[data-assets-missing] li').count(), 1);

  await page.waitForSelector('[data-player] iframe', { timeout: 15000 });
  // The logo decodes from /asset/<sha256>.
  const logo = await page.waitForFunction(() => {
    const img = document.querySelector('[data-player] iframe')?.contentDocument?.querySelector('#logo');
    return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight, src: img.getAttribute('src') } : null;
  }, null, { timeout: 15000 });
  const l = await logo.jsonValue();
  assert.deepEqual([l.w, l.h], [40, 30]);
  assert.match(l.src, /^\/asset\/[0-9a-f]{64}$/);

  // The stylesheet was inlined and applies: size and background image of
  // the hero, the heading in the web font, which the browser loaded.
  const styled = await page.waitForFunction(() => {
    const doc = document.querySelector('[data-player] iframe')?.contentDocument;
    const hero = doc?.querySelector('#hero');
    const title = doc?.querySelector('#title');
    if (!hero || !title) return null;
    const cs = doc.defaultView.getComputedStyle(hero);
    const font = [...doc.fonts].find((f) => f.family.replace(/["']/g, '') === 'LoupeFixtureFont');
    if (!font || font.status !== 'loaded') return null;
    return { width: cs.width, height: cs.height, bg: cs.backgroundImage, family: doc.defaultView.getComputedStyle(title).fontFamily };
  }, null, { timeout: 15000 });
  const s = await styled.jsonValue();
  assert.equal(s.width, '120px');
  assert.equal(s.height, '60px');
  assert.match(s.bg, new RegExp(`^url\\("${srv.base.replace(/[.]/g, '\\.')}asset/[0-9a-f]{64}"\\)$`));
  assert.match(s.family, /LoupeFixtureFont/);

  // The image that was never fetched is a placeholder, not a request.
  const gone = await page.evaluate(() => document.querySelector('[data-player] iframe').contentDocument.querySelector('#gone').getAttribute('src'));
  assert.match(gone, /^data:image\/svg\+xml;base64,/);

  // Every asset request answered from the workspace, with its type.
  const assetURLs = [...new Set(requests.filter((u) => u.includes('/asset/')))];
  assert.ok(assetURLs.length >= 3, `asset requests: ${assetURLs.join(', ')}`);
  for (const u of assetURLs) {
    const r = await page.request.get(u);
    assert.equal(r.status(), 200, u);
    assert.match(r.headers()['content-type'], /^(image\/png|font\/ttf)$/, u);
    assert.equal(r.headers()['x-content-type-options'], 'nosniff');
  }
  assert.deepEqual(refused, [], 'requests that tried to leave the workbench');
  assert.deepEqual(requests.filter((u) => !u.startsWith(srv.base) && !/^(data|blob|about):/.test(u)), []);
  assert.deepEqual(problems, []);
});

async function syncFromStore(base) {
  await page.goto(base + '#/sync');
  await page.fill('[data-sync-addr]', store);
  await page.click('[data-sync-start]');
  const line = page.locator('[data-sync-assets]');
  await line.waitFor({ timeout: 20000 });
  await page.waitForSelector('[data-sync-start]:not([disabled])');
  return line.innerText();
}

test('a sync from a store folder fetches the assets once, and the Sync view says so', async () => {
  // A fresh workspace fetches the four bodies from the folder's assets/.
  const first = await syncFromStore(fresh.base);
  assert.match(first, /^Page assets: 4 fetched \(\d+(\.\d)? KB\) · 0 already here \(deduplicated\)$/);
  await page.locator('[data-workspace-assets]').waitFor();
  assert.match(await page.locator('[data-workspace-assets]').innerText(), /^4 page assets kept in this workspace/);
  assert.match(await page.locator('[data-history-assets]').first().innerText(), /KB · 0 dedup/);
  // The workspace that imported the archive with its assets needs none.
  const second = await syncFromStore(srv.base);
  assert.equal(second, 'Page assets: 0 fetched (0 B) · 4 already here (deduplicated)');
  assert.deepEqual(refused, []);
  assert.deepEqual(problems, []);
});
