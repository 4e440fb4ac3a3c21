// Browser tests of deleting and keeping the workspace tidy: erasing a
// visitor leaves no byte of them in the workspace file, re-deriving after
// a threshold change changes the counts shown, a tag rule tags old and new
// sessions, and saved work round-trips through its file. Real `loupe
// serve` on a `loupe bench` workspace plus hand-made archives, driven
// through /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildLoupe, listShows, openBrowser, port, serve } from './harness.mjs';

// Strings only the erased visitor's recordings carry.
const visitor = 'v_tidy_erase_7c1d9e';
const userID = 'user-tidy-erase-3f8a2b';
const email = 'trait-tidy-erase-5e6f@example.test';
const company = 'company-tidy-erase-91ab';

let bin, ws, dir, srv, browser, page;

/** Writes a version 1 archive: header, events, trailer over the lines. */
function archive(file, session, who, width, extra = []) {
  const t0 = Date.UTC(2026, 10, 20, 10, 0, 0);
  const events = [
    { type: 4, data: { href: 'https://shop.test/account', width, height: 800 }, timestamp: t0 },
    { type: 2, data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'html', attributes: {}, childNodes: [{ type: 2, id: 3, tagName: 'body', attributes: {}, childNodes: [] }] }] }, initialOffset: { top: 0, left: 0 } }, timestamp: t0 + 10 },
    ...extra.map((e, i) => ({ ...e, timestamp: t0 + 100 + i })),
    { type: 3, data: { source: 2, type: 2, id: 3, x: 10, y: 10 }, timestamp: t0 + 4000 },
  ];
  const header = { format: 'loupe-archive', version: 1, site: 'shop', session, visitor: who,
    started_at: new Date(t0).toISOString().replace('.000Z', 'Z'), ended_at: new Date(t0 + 4000).toISOString().replace('.000Z', 'Z'), pages: ['/account'] };
  const lines = [header, ...events].map((v) => JSON.stringify(v) + '\n').join('');
  const trailer = JSON.stringify({ trailer: { events: events.length, sha256: createHash('sha256').update(lines).digest('hex') } }) + '\n';
  writeFileSync(file, gzipSync(lines + trailer, { level: 9 }));
  return file;
}

const identify = { type: 5, data: { tag: 'loupe/identify', payload: { id: userID, traits: { email, company } } } };

/** Which needles the workspace file or its WAL holds, byte for byte. */
function fileHolds(needles) {
  const found = [];
  for (const f of [ws, ws + '-wal']) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    for (const n of needles) if (bytes.includes(Buffer.from(n))) found.push(`${n} in ${f}`);
  }
  return found;
}

