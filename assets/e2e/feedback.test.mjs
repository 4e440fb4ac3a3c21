// The feedback prompt on the demo shop in Chromium, operated with the
// keyboard only: it shows per its rules (page glob, delay, once per
// visitor across a reload), stays out of the recording, keeps the page's
// CSS out, and its answers reach the workspace through tracker-server,
// `loupe sync` and the workbench's Player.Load (the session's Facts) as
// feedback of the session that gave them. Every ingest request carries
// `?s=` with its batch's session.
//
// Needs $LOUPE_BIN/loupe and $LOUPE_BIN/tracker-server (default: bin/).
// Ports: $E2E_FEEDBACK_PORT (18150) to +2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { run, servedAddress, start, until } from "./lib/procs.mjs";
import { flushed, leave } from "./lib/settle.mjs";
import { startShop } from "./lib/shop-server.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.LOUPE_BIN || join(ROOT, "bin");
const LOUPE = join(BIN, "loupe");
const COLLECTOR = join(BIN, "tracker-server");
const BASE = Number(process.env.E2E_FEEDBACK_PORT || 18150);
const CSAT_QUESTION = "How was checking out today?"; // assets/demo/site/loupe.js
const COMMENT = "Quick checkout, lovely lantern";

/** The prompt as the page sees it, read through its open shadow root. */
function promptState() {
  const host = document.querySelector(".loupe-feedback");
  if (!host || !host.shadowRoot) return null;
  const root = host.shadowRoot;
  const box = root.querySelector(".box");
  const focused = root.activeElement;
  const radios = [...root.querySelectorAll('[role="radio"]')];
  const cs = focused ? getComputedStyle(focused) : null;
  return {
    hostFocused: document.activeElement === host,
    hostClass: host.className,
    focused: focused ? { tag: focused.tagName, role: focused.getAttribute("role"), text: focused.textContent, label: focused.getAttribute("aria-label") } : null,
    outline: cs ? { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) } : null,
    checked: radios.filter((r) => r.getAttribute("aria-checked") === "true").map((r) => r.textContent),
    tabStops: radios.filter((r) => r.tabIndex === 0).length,
    radios: radios.length,
    question: root.querySelector("#q")?.textContent ?? null,
    groupLabelled: root.querySelector('[role="radiogroup"]')?.getAttribute("aria-labelledby") === "q",
    dialog: box?.getAttribute("role"),
    status: root.querySelector('[role="status"]')?.textContent ?? null,
    scheme: box ? box.style.colorScheme : null,
    font: box ? getComputedStyle(box).fontFamily : null,
    fontSize: radios[0] ? getComputedStyle(radios[0]).fontSize : null,
    radioBg: radios[0] ? getComputedStyle(radios[0]).backgroundColor : null,
    bodyFont: getComputedStyle(document.body).fontFamily,
    position: getComputedStyle(host).position,
  };
}

