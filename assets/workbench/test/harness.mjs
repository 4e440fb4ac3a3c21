// Shared test harness: builds and starts `loupe serve` on a workspace made
// with `loupe import`, and drives /usr/bin/chromium through playwright-core
// while recording console errors and every request that leaves 127.0.0.1.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const screenshots = join(root, 'artifacts', 'screenshots');

// Each suite serves on ports from WORKBENCH_PORT_BASE (default 18520) up,
// so suites run side by side on one machine without meeting.
const portBase = Number(process.env.WORKBENCH_PORT_BASE || 18520);
/** The port a suite's nth server listens on. */
export const port = (n) => portBase + n;

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/**
 * Opens Chromium and records problems: console errors, page errors,
 * off-machine requests. addresses are the ones `loupe serve` printed (one or
 * a list): each is opened once, which trades its launch key for the cookie
 * every later call carries.
 */
export async function openBrowser(addresses, viewport = { width: 1360, height: 860 }, extraFlags = []) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...flags, ...extraFlags] });
  const page = await browser.newPage({ viewport });
  for (const a of [addresses].flat()) await login(page, a);
  const problems = [];
  const local = (u) => {
    try {
      const h = new URL(u).hostname;
      return h === '127.0.0.1' || h === 'localhost';
    } catch {
      return false;
    }
  };
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // A request off this machine counts when it was answered, or when it
  // failed for any reason other than the page's policy blocking it (a DNS
  // failure means it tried to leave).
  const offMachine = (u) => !local(u) && !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith('about:');
  page.on('response', (r) => { if (offMachine(r.url())) problems.push(`request left the machine: ${r.url()}`); });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (offMachine(r.url()) && !/^csp$|BLOCKED_BY_(CSP|CLIENT)|ERR_ABORTED/.test(why)) problems.push(`request left the machine: ${r.url()} (${why})`);
  });
  // The workbench's own files and calls must all succeed; a replayed page's
  // relative URLs may 404 on this server, which is harmless.
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && local(r.url()) && (path.startsWith('/api/') || path.startsWith('/assets/') || path === '/' || path === '/index.html')) {
      problems.push(`HTTP ${r.status()}: ${r.url()}`);
    }
  });
  return { browser, page, problems };
}

/** Builds the loupe binary once into bin/loupe. */
export function buildLoupe() {
  const bin = join(root, 'bin', 'loupe');
  mkdirSync(join(root, 'bin'), { recursive: true });
  execFileSync('go', ['build', '-o', bin, '.'], { cwd: root, stdio: 'inherit' });
  return bin;
}

/** Imports files into a fresh workspace with `loupe import`. */
export function makeWorkspace(bin, files) {
  const ws = join(mkdtempSync(join(tmpdir(), 'loupe-ui-')), 'ws.db');
  execFileSync(bin, ['import', '--workspace', ws, ...files], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return ws;
}

/** Opens the printed address (with its key) and waits until the key has left the address bar. */
export async function login(page, address) {
  await page.goto(address);
  await page.waitForURL((u) => !u.searchParams.has('key'));
}

/**
 * Starts `loupe serve` on port and resolves with the address it printed
 * (url, with the launch key), its base URL without the key, and a stop
 * function.
 */
export async function serve(bin, ws, port) {
  const proc = spawn(bin, ['serve', '--workspace', ws, '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const url = await new Promise((ok, fail) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Loupe workbench: (http:\/\/\S+)\n/);
      if (m) ok(m[1]);
    });
    proc.on('exit', (code) => fail(new Error(`loupe serve exited ${code}: ${err}`)));
  });
  return {
    url,
    base: new URL(url).origin + '/',
    stop: () => new Promise((ok) => { proc.once('exit', ok); proc.kill('SIGTERM'); }),
  };
}

/**
 * Waits until the sessions list shows an answer, as the user sees it: the
 * footer's total is in (not "Loading…") and, unless it is zero, rows are on
 * screen. below, if given, is a total the answer must be under (a filter
 * just narrowed the list); the intermediate empty state while a new query
 * loads never counts. Resolves with { total, rows }.
 */
export async function listShows(page, below = Infinity) {
  const h = await page.waitForFunction((max) => {
    const v = document.querySelector('.tbody')?.getAttribute('data-total');
    if (!v) return null; // loading
    const total = Number(v);
    const rows = document.querySelectorAll('[data-session]').length;
    if (total >= max || (total > 0 && rows === 0)) return null;
    return { total, rows };
  }, below === Infinity ? Number.MAX_SAFE_INTEGER : below, { timeout: 30000 });
  return h.jsonValue();
}

/** Waits until no part of the page says it is still loading. */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]') &&
    !/Loading…/.test(document.body.innerText));
}