before(async () => {
  bin = buildLoupe();
  dir = mkdtempSync(join(tmpdir(), 'loupe-ui-tidy-'));
  // The recent-workspaces list lives in the user's config folder: keep it here.
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  execFileSync(bin, ['bench', '--sessions', '80', '--out', dir, '--runs', '1'], { stdio: 'ignore' });
  ws = join(dir, 'bench-80.db');
  execFileSync(bin, ['import', '--workspace', ws,
    archive(join(dir, 'erase-1.loupe'), 's_tidy_erase_one', visitor, 1280, [identify]),
    archive(join(dir, 'erase-2.loupe'), 's_tidy_erase_two', visitor, 1280, [identify])], { stdio: 'ignore' });
  srv = await serve(bin, ws, port(70));
  ({ browser, page } = await openBrowser(srv.url));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function open(hash, ready) {
  await page.goto(srv.base + hash);
  await page.waitForSelector(ready, { timeout: 15000 });
}

async function sessionsMatching(segment, below) {
  await open('#/sessions?segment=' + encodeURIComponent(segment), '.tbody');
  return (await listShows(page, below)).total;
}

test('erasing a visitor from the player leaves nothing of them in the file', async () => {
  const needles = [visitor, userID, email, company, 's_tidy_erase_one', 's_tidy_erase_two'];
  assert.ok(fileHolds([visitor, email, company]).length >= 3, 'the visitor is in the file to begin with: ' + fileHolds(needles));
  await open('#/sessions/s_tidy_erase_one', '[data-tab="visitor"]');
  await page.click('[data-tab="visitor"]');
  page.once('dialog', (d) => d.accept());
  await page.click('[data-erase-visitor]');
  await page.waitForURL((u) => u.hash === '#/sessions');
  await listShows(page);
  assert.deepEqual(fileHolds(needles), [], 'bytes of the erased visitor remain');
  const left = JSON.parse(execFileSync(bin, ['sessions', '--workspace', ws, '--json']).toString());
  assert.equal(left.length, 80, 'only the bench sessions remain');
  const exported = join(dir, 'after-erase.json');
  execFileSync(bin, ['saved', 'export', '--workspace', ws, '--out', exported]);
  assert.ok(!readFileSync(exported, 'utf8').includes('s_tidy_erase'), 'the export names an erased session');
});

test('a session deleted from the sessions list is gone from the list and the file', async () => {
  await open('#/sessions', '.tbody');
  const { total } = await listShows(page);
  const id = await page.locator('[data-session]').first().getAttribute('data-session');
  page.once('dialog', (d) => d.accept());
  await page.click(`[data-delete-session="${id}"]`);
  assert.equal((await listShows(page, total)).total, total - 1);
  assert.equal(await page.locator(`[data-session="${id}"]`).count(), 0);
  assert.deepEqual(fileHolds([id]), [], 'the deleted session id remains in the file');
});

test('a tag rule made in the Segments view tags old and new sessions', async () => {
  const mobile = await sessionsMatching('device = mobile');
  assert.ok(mobile > 0, 'the bench has mobile sessions');
  await open('#/segments', '[data-segment-text]');
  await page.fill('[data-segment-text]', 'device = mobile');
  await page.fill('[data-tag-rule-name]', 'on-a-phone');
  await page.waitForSelector('[data-add-tag-rule]:not([disabled])');
  await page.click('[data-add-tag-rule]');
  await page.waitForSelector(`[data-tag-rule-added]:has-text("Tagged ${mobile} sessions")`);
  await page.waitForSelector('[data-tag-rule="on-a-phone"]');
  assert.equal(await sessionsMatching('tag = on-a-phone'), mobile);
  // A new phone session synced later is tagged too.
  execFileSync(bin, ['import', '--workspace', ws, archive(join(dir, 'phone.loupe'), 's_tidy_new_phone', 'v_tidy_phone', 390)], { stdio: 'ignore' });
  await page.goto(srv.base + '#/segments');
  await page.waitForSelector('[data-tag-rule="on-a-phone"]');
  const shown = await sessionsMatching('tag = on-a-phone', Infinity);
  assert.equal(shown, mobile + 1, 'the new phone session carries the rule tag');
});

test('saved work exported from Settings imports back, once', async () => {
  await open('#/settings', '[data-saved-export]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-saved-export]')]);
  const file = join(dir, 'saved.json');
  await download.saveAs(file);
  assert.ok(readFileSync(file, 'utf8').includes('"on-a-phone"'));
  // Remove the rule, then bring it back from the file.
  await open('#/segments', '[data-tag-rule="on-a-phone"]');
  page.once('dialog', (d) => d.accept());
  await page.click('[aria-label="Remove rule on-a-phone"]');
  await page.waitForSelector('[data-tag-rule="on-a-phone"]', { state: 'detached' });
  await open('#/settings', '[data-saved-export]');
  await page.setInputFiles('[data-saved-import]', file);
  await page.waitForSelector('[data-saved-result]:has-text("Imported 1 items, 0 already here")');
  await page.setInputFiles('[data-saved-import]', []);
  await page.setInputFiles('[data-saved-import]', file);
  await page.waitForSelector('[data-saved-result]:has-text("Imported 0 items, 1 already here")');
  await open('#/segments', '[data-tag-rule="on-a-phone"]');
});

test('re-deriving after raising the rage click threshold changes the counts', async () => {
  const before = await sessionsMatching('rage_clicks > 0');
  assert.ok(before > 0, 'the bench has rage clicks');
  await open('#/settings', '[data-def="rage_clicks"]');
  await page.fill('[data-def="rage_clicks"]', '50');
  await page.click('[data-save-defs]');
  await page.waitForSelector('[data-save-defs]:has-text("Saved")');
  // Saving alone changes nothing already imported.
  assert.equal(await sessionsMatching('rage_clicks > 0'), before);
  await open('#/settings', '[data-rederive-start]');
  await page.click('[data-rederive-start]');
  await page.waitForSelector('[data-rederive-status]:has-text("Re-derived 80 sessions")', { timeout: 60000 });
  assert.equal(await sessionsMatching('rage_clicks > 0', before), 0, 'no burst reaches fifty clicks');
});

test('the switcher opens another workspace beside this one and remembers it', async () => {
  const other = join(dir, 'other.db');
  execFileSync(bin, ['import', '--workspace', other, archive(join(dir, 'other.loupe'), 's_tidy_other', 'v_tidy_other', 1280)], { stdio: 'ignore' });
  await open('#/settings', '[data-open-path]');
  await page.fill('[data-open-path]', other);
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-open-workspace]')]);
  // The new tab signs in with the new server's key, then shows its workspace.
  await tab.waitForURL((u) => u.protocol === 'http:' && u.port !== new URL(srv.base).port && !u.searchParams.has('key'), { timeout: 30000 });
  await tab.goto(new URL(tab.url()).origin + '/#/settings');
  await tab.waitForSelector(`[data-workspace-path]:has-text("${other}")`);
  await page.waitForSelector(`[data-opened]:has-text("Opened ${other} in a new tab")`);
  await page.waitForSelector(`[data-recent="${other}"]`);
  await tab.close();
});
