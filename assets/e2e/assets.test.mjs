// Page assets travel with a session. Chromium visits a test site on two
// origins (a page origin and a CDN origin without CORS headers) carrying the
// real tracker from the collector; the collector seals the session with its
// pictures, stylesheet and font; `loupe sync` brings them into a fresh
// workspace. Then both web servers and the collector stop, and the
// workbench's browser context may reach nothing but the workbench: the
// player, the heatmap and a session that went through `loupe export` and
// `loupe import` must still show every picture, the CDN stylesheet's rules
// and the web font, without asking any other origin for anything. A second
// page checks the limits: an image the CDN answered 404 for replays as a
// placeholder and the player says one asset is missing.
//
// Needs $LOUPE_BIN/loupe and $LOUPE_BIN/tracker-server (default bin/).
// Ports: $E2E_ASSETS_PORT (18190) to +4.
import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { CDN_RULES, startAssetSite } from "./lib/asset-site.mjs";
import { pngStats } from "./lib/png.mjs";
import { run, servedAddress, start, until } from "./lib/procs.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.LOUPE_BIN || join(ROOT, "bin");
const LOUPE = join(BIN, "loupe");
const COLLECTOR = join(BIN, "tracker-server");
const BASE = Number(process.env.E2E_ASSETS_PORT || 18190);
const SHOTS = join(ROOT, "artifacts", "screenshots");

/**
 * Visits a page of the site in a fresh context (a new session), runs act,
 * waits until the collector has every batch the page sent (received()
 * counts the batches the collector took), and returns the session id.
 */
async function visit(browser, url, collectorURL, received, act) {
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const start = await received();
  let sent = 0;
  page.on("request", (r) => r.url().startsWith(collectorURL + "/v1/ingest") && sent++);
  await page.goto(url);
  await page.waitForFunction(() => window.loupe && typeof window.loupe.session === "function");
  await act(page);
  const id = await page.evaluate(() => window.loupe.session());
  // A custom event makes sure the flush has something to send.
  const before = sent;
  await page.evaluate(() => (window.loupe.event("visit_done"), window.loupe.flush()));
  await until("the last batch taken by the collector", async () => sent > before && (await received()) - start >= sent, { intervalMs: 100 });
  await ctx.close();
  return id;
}

/**
 * Polls fn(arg) in the replay frame until it holds or 20 s pass; the
 * caller then asserts on the state it reads. (The frame is sandboxed
 * without scripts, so waitForFunction's in-page timers never fire there.)
 */
async function settled(frame, fn, arg) {
  await until("the replayed page", () => frame.evaluate(fn, arg), { timeoutMs: 20_000, intervalMs: 200 }).catch(() => {});
}

