// End to end through every real part: Chromium visits the demo shop with
// the tracker; tracker-server stores and seals the session; `loupe sync`
// imports it; `loupe sessions --json` reports what the visit did; typed
// text is nowhere on disk; `loupe serve` replays it (screenshot kept in
// artifacts/screenshots/).
//
// Needs built binaries: $LOUPE_BIN/loupe and $LOUPE_BIN/tracker-server
// (default: the repository's bin/). Ports: $E2E_PORT_BASE (18120) to +2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { pngStats } from "./lib/png.mjs";
import { run, servedAddress, start, until } from "./lib/procs.mjs";
import { flushed, leave } from "./lib/settle.mjs";
import { filesContaining, walk } from "./lib/secrets.mjs";
import { startShop } from "./lib/shop-server.mjs";
import { Visit } from "./lib/visit.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.LOUPE_BIN || join(ROOT, "bin");
const LOUPE = join(BIN, "loupe");
const COLLECTOR = join(BIN, "tracker-server");
const BASE = Number(process.env.E2E_PORT_BASE || 18120);
const SHOTS = join(ROOT, "artifacts", "screenshots");

/** Collects console errors and page errors of every page in a context. */
function watchConsole(ctx, sink, label) {
  ctx.on("page", (p) => {
    p.on("console", (m) => m.type() === "error" && sink.push(`${label} console: ${m.text()}`));
    p.on("pageerror", (e) => sink.push(`${label} page error: ${e.message}`));
  });
}