test("the feedback prompt works by keyboard and its answers reach the workspace", { timeout: 300_000 }, async (t) => {
  for (const bin of [LOUPE, COLLECTOR]) {
    await access(bin).catch(() => assert.fail(`missing ${bin}: build it first (go build -o bin/loupe . && go build -o bin/tracker-server ./tracker-server)`));
  }
  const tmp = await mkdtemp(join(tmpdir(), "loupe-feedback-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const ws = join(tmp, "ws.db");
  const collectorURL = `http://127.0.0.1:${BASE}`;

  const collector = start(COLLECTOR, ["--addr", `127.0.0.1:${BASE}`, "--data", join(tmp, "data"), "--seal-after", "2s"]);
  t.after(() => collector.stop());
  const token = await until("the analyst token", async () => collector.out.stdout.match(/analyst token: (\S+)/)?.[1]);
  await until("collector /healthz", async () => (await fetch(collectorURL + "/healthz")).ok);
  const shop = await startShop(BASE + 1);
  t.after(() => shop.close());
  const browser = await launch();
  t.after(() => browser.close());

  const ctx = await browser.newContext(DESKTOP);
  // The pages run on Playwright's clock: it keeps pace with real time, and
  // the test jumps it forward to see what a delay brings (or does not)
  // instead of sleeping through it.
  await ctx.clock.install();
  const problems = [];
  const ingests = []; // {s, session}
  const ingestStatuses = [];
  ctx.on("page", (p) => {
    p.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  });
  // keepalive requests get a "response" but never "requestfinished" in Chromium.
  const isIngest = (url) => url.startsWith(collectorURL + "/v1/ingest");
  ctx.on("request", (r) => {
    if (!isIngest(r.url())) return;
    const buf = r.postDataBuffer();
    const body = buf && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
    ingests.push({ s: new URL(r.url()).searchParams.get("s"), session: body ? JSON.parse(body.toString("utf8")).session : null });
  });
  ctx.on("response", (r) => isIngest(r.url()) && ingestStatuses.push(r.status()));
  // The prompt's widget is a script of its own, fetched only by pages a rule matches.
  const widgetLoads = []; // {url, page}
  ctx.on("request", (r) => {
    if (new URL(r.url()).pathname === "/t-feedback.js") widgetLoads.push({ url: r.url(), page: new URL(r.frame().url()).pathname });
  });
  // Times (ms since navigation) when the prompt's host element is added.
  await ctx.addInitScript(() => {
    window.__promptAt = [];
    new MutationObserver((list) => {
      for (const m of list) for (const n of m.addedNodes) if (n.classList?.contains("loupe-feedback")) window.__promptAt.push(performance.now());
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await ctx.newPage();
  const kb = page.keyboard;
  const state = () => page.evaluate(promptState);
  const shown = (what) => until(what, async () => (await state()) !== null, { timeoutMs: 10_000, intervalMs: 100 });
  // The tracker is running: its prompt rules and their timers are set.
  const tracking = () => page.waitForFunction(() => typeof window.loupe?.session === "function");

  // 1. Cart, with t.js held back: a rule queued through the page's
  // loupe.feedback stub before the tracker loads shows once it has.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(collectorURL + "/t.js", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(shop.origin + "/cart.html?collector=" + encodeURIComponent(collectorURL), { waitUntil: "domcontentloaded" });
  const queued = await page.evaluate(() => {
    window.loupe.feedback({ kind: "csat", page: "/cart.html", question: "Queued before load?", id: "queued" });
    return window.loupe.q.length;
  });
  assert.equal(queued, 1, "the stub did not queue the call");
  release();
  await shown("the queued prompt");
  assert.equal((await state()).question, "Queued before load?");
  assert.deepEqual(widgetLoads, [{ url: collectorURL + "/t-feedback.js", page: "/cart.html" }], "the widget was not fetched once, from the collector");
  await page.unroute(collectorURL + "/t.js");
  const sessionId = await page.evaluate(() => window.loupe.session());
  await kb.press("Escape");
  assert.equal(await state(), null, "Escape did not dismiss the queued prompt");

  // 2. A rule added through loupe.push on a dark page with hostile CSS:
  // dark scheme, page CSS kept out, page font inherited, Escape dismisses.
  await page.evaluate(() => {
    document.body.style.background = "#15171a";
    const s = document.createElement("style");
    s.textContent = "button{background:rgb(255,0,0)!important;font-size:40px!important} div{position:static!important}";
    document.head.appendChild(s);
    window.loupe.push(["feedback", { kind: "nps", page: "/cart*", delay: 0, id: "cart-check" }]);
  });
  await shown("the pushed prompt");
  let st = await state();
  assert.equal(st.scheme, "dark", "color scheme on a dark page");
  assert.notEqual(st.radioBg, "rgb(255, 0, 0)", "page CSS reached the prompt's buttons");
  assert.equal(st.fontSize, "14px", "page CSS changed the prompt's font size");
  assert.equal(st.font, st.bodyFont, "the prompt does not use the page's font");
  assert.equal(st.position, "fixed", "page CSS moved the prompt's host");
  assert.equal(st.radios, 11, "NPS scores 0-10");
  await kb.press("Escape");
  assert.equal(await state(), null, "Escape did not dismiss the prompt");

  // 3. A product page: no rule names it; after 2 s no prompt, no element.
  await page.goto(shop.origin + "/product.html?id=lantern");
  await tracking();
  await page.clock.fastForward(2000);
  assert.equal(await state(), null, "a prompt on a page no rule names");
  assert.deepEqual(await page.evaluate(() => window.__promptAt), [], "prompt DOM built on a page no rule names");
  assert.deepEqual(widgetLoads.filter((l) => l.page === "/product.html"), [], "the widget was fetched on a page no rule names");

  // 4. Thanks page: CSAT after 1 s, operated by keyboard only.
  await page.goto(shop.origin + "/thanks.html");
  assert.equal(await state(), null, "prompt shown before its delay");
  await shown("the CSAT prompt on /thanks.html");
  const [appearedAt] = await page.evaluate(() => window.__promptAt);
  assert.ok(appearedAt >= 1000, `prompt appeared ${appearedAt} ms after navigation, before its 1 s delay`);
  st = await state();
  assert.equal(st.question, CSAT_QUESTION);
  assert.equal(st.dialog, "dialog");
  assert.ok(st.groupLabelled, "the radio group is not labelled by the question");
  assert.match(st.hostClass, /\brr-block\b/, "the prompt is not blocked from the recording");
  assert.ok(st.hostFocused, "focus did not move into the prompt");
  assert.deepEqual(st.focused, { tag: "BUTTON", role: "radio", text: "1", label: "1, Very unsatisfied" }, "first focus");
  assert.equal(st.tabStops, 1, "the radio group is not a single tab stop");
  assert.equal(st.scheme, "light", "color scheme on the light shop");
  await kb.press("ArrowRight");
  await kb.press("ArrowRight");
  await kb.press("ArrowRight");
  await kb.press("ArrowLeft");
  await kb.press("ArrowRight");
  st = await state();
  assert.deepEqual(st.checked, ["4"], "arrow keys did not select 4");
  assert.equal(st.focused?.text, "4", "focus did not follow the selection");
  assert.equal(st.tabStops, 1, "roving tabindex");
  assert.ok(st.outline.style !== "none" && st.outline.width >= 2, `no visible focus ring: ${JSON.stringify(st.outline)}`);
  await kb.press("Tab");
  st = await state();
  assert.equal(st.focused?.tag, "INPUT", "Tab from the scores does not reach the comment");
  await kb.type(COMMENT);
  await kb.press("Enter");
  st = await state();
  assert.equal(st?.status, "Thank you for your feedback.", "no thank-you note after Enter");
  await until("the prompt to close", async () => (await state()) === null, { timeoutMs: 5000, intervalMs: 100 });

  // 5. Once per visitor: a reload of the thanks page shows nothing.
  await page.reload();
  await tracking();
  await page.clock.fastForward(2500);
  assert.equal(await state(), null, "the CSAT prompt showed again after a reload");
  assert.deepEqual(await page.evaluate(() => window.__promptAt), [], "a prompt element was created after the reload");

  // 6. Home: NPS after 30 s; End, ArrowLeft, Enter from the scores.
  await page.goto(shop.origin + "/");
  await tracking();
  await page.clock.fastForward(25_000);
  assert.equal(await state(), null, "the NPS prompt showed before 30 s");
  await page.clock.fastForward(6_000);
  await until("the NPS prompt on /", async () => (await state()) !== null, { timeoutMs: 15_000, intervalMs: 200 });
  await kb.press("End");
  await kb.press("ArrowLeft");
  st = await state();
  assert.deepEqual(st.checked, ["9"], "End then ArrowLeft");
  await kb.press("Enter");
  await until("the NPS prompt to close", async () => (await state()) === null, { timeoutMs: 5000, intervalMs: 100 });
  assert.equal(await page.evaluate(() => window.loupe.session()), sessionId, "the visit changed session");
  await flushed(page);
  await leave(page);
  await ctx.close();

  // Every ingest request named its batch's session in ?s=, and was accepted.
  assert.ok(ingests.length >= 3, `only ${ingests.length} ingest requests seen`);
  for (const r of ingests) assert.equal(r.s, r.session, "?s= differs from the batch's session");
  assert.ok(ingestStatuses.length >= 3, `only ${ingestStatuses.length} ingest responses seen`);
  assert.deepEqual(ingestStatuses.filter((s) => s !== 200), [], "ingest answers other than 200");

  // 7. Seal, sync, and read the session's feedback back from the workspace.
  const auth = { headers: { Authorization: "Bearer " + token } };
  await until(
    "the sealed archive",
    async () => {
      const st = await (await fetch(collectorURL + "/v1/status", auth)).json();
      return st.sealed_archives > 0 && st.open_sessions === 0 && st.pending_uploads === 0;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await run(LOUPE, ["sync", "--workspace", ws, "--from", collectorURL, "--token", token]);
  const sessions = JSON.parse((await run(LOUPE, ["sessions", "--workspace", ws, "--json"])).stdout);
  assert.ok(sessions.some((s) => s.id === sessionId), `session ${sessionId} not listed`);

  const serve = start(LOUPE, ["serve", "--workspace", ws, "--addr", `127.0.0.1:${BASE + 2}`]);
  t.after(() => serve.stop());
  const serveURL = `http://127.0.0.1:${BASE + 2}`;
  // The printed address carries the launch key; its answer sets the
  // cookie every API call must present.
  const login = await fetch(await servedAddress(serve), { redirect: "manual" });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  assert.match(cookie, /=/, "loupe serve set no cookie for its launch key");
  const res = await fetch(serveURL + "/api/Player/Load", {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify([sessionId]),
  });
  assert.equal(res.status, 200, "Player.Load");
  const replay = await res.json();
  assert.equal(replay.session.id, sessionId);
  const got = replay.facts.feedback.map(({ kind, score, comment, path }) => ({ kind, score, comment: comment ?? "", path }));
  assert.deepEqual(
    got,
    [
      { kind: "csat", score: 4, comment: COMMENT, path: "/thanks.html" },
      { kind: "nps", score: 9, comment: "", path: "/" },
    ],
    "feedback of the session",
  );

  // The prompt itself is not in the recording: its question is nowhere in
  // the events, the comment only in the loupe/feedback event, and the host
  // is a blocked placeholder.
  const events = replay.events;
  const text = (e) => JSON.stringify(e);
  assert.equal(events.filter((e) => text(e).includes(CSAT_QUESTION)).length, 0, "the prompt's question was recorded");
  const withComment = events.filter((e) => text(e).includes(COMMENT));
  assert.ok(withComment.length >= 1 && withComment.every((e) => e.type === 5 && e.data.tag === "loupe/feedback"), "the comment was recorded outside loupe/feedback");
  assert.ok(events.some((e) => /loupe-feedback/.test(text(e)) && /rr_height/.test(text(e))), "no blocked placeholder for the prompt");

  assert.deepEqual(problems, [], "browser console errors");
});