/** Everything the assertions read from a replayed page, in one look. */
function pageState(font) {
  const imgs = [...document.images].map((i) => ({
    id: i.id,
    src: i.currentSrc || i.src,
    complete: i.complete,
    naturalWidth: i.naturalWidth,
    srcset: i.getAttribute("srcset") || "",
  }));
  const boxed = document.getElementById("boxed");
  const bg = document.getElementById("bg");
  const brand = document.querySelector(".brand");
  const faces = [...document.fonts].map((f) => ({ family: f.family.replace(/["']/g, ""), status: f.status }));
  return {
    imgs,
    boxedWidth: boxed ? boxed.getBoundingClientRect().width : null,
    boxedCSSWidth: boxed ? getComputedStyle(boxed).width : null,
    background: bg ? getComputedStyle(bg).backgroundImage : null,
    brandFont: brand ? getComputedStyle(brand).fontFamily : null,
    fontLoaded: faces.some((f) => f.family === font && f.status === "loaded") && document.fonts.check(`700 32px "${font}"`),
    faces,
  };
}

/**
 * Waits until the replayed page in frame shows what the assets page
 * shows (ids: the images it must have), then checks every part of it
 * against the workbench origin, reporting the whole state on failure.
 */
async function expectAssetsPage(frame, serveURL, ids, label) {
  const want = { ids, width: CDN_RULES.boxedWidth, font: CDN_RULES.font };
  const ready = (w) => {
    const imgs = [...document.images];
    const boxed = document.getElementById("boxed");
    return (
      w.ids.every((id) => {
        const i = document.getElementById(id);
        return i && i.complete && i.naturalWidth > 0;
      }) &&
      imgs.every((i) => i.complete) &&
      boxed && Math.round(boxed.getBoundingClientRect().width) === w.width &&
      [...document.fonts].some((f) => f.family.replace(/["']/g, "") === w.font && f.status !== "unloaded" && f.status !== "loading")
    );
  };
  await settled(frame, ready, want);
  const s = await frame.evaluate(pageState, CDN_RULES.font);
  const detail = `${label}: ${JSON.stringify(s, null, 1)}`;
  assert.deepEqual(s.imgs.map((i) => i.id).sort(), [...ids].sort(), `${label}: the replayed page's images\n${detail}`);
  for (const i of s.imgs) {
    assert.ok(i.src.startsWith(serveURL + "/asset/"), `${label}: image #${i.id} comes from ${i.src}, not the workspace\n${detail}`);
    assert.ok(i.complete && i.naturalWidth > 0, `${label}: image #${i.id} did not load\n${detail}`);
    // Every srcset candidate, not only the one this screen picked.
    for (const c of i.srcset.split(",").map((x) => x.trim().split(/\s+/)[0]).filter(Boolean)) {
      assert.ok(new URL(c, serveURL).href.startsWith(serveURL + "/asset/"), `${label}: srcset candidate ${c} of #${i.id}\n${detail}`);
    }
  }
  assert.equal(s.imgs.find((i) => i.id === "srcset").srcset.split(",").length, 2, `${label}: srcset has two candidates\n${detail}`);
  assert.equal(Math.round(s.boxedWidth), CDN_RULES.boxedWidth, `${label}: the CDN stylesheet's rule is not applied\n${detail}`);
  assert.equal(s.boxedCSSWidth, `${CDN_RULES.boxedWidth}px`, detail);
  assert.match(s.brandFont, new RegExp(CDN_RULES.font), `${label}: heading font\n${detail}`);
  assert.ok(s.fontLoaded, `${label}: the web font did not load\n${detail}`);
  // The CSS background image: a workspace URL that loads as a picture.
  const bgURL = s.background && s.background.match(/url\("?([^")]+)"?\)/)?.[1];
  assert.ok(bgURL && bgURL.startsWith(serveURL + "/asset/"), `${label}: background image ${s.background}\n${detail}`);
  // (Loaded from the workbench page: the replay frame runs no script, so
  // nothing could report the load from inside it.)
  const bgWidth = await frame.page().evaluate(
    (u) => new Promise((res) => { const i = new Image(); i.onload = () => res(i.naturalWidth); i.onerror = () => res(0); i.src = u; }),
    bgURL,
  );
  assert.ok(bgWidth > 0, `${label}: background image ${bgURL} does not load`);
}

/** The iframe the workbench rebuilt the recorded page in, once it has a body. */
async function replayFrame(page, selector) {
  const el = page.locator(selector).first();
  await el.waitFor({ state: "attached", timeout: 30_000 });
  const frame = await (await el.elementHandle()).contentFrame();
  await until("the replayed page's heading", () => frame.evaluate(() => !!document.querySelector("body h1")), { timeoutMs: 30_000, intervalMs: 200 });
  return frame;
}

/** A workbench context that can reach only serveURL; everything else is aborted and listed. */
async function offlineContext(browser, serveURL) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const elsewhere = [];
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(serveURL + "/")) return route.continue();
    elsewhere.push(url);
    return route.abort("internetdisconnected");
  });
  const errors = [];
  ctx.on("page", (p) => p.on("pageerror", (e) => errors.push(e.message)));
  const login = await ctx.newPage();
  await login.goto(launchAddress.get(serveURL));
  await login.waitForURL((u) => !u.searchParams.has("key"));
  await login.close();
  return { ctx, elsewhere, errors };
}

async function serveWorkspace(t, ws, port) {
  const serveURL = `http://127.0.0.1:${port}`;
  const serve = start(LOUPE, ["serve", "--workspace", ws, "--addr", `127.0.0.1:${port}`]);
  t.after(() => serve.stop());
  // The printed address carries the launch key; offlineContext trades it
  // for the session cookie.
  launchAddress.set(serveURL, await servedAddress(serve));
  return serveURL;
}

/** The address each started `loupe serve` printed, by its origin. */
const launchAddress = new Map();

test("a replay carries its page's pictures, stylesheets and fonts", { timeout: 300_000 }, async (t) => {
  for (const bin of [LOUPE, COLLECTOR]) {
    await access(bin).catch(() => assert.fail(`missing ${bin}: build it first`));
  }
  const tmp = await mkdtemp(join(tmpdir(), "loupe-assets-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const collectorURL = `http://127.0.0.1:${BASE}`;

  // 1. Collector, site, and two recorded visits. The collector's default
  // site, "demo" from localhost, is a local site: it may fetch page assets
  // from loopback addresses.
  const collector = start(COLLECTOR, ["--addr", `127.0.0.1:${BASE}`, "--data", join(tmp, "data"), "--seal-after", "2s"]);
  t.after(() => collector.stop());
  const token = await until("the analyst token", async () => collector.out.stdout.match(/analyst token: (\S+)/)?.[1]);
  await until("collector /healthz", async () => (await fetch(collectorURL + "/healthz")).ok);
  const auth = { headers: { Authorization: "Bearer " + token } };
  const received = async () => {
    const st = await (await fetch(collectorURL + "/v1/status", auth)).json();
    return st.batches + st.duplicates;
  };
  const site = await startAssetSite({ port: BASE + 1, cdnPort: BASE + 2, collector: collectorURL });
  t.after(() => site.close());

  const browser = await launch();
  t.after(() => browser.close());
  const live = {};
  const mainId = await visit(browser, site.origin + "/", collectorURL, received, async (page) => {
    await page.getByRole("button", { name: "Show more" }).click();
    await page.locator("#late").waitFor();
    // The live page itself shows everything: the site is right.
    await page.waitForFunction(
      (font) => [...document.images].every((i) => i.complete && i.naturalWidth > 0) && document.fonts.check(`700 32px "${font}"`),
      CDN_RULES.font,
    );
    Object.assign(live, await page.evaluate(pageState, CDN_RULES.font));
  });
  assert.equal(Math.round(live.boxedWidth), CDN_RULES.boxedWidth, "the live page has the CDN rule");
  assert.ok(live.fontLoaded, "the live page has the web font");
  const limitsId = await visit(browser, site.origin + "/limits.html", collectorURL, received, (page) =>
    page.waitForFunction(() => document.getElementById("kept").naturalWidth > 0 && document.getElementById("gone").complete),
  );
  assert.notEqual(mainId, limitsId, "two visits, two sessions");

  // 2. Sealed (with assets) and synced into a fresh workspace.
  await until(
    "both sessions sealed",
    async () => {
      const st = await (await fetch(collectorURL + "/v1/status", auth)).json();
      return st.open_sessions === 0 && st.pending_uploads === 0 && st.sealed_archives >= 2;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const ws = join(tmp, "ws.db");
  await run(LOUPE, ["sync", "--workspace", ws, "--from", collectorURL, "--token", token]);
  const listed = JSON.parse((await run(LOUPE, ["sessions", "--workspace", ws, "--json"])).stdout).map((s) => s.id);
  assert.ok(listed.includes(mainId) && listed.includes(limitsId), `synced sessions: ${listed.join(", ")}`);

  // 3. Nothing the page came from is there any more.
  await site.close();
  await collector.stop();
  const served = site.requests.length;

  const serveURL = await serveWorkspace(t, ws, BASE + 3);
  const { ctx, elsewhere, errors } = await offlineContext(browser, serveURL);
  t.after(() => ctx.close());
  const wb = await ctx.newPage();

  await t.test("the player shows every picture, the CDN stylesheet and the font", async () => {
    // At the end of the recording, the image added by script is there too.
    await wb.goto(`${serveURL}/#/sessions/${encodeURIComponent(mainId)}?t=3600000`);
    const frame = await replayFrame(wb, "[data-player] iframe");
    await expectAssetsPage(frame, serveURL, ["same", "cdn", "srcset", "late"], "player");
    await mkdir(SHOTS, { recursive: true });
    const png = await wb.screenshot({ path: join(SHOTS, "assets-replay.png") });
    const stats = await pngStats(await ctx.newPage(), png);
    assert.ok(stats.stddev > 8 && stats.distinct > 50, `screenshot looks blank: ${JSON.stringify(stats)}`);
    assert.deepEqual(elsewhere, [], "the player asked other origins");
  });

  await t.test("the heatmap rebuilds the page with its assets", async () => {
    await wb.goto(`${serveURL}/#/heatmaps?page=${encodeURIComponent("/")}`);
    const frame = await replayFrame(wb, "[data-heat-stage] iframe");
    // The heatmap shows the page as the visitor left it: "Show more" clicked.
    await expectAssetsPage(frame, serveURL, ["same", "cdn", "srcset", "late"], "heatmap");
    assert.deepEqual(elsewhere, [], "the heatmap asked other origins");
  });

  await t.test("an image the CDN did not serve is a placeholder, and the player says so", async () => {
    await wb.goto(`${serveURL}/#/sessions/${encodeURIComponent(limitsId)}`);
    const frame = await replayFrame(wb, "[data-player] iframe");
    await settled(frame, () => ["kept", "gone"].every((id) => document.getElementById(id)?.complete));
    const imgs = await frame.evaluate(() => ["kept", "gone"].map((id) => { const i = document.getElementById(id); return { id, src: i.currentSrc || i.src, w: i.naturalWidth }; }));
    assert.ok(imgs[0].src.startsWith(serveURL + "/asset/") && imgs[0].w > 0, `served image: ${JSON.stringify(imgs[0])}`);
    assert.match(imgs[1].src, /^data:image\/svg\+xml/, `missing image: ${JSON.stringify(imgs[1])}`);
    await wb.getByText(/\b1 missing\b/).first().waitFor({ timeout: 20_000 });
    assert.deepEqual(elsewhere, [], "the player asked other origins");
  });

  await t.test("an exported session imported elsewhere still carries its assets", async () => {
    const file = join(tmp, "main.loupe");
    await run(LOUPE, ["export", "--workspace", ws, "--session", mainId, "--out", file]);
    const text = gunzipSync(await readFile(file)).toString("utf8");
    const data = text.split("\n").filter((l) => l.startsWith('{"asset_data"'));
    assert.ok(data.length >= 6, `the exported archive carries ${data.length} assets, want the page's 7 files`);
    const ws2 = join(tmp, "ws2.db");
    await run(LOUPE, ["import", "--workspace", ws2, file]);
    const serve2 = await serveWorkspace(t, ws2, BASE + 4);
    const { ctx: ctx2, elsewhere: elsewhere2 } = await offlineContext(browser, serve2);
    t.after(() => ctx2.close());
    const p = await ctx2.newPage();
    await p.goto(`${serve2}/#/sessions/${encodeURIComponent(mainId)}?t=3600000`);
    const frame = await replayFrame(p, "[data-player] iframe");
    await expectAssetsPage(frame, serve2, ["same", "cdn", "srcset", "late"], "imported");
    assert.deepEqual(elsewhere2, [], "the imported session's player asked other origins");
  });

  assert.equal(site.requests.length, served, "the stopped site was asked for something");
  assert.deepEqual(errors, [], "page errors in the workbench");
});