test("a browser visit becomes a listed, replayable session", { timeout: 300_000 }, async (t) => {
  for (const bin of [LOUPE, COLLECTOR]) {
    await access(bin).catch(() => assert.fail(`missing ${bin}: build it first (go build -o bin/loupe . && go build -o bin/tracker-server ./tracker-server)`));
  }
  const tmp = await mkdtemp(join(tmpdir(), "loupe-e2e-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const data = join(tmp, "data");
  const ws = join(tmp, "ws.db");
  const collectorURL = `http://127.0.0.1:${BASE}`;
  const consoleErrors = [];

  // 1. The collector, sealing after 2 s of inactivity.
  const collector = start(COLLECTOR, ["--addr", `127.0.0.1:${BASE}`, "--data", data, "--seal-after", "2s"]);
  t.after(() => collector.stop());
  const token = await until("the analyst token", async () => {
    const m = collector.out.stdout.match(/analyst token: (\S+)/);
    return m ? m[1] : null;
  });
  await until("collector /healthz", async () => (await fetch(collectorURL + "/healthz")).ok);
  const auth = { headers: { Authorization: "Bearer " + token } };

  // 2. The shop, and a visit that clicks, navigates and types a secret.
  const shop = await startShop(BASE + 1);
  t.after(() => shop.close());
  const browser = await launch();
  t.after(() => browser.close());
  const ctx = await browser.newContext(DESKTOP);
  watchConsole(ctx, consoleErrors, "shop");
  const page = await ctx.newPage();
  const secret = "zq" + randomBytes(6).toString("hex") + "typed";
  const v = new Visit(page, shop.origin);
  await v.goto("/?collector=" + encodeURIComponent(collectorURL));
  await v.scroll(500);
  await v.click('[data-product="lantern"]', { nav: true });
  await v.click('.tabs a[data-tab="reviews"]', { spa: true });
  await v.click("#add", { customEvents: 1 });
  await v.click("#view-cart", { nav: true });
  await v.click("#to-checkout", { nav: true });
  await v.type("#name", secret);
  await v.type("#email", secret + "@example.com");
  const sessionId = await page.evaluate(() => window.loupe.session());
  assert.match(sessionId, /^[A-Za-z0-9_-]{8,64}$/);
  await flushed(page);
  await leave(page);
  await ctx.close();

  // 3. Sealing: the session's archive appears in the archive API.
  const archives = await until(
    "the sealed archive",
    async () => {
      const res = await fetch(collectorURL + "/v1/archives", auth);
      assert.equal(res.status, 200, "GET /v1/archives");
      const list = (await res.json()).archives;
      const status = await (await fetch(collectorURL + "/v1/status", auth)).json();
      return list.length > 0 && status.open_sessions === 0 && status.pending_uploads === 0 ? list : null;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  assert.equal((await fetch(collectorURL + "/v1/archives")).status, 401, "archive API without a token");

  // 4. Typed text is nowhere in what the collector keeps or serves.
  const served = [];
  for (const a of archives) {
    const res = await fetch(collectorURL + "/v1/archives/" + a.key, auth);
    assert.equal(res.status, 200, `GET archive ${a.key}`);
    const p = join(tmp, "served-" + served.length + ".loupe");
    await writeFile(p, Buffer.from(await res.arrayBuffer()));
    served.push(p);
  }
  const collectorFiles = [...(await walk(data)), ...served];
  assert.ok(collectorFiles.length > 0, "collector wrote no files");
  assert.deepEqual(await filesContaining(collectorFiles, secret), [], "typed text found in collector files");
  assert.ok((await filesContaining(served, sessionId)).length > 0, "the archives do not mention the session id");

  // 5. Sync into a workspace and list the session.
  await run(LOUPE, ["sync", "--workspace", ws, "--from", collectorURL, "--token", token]);
  const out = await run(LOUPE, ["sessions", "--workspace", ws, "--json"]);
  const sessions = JSON.parse(out.stdout);
  const s = sessions.find((x) => x.id === sessionId);
  assert.ok(s, `session ${sessionId} not listed; got ${sessions.map((x) => x.id).join(", ")}`);
  const want = { pageviews: v.count.page_loads + v.count.spa_navigations, clicks: v.count.clicks };
  assert.deepEqual({ pageviews: s.pageviews, clicks: s.clicks }, want, "pageviews and clicks");
  assert.equal(s.site, "demo");
  assert.equal(s.device, "desktop");
  assert.deepEqual(s.pages.slice(0, 2), ["/", "/product.html"], "first pages");
  const wsFiles = [ws, ws + "-wal", ws + "-shm"];
  assert.deepEqual(await filesContaining(wsFiles, secret), [], "typed text found in the workspace");

  // 6. Replay in browser mode; keep a screenshot.
  const serve = start(LOUPE, ["serve", "--workspace", ws, "--addr", `127.0.0.1:${BASE + 2}`]);
  t.after(() => serve.stop());
  const serveURL = `http://127.0.0.1:${BASE + 2}`;
  // The printed address carries the launch key, traded for a cookie on
  // the first load.
  const address = await servedAddress(serve);
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  watchConsole(ctx2, consoleErrors, "workbench");
  const wb = await ctx2.newPage();
  const external = [];
  wb.on("request", (r) => !r.url().startsWith(serveURL) && !/^(data|blob|about):/.test(r.url()) && external.push(r.url()));
  await wb.goto(address);
  await wb.waitForURL((u) => !u.searchParams.has("key"));
  await wb.goto(`${serveURL}/#/sessions/${encodeURIComponent(sessionId)}`);
  const frame = await until(
    "the player iframe with the replayed page",
    async () => {
      const el = await wb.$("iframe");
      const f = el && (await el.contentFrame());
      if (!f) return null;
      const n = await f.evaluate(() => document.body ? document.body.querySelectorAll("*").length : 0).catch(() => 0);
      return n > 10 ? f : null;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  const replayText = await frame.evaluate(() => document.body.innerText);
  assert.ok(replayText.includes("Fernhill"), "replayed page does not show the shop");
  await frame.evaluate(() => document.fonts.ready);
  await mkdir(SHOTS, { recursive: true });
  const png = await wb.screenshot({ path: join(SHOTS, "spine-replay.png") });
  const stats = await pngStats(await ctx2.newPage(), png);
  assert.ok(stats.stddev > 8 && stats.distinct > 50, `screenshot looks blank: ${JSON.stringify(stats)}`);
  assert.deepEqual(external, [], "the workbench made requests off the machine");
  await ctx2.close();

  assert.deepEqual(consoleErrors, [], "browser console errors");
});
