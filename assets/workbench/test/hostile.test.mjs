// The hostile-recording corpus (core/rrweb/testdata/hostile: one recording
// per attack vector, each trying to set parent.__pwned / top.__pwned or to
// reach a host under evil.example) imported into a workspace and opened in
// the player and the heatmap of real `loupe serve`, in Chromium. Nothing
// may run and nothing may leave the machine: Chromium resolves no name but
// 127.0.0.1 (--host-resolver-rules), every request the pages make is
// watched, and Chromium's network log is searched afterwards for any
// lookup, connection or preconnect to an outside host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLoupe, makeWorkspace, openBrowser, root, screenshots, serve } from './harness.mjs';

const corpusDir = join(root, 'core', 'rrweb', 'testdata', 'hostile');
// A session id from a hostile file name: it is shown as text, and linked
// only as a percent-encoded part of a workbench address.
const hostileID = '[id](javascript:parent.__pwned=1)<img src=x onerror=parent.__pwned=1>';
const netlog = join(mkdtempSync(join(tmpdir(), 'loupe-netlog-')), 'net.json');
let bin, srv, browser, page, problems, vectors;
const outside = new Map(); // URL → how it ended: 'blocked by policy' or what happened

before(async () => {
  vectors = readdirSync(corpusDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.ok(vectors.length >= 70, `${vectors.length} vectors in ${corpusDir}`);
  bin = buildLoupe();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-hostile-'));
  const renamed = join(dir, `${hostileID}.json`);
  // A recording of its own (a copy of another would be merged into it).
  const events = JSON.parse(readFileSync(join(corpusDir, 'onerror-img.json'), 'utf8'));
  for (const e of events) {
    e.timestamp += 86_400_000;
    if (e.type === 4) e.data.href = 'http://hostile.test/v/hostile-id';
  }
  writeFileSync(renamed, JSON.stringify(events));
  srv = await serve(bin, makeWorkspace(bin, [...vectors.map((v) => join(corpusDir, `${v}.json`)), renamed]), 18580);
  ({ browser, page, problems } = await openBrowser(srv.url, { width: 1280, height: 800 }, [
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    `--log-net-log=${netlog}`,
  ]));
  // Every request of every frame that names another host, and how it
  // ended: the page's content policy stops it before it exists on the
  // network; anything else (an answer, a failed lookup) means it left.
  const other = (u) => !/^(data|blob|about|chrome|devtools):/.test(u) && new URL(u).hostname !== '127.0.0.1';
  page.context().on('request', (r) => { if (other(r.url())) outside.set(r.url(), 'sent'); });
  page.context().on('requestfailed', (r) => {
    if (!other(r.url())) return;
    const why = r.failure()?.errorText ?? '';
    outside.set(r.url(), /^csp$|BLOCKED_BY_CSP/.test(why) ? 'blocked by policy' : why);
  });
  page.context().on('response', (r) => { if (other(r.url())) outside.set(r.url(), `answered ${r.status()}`); });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** The flag every payload tries to set, read in the page and in every frame that is readable. */
async function pwned() {
  const found = [];
  for (const f of page.frames()) {
    const v = await f.evaluate(() => window.__pwned ?? null).catch(() => null);
    if (v !== null) found.push(f.url());
  }
  return found;
}

/** Waits until sel's replay frame shows the vector's heading, or a notice says why it cannot. */
async function shown(sel, name) {
  await page.waitForFunction(
    ([sel, heading]) => {
      if (document.querySelector('.notice')) return true;
      const body = document.querySelector(sel)?.contentDocument?.body;
      return !!body && body.textContent.includes(heading);
    },
    [sel, `Vector ${name}`],
    { timeout: 20_000 },
  ).catch(async (e) => {
    await page.screenshot({ path: join(screenshots, `hostile-failed-${name}.png`) }).catch(() => {});
    throw new Error(`${sel} for ${name}: ${e.message}; problems: ${problems.join('; ')}`);
  });
  return page.evaluate((sel) => {
    const f = document.querySelector(sel);
    const d = f?.contentDocument;
    return {
      notice: document.querySelector('.notice')?.textContent ?? '',
      sandbox: f?.getAttribute('sandbox') ?? null,
      scripts: d ? d.querySelectorAll('script').length : 0,
      handlers: d ? [...d.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length : 0,
      hints: d ? [...d.querySelectorAll('link[rel]')].map((l) => l.rel).filter((r) => !/^(stylesheet|icon|shortcut icon)$/i.test(r)) : [],
      bases: d ? [...d.querySelectorAll('base[href]')].length : 0,
      refresh: d ? d.querySelectorAll('meta[http-equiv]').length : 0,
    };
  }, sel);
}

function check(where, state) {
  assert.equal(state.scripts, 0, `${where}: script elements rebuilt`);
  assert.equal(state.handlers, 0, `${where}: on* handlers rebuilt`);
  assert.deepEqual(state.hints, [], `${where}: resource hints rebuilt`);
  assert.equal(state.bases, 0, `${where}: <base href> rebuilt`);
  assert.equal(state.refresh, 0, `${where}: <meta http-equiv> rebuilt`);
  if (state.sandbox !== null) assert.ok(!state.sandbox.includes('allow-scripts'), `${where}: sandbox ${state.sandbox}`);
}

test('every hostile vector replays in the player without running anything', async () => {
  const notices = [];
  for (const name of vectors) {
    problems.length = 0;
    // Half way: after every vector's mutations (t=100, 1000), before the
    // event-order vectors' second snapshot (t=3000).
    await page.goto(`${srv.base}#/sessions/${encodeURIComponent(name)}?t=1500`);
    const state = await shown('[data-player] iframe', name);
    if (state.notice) notices.push(`${name}: ${state.notice}`);
    check(`player ${name}`, state);
    assert.deepEqual(await pwned(), [], `player ${name}: the flag was set`);
    assert.deepEqual(problems.filter((p) => p.startsWith('request left') || p.startsWith('pageerror')), [], `player ${name}`);
    if (name === 'deep-nesting') await page.screenshot({ path: join(screenshots, 'hostile-deep-nesting-player.png') });
  }
  // A view may explain instead of replaying, but only the deep tree may need to.
  assert.deepEqual(notices.filter((n) => !n.startsWith('deep-nesting')), [], 'views that showed a notice');
});

test('every hostile vector draws as a heatmap without running anything', async () => {
  const notices = [];
  for (const name of vectors) {
    problems.length = 0;
    await page.goto(`${srv.base}#/heatmaps?page=${encodeURIComponent(`/v/${name}`)}`);
    const state = await shown('[data-heat-stage] iframe', name);
    if (state.notice) notices.push(`${name}: ${state.notice}`);
    check(`heatmap ${name}`, state);
    assert.deepEqual(await pwned(), [], `heatmap ${name}: the flag was set`);
    assert.deepEqual(problems.filter((p) => p.startsWith('request left') || p.startsWith('pageerror')), [], `heatmap ${name}`);
    if (name === 'deep-nesting') await page.screenshot({ path: join(screenshots, 'hostile-deep-nesting-heatmap.png') });
  }
  assert.deepEqual(notices.filter((n) => !n.startsWith('deep-nesting')), [], 'views that showed a notice');
});

test('a hostile session id is text in the player', async () => {
  await page.goto(`${srv.base}#/sessions/${encodeURIComponent(hostileID)}`);
  await page.waitForFunction(() => document.querySelector('[data-player] iframe')?.contentDocument?.body?.textContent.includes('Vector'), null, { timeout: 20_000 })
    .catch(async (e) => {
      await page.screenshot({ path: join(screenshots, 'hostile-failed-id.png') });
      throw new Error(`${e.message} at ${page.url()}; problems: ${problems.join('; ')}`);
    });
  assert.equal(await page.locator('h1.mono').textContent(), hostileID, 'the player names the session as written');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'the id became an image in the workbench');
  assert.deepEqual(await pwned(), [], 'the flag was set');
});

test('nothing reached for another host, not even a name lookup', async () => {
  await browser.close();
  browser = null;
  const left = [...outside].filter(([, how]) => how !== 'blocked by policy').map(([u, how]) => `${u} (${how})`);
  assert.deepEqual(left, [], 'requests for other hosts that were not stopped by the page policy');
  assert.ok(existsSync(netlog), 'Chromium wrote no network log');
  const log = readFileSync(netlog, 'utf8');
  assert.ok(log.includes('127.0.0.1:18580'), 'the network log does not show the workbench: it proves nothing');
  const hosts = [...new Set(log.match(/[a-z0-9.-]+\.evil\.example/g) ?? [])];
  assert.deepEqual(hosts, [], 'outside hosts in the network log (lookups, connections, preconnects)');
});
