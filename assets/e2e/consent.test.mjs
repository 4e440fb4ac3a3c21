// Quotas and consent in real Chromium against a real tracker-server: a
// visit to a site at its monthly limit stops after the one refused batch,
// quietly and without retry, also on the session's next page; a visitor
// who opted out sends nothing at all; data-consent="required" sends nothing
// until loupe.optIn(), then records.
//
// Needs a built $LOUPE_BIN/tracker-server (default: the repository's bin/).
// Ports: $E2E_CONSENT_PORT (18160) to +1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { request } from "node:http";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { start, until } from "./lib/procs.mjs";
import { TRACKER_FILE } from "./lib/shop-server.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const COLLECTOR = join(process.env.LOUPE_BIN || join(ROOT, "bin"), "tracker-server");
const BASE = Number(process.env.E2E_CONSENT_PORT || 18160);
const collectorURL = `http://127.0.0.1:${BASE}`;
const pageOrigin = `http://127.0.0.1:${BASE + 1}`;

// token is the collector's analyst token: /v1/status needs it.
let tmp, collector, token, pages, browser;

/** A page with the tracker tag for site, plus the given tag attributes. */
function pageHTML(site, attrs) {
  return `<!doctype html><html><head><title>consent</title></head><body>
<h1>Consent page</h1><button id="b">Press</button><input id="i">
<script src="/t.js" data-site="${site}" data-collector="${collectorURL}" ${attrs}></script>
</body></html>`;
}

before(async () => {
  await access(COLLECTOR).catch(() => assert.fail(`missing ${COLLECTOR}: build it first (go build -o bin/tracker-server ./tracker-server)`));
  tmp = await mkdtemp(join(tmpdir(), "loupe-consent-"));
  const sites = join(tmp, "sites.json");
  await writeFile(
    sites,
    JSON.stringify({
      full: { origins: ["http://127.0.0.1:*"], monthly_sessions: 1 },
      open: { origins: ["http://127.0.0.1:*"] },
    }),
  );
  collector = start(COLLECTOR, ["--addr", `127.0.0.1:${BASE}`, "--data", join(tmp, "data"), "--sites", sites]);
  await until("collector /healthz", async () => (await fetch(collectorURL + "/healthz")).ok);
  token = await until("the analyst token", async () => collector.out.stdout.match(/analyst token: (\S+)/)?.[1]);

  const tracker = await readFile(TRACKER_FILE);
  pages = createServer((req, res) => {
    const url = new URL(req.url, pageOrigin);
    if (url.pathname === "/t.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" }).end(tracker);
      return;
    }
    const site = url.searchParams.get("site") || "open";
    const consent = url.searchParams.get("consent");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(pageHTML(site, consent ? `data-consent="${consent}"` : ""));
  });
  await new Promise((r) => pages.listen(BASE + 1, "127.0.0.1", r));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  pages?.closeAllConnections();
  await new Promise((r) => (pages ? pages.close(r) : r()));
  await collector?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Posts one batch of a session straight to the collector, as a tracker would. */
function ingest(site, session) {
  const body = JSON.stringify({
    site, session, visitor: "v_filler0001", seq: 0, sent_at: Date.now(), tracker: "0.1.0",
    events: [{ type: 4, data: { href: pageOrigin + "/", width: 800, height: 600 }, timestamp: Date.now() }],
  });
  return new Promise((resolve, reject) => {
    const req = request(collectorURL + "/v1/ingest", { method: "POST", headers: { Origin: pageOrigin, "Content-Type": "text/plain" } }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function siteStatus(site) {
  const st = await (await fetch(collectorURL + "/v1/status", { headers: { Authorization: "Bearer " + token } })).json();
  return st.sites.find((s) => s.site === site);
}

/** A fresh context whose ingest requests, page errors and console errors are counted. */
async function visit() {
  const ctx = await browser.newContext(DESKTOP);
  const seen = { ingest: [], errors: [] };
  ctx.on("request", (r) => r.url().includes("/v1/ingest") && seen.ingest.push(r));
  ctx.on("page", (p) => {
    p.on("pageerror", (e) => seen.errors.push("page error: " + e.message));
    p.on("console", (m) => {
      // Chromium itself logs every 4xx response of a fetch; that line is
      // the browser's, not the page's, and cannot be silenced by a script.
      if (m.type() === "error" && !/Failed to load resource: .*429/.test(m.text())) seen.errors.push("console: " + m.text());
    });
  });
  return { ctx, page: await ctx.newPage(), seen };
}

/** Activity that would make a recording tracker queue a batch at once. */
async function act(page) {
  await page.click("#b");
  await page.fill("#i", "hello");
  await page.evaluate(() => window.loupe.flush());
}

/** The persisted send queue: a recording tracker keeps each cut batch here until acked. */
const queued = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem("loupe_q") || "[]").length);

test("a visit to a site at its limit stops after the refused batch, without retry or errors", { timeout: 90_000 }, async () => {
  const filler = await ingest("full", "s_fillerses01");
  assert.equal(filler.status, 200, "the session that uses up the limit was refused");
  assert.equal((await siteStatus("full")).limited, true);

  const { ctx, page, seen } = await visit();
  const refused = page.waitForResponse((r) => r.url().includes("/v1/ingest") && r.status() === 429);
  await page.goto(pageOrigin + "/?site=full");
  await act(page);
  const reply = await (await refused).json();
  assert.equal(reply.stop, "quota");
  const session = await page.evaluate(() => window.loupe.session());
  await page.waitForFunction((s) => localStorage.getItem("loupe_stop") === s, session);

  // More activity, then the session's next page: nothing is queued, so
  // nothing can be sent or retried.
  await act(page);
  assert.equal(await queued(page), 0, "batches queued after the stop");
  await page.reload();
  await page.waitForFunction(() => window.loupe && window.loupe.session());
  assert.equal(await page.evaluate(() => window.loupe.session()), session, "the reload began another session");
  await act(page);
  assert.equal(await queued(page), 0, "the next page of a stopped session queued batches");
  await ctx.close();

  assert.equal(seen.ingest.length, 1, `ingest requests: ${seen.ingest.map((r) => r.url()).join(", ")}`);
  assert.deepEqual(seen.errors, []);
  const st = await siteStatus("full");
  assert.equal(st.sessions, 1, "the refused visit was counted");
  assert.equal(st.refused, 1, "the collector saw more than the one refused batch");
});

test("a visitor who opted out sends nothing at all", { timeout: 90_000 }, async () => {
  const { ctx, page, seen } = await visit();
  await page.goto(pageOrigin + "/?consent=required");
  await page.waitForFunction(() => typeof window.loupe?.optOut === "function");
  await page.evaluate(() => window.loupe.optOut());
  // The choice holds on a page whose tag asks for no consent at all.
  await page.goto(pageOrigin + "/");
  await page.waitForFunction(() => typeof window.loupe?.optIn === "function");
  await act(page);
  await page.reload();
  await page.waitForFunction(() => typeof window.loupe?.optIn === "function");
  await act(page);
  assert.equal(await page.evaluate(() => window.loupe.session()), "", "a session was started");
  assert.equal(await page.evaluate(() => localStorage.getItem("loupe_vid")), null, "a visitor id was stored");
  assert.equal(await queued(page), 0);
  await ctx.close();
  assert.equal(seen.ingest.length, 0, "requests to /v1/ingest after opting out");
  assert.deepEqual(seen.errors, []);
});

test("data-consent=required records nothing until loupe.optIn(), then records", { timeout: 90_000 }, async () => {
  const counted = (await siteStatus("open")).sessions;
  const { ctx, page, seen } = await visit();
  await page.goto(pageOrigin + "/?consent=required");
  await page.waitForFunction(() => typeof window.loupe?.optIn === "function");
  await page.evaluate(() => window.loupe.event("before-consent"));
  await act(page);
  assert.equal(await queued(page), 0);
  assert.equal(await page.evaluate(() => window.loupe.session()), "");
  assert.equal(seen.ingest.length, 0, "requests to /v1/ingest before optIn");

  const stored = page.waitForResponse((r) => r.url().includes("/v1/ingest") && r.status() === 200);
  await page.evaluate(() => window.loupe.optIn());
  await page.evaluate(() => window.loupe.flush());
  await stored;
  const session = await page.evaluate(() => window.loupe.session());
  assert.match(session, /^s_/);
  await until("the collector counting the session", async () => (await siteStatus("open")).sessions === counted + 1);

  // The choice is remembered: the next page records without asking.
  const again = page.waitForResponse((r) => r.url().includes("/v1/ingest") && r.status() === 200);
  await page.reload();
  await page.waitForFunction(() => window.loupe && window.loupe.session());
  await act(page);
  await again;
  assert.equal(await page.evaluate(() => window.loupe.session()), session);
  await ctx.close();
  assert.deepEqual(seen.errors, []);
});
