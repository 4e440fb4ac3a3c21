// The tracker in real Chromium on the demo shop, against a stand-in
// ingest endpoint: masking and blocking, stream order, SPA pageviews,
// errors and requests, batching, retry, the command queue and sessions.
// Ports: $E2E_TRACKER_PORT (18130).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { until } from "./lib/procs.mjs";
import { flushed, leave } from "./lib/settle.mjs";
import { startShop } from "./lib/shop-server.mjs";
import { Visit } from "./lib/visit.mjs";

const PORT = Number(process.env.E2E_TRACKER_PORT || 18130);
let shop;
let browser;
let received = []; // {gzip, status, batch, text}
let answer = () => 200;

before(async () => {
  shop = await startShop(PORT, (buf) => {
    const gzip = buf[0] === 0x1f && buf[1] === 0x8b;
    const text = (gzip ? gunzipSync(buf) : buf).toString("utf8");
    const batch = JSON.parse(text);
    const status = answer(batch);
    if (process.env.E2E_DEBUG) console.error(Date.now() % 100000, batch.session, batch.seq, status, batch.events.length);
    received.push({ gzip, status, batch, text });
    return status;
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

/** Accepted batches, deduplicated by (session, seq), in order. */
function accepted() {
  const seen = new Map();
  for (const r of received) {
    if (r.status !== 200) continue;
    const k = r.batch.session + "/" + String(r.batch.seq).padStart(6, "0");
    if (!seen.has(k)) seen.set(k, r);
  }
  return [...seen.keys()].sort().map((k) => seen.get(k));
}
const eventsOf = (list) => list.flatMap((r) => r.batch.events);
const tagged = (evs, tag) => evs.filter((e) => e.type === 5 && e.data.tag === tag);

/**
 * Ends a visit: flushes until every batch is acknowledged and, if given,
 * delivered(events) holds for what the ingest endpoint accepted (events a
 * page emits a moment after the action that caused them), then leaves the
 * page and waits for its last requests.
 */
async function finish(page, delivered = () => true) {
  await until("the tracker to deliver the visit", async () => {
    await flushed(page);
    return delivered(eventsOf(accepted()));
  }, { timeoutMs: 30_000, intervalMs: 100 });
  await leave(page);
}

test("a checkout visit is recorded without typed text or blocked content", async () => {
  received = [];
  answer = () => 200;
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const v = new Visit(page, shop.origin);
  await v.goto("/");
  await v.click('[data-product="lantern"]', { nav: true });
  await v.click('.tabs a[data-tab="reviews"]', { spa: true });
  await v.click("#add");
  await v.click("#view-cart", { nav: true });
  await v.click("#to-checkout", { nav: true });
  await v.type("#name", "Wilhelmina Quarrystone");
  await v.type("#card", "4111 1111 1111 9876");
  await finish(page);
  await ctx.close();

  const list = accepted();
  const all = list.map((r) => r.text).join("\n");
  for (const s of ["Wilhelmina", "Quarrystone", "9876", "Margit Hollander"]) {
    assert.ok(!all.includes(s), `recording contains ${JSON.stringify(s)}`);
  }
  assert.ok(all.includes("rr_height"), "the loupe-no-capture element is not recorded as a blocked placeholder");
  assert.deepEqual(pageErrors, [], "errors thrown into the page");

  const sessions = new Set(list.map((r) => r.batch.session));
  const visitors = new Set(list.map((r) => r.batch.visitor));
  assert.equal(sessions.size, 1, "one session across page loads");
  assert.equal(visitors.size, 1, "one visitor across page loads");
  const [sid] = sessions;
  assert.match(sid, /^[A-Za-z0-9_-]{8,64}$/);
  assert.deepEqual(list.map((r) => r.batch.seq), list.map((_, i) => i), "seq runs 0..n-1 across page loads");
  for (const r of list) {
    assert.equal(r.batch.site, "demo");
    assert.equal(r.batch.tracker, "0.1.0");
    assert.equal(typeof r.batch.sent_at, "number");
  }
  assert.ok(received.some((r) => r.gzip), "no batch was gzip-compressed");

  const evs = eventsOf(list);
  const metas = evs.filter((e) => e.type === 4).map((e) => new URL(e.data.href).pathname + new URL(e.data.href).search);
  // Query strings are stripped at capture but for the parameters the demo
  // shop's tag keeps (data-keep-params="id,tab").
  assert.deepEqual(metas, ["/", "/product.html?id=lantern", "/product.html?id=lantern&tab=reviews", "/cart.html", "/checkout.html"]);
  const clicks = evs.filter((e) => e.type === 3 && e.data.source === 2 && e.data.type === 2);
  assert.equal(clicks.length, v.count.clicks, "clicks recorded, including those that left the page");
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i];
    if (!(e.type === 3 && e.data.source === 2 && e.data.type === 2)) continue;
    const prev = evs.slice(0, i).reverse().find((p) => !(p.type === 3 && p.data.source === 2 && p.data.type !== 2));
    assert.ok(prev && prev.type === 5 && prev.data.tag === "loupe/rect", `click at ${i} not preceded by loupe/rect`);
    assert.equal(prev.data.payload.id, e.data.id, "loupe/rect id is the clicked node");
    for (const k of ["x", "y", "w", "h"]) assert.equal(typeof prev.data.payload[k], "number");
  }
  const pages = tagged(evs, "loupe/page");
  assert.ok(pages.length >= 5, `only ${pages.length} loupe/page events`);
  assert.ok(pages.every((p) => p.data.payload.doc_height > 0 && p.data.payload.viewport.w === 1280));
  assert.ok(tagged(evs, "loupe/event").some((e) => e.data.payload.name === "add_to_cart"));
  const requests = evs.filter((e) => e.type === 6 && e.data.plugin === "rrweb/network@1").flatMap((e) => e.data.payload.requests);
  assert.ok(requests.some((r) => r.name.includes("/api/ok/stock") && r.status === 200), "stock check not recorded");
  assert.ok(!requests.some((r) => r.name.includes("/v1/ingest")), "the tracker recorded its own ingest requests");
});

test("errors, failed requests and the command queue", async () => {
  received = [];
  answer = () => 200;
  const ctx = await browser.newContext(DESKTOP);
  // Hold t.js back so calls made before it loads go to the queue.
  await ctx.route("**/t.js", async (r) => {
    await new Promise((res) => setTimeout(res, 800));
    await r.continue();
  });
  const page = await ctx.newPage();
  await page.goto(shop.origin + "/product.html?id=tent", { waitUntil: "domcontentloaded" });
  await page.evaluate(() => {
    window.loupe.identify("user_early", { plan: "pro" });
    window.loupe.event("early_event", { n: 1 });
  });
  await page.waitForFunction(() => typeof window.loupe.session === "function");
  // The stock check has failed when the page says so.
  await page.waitForSelector(".stock.bad");
  await page.click("#buy");
  await page.evaluate(() => {
    Promise.reject(new Error("async boom"));
  });
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open("post", "/api/ok/xhr?q=1");
        x.onloadend = resolve;
        x.send("{}");
      }),
  );
  // Nothing listens on this port (the top of this suite's range): a network error.
  await page.evaluate(() => fetch("http://127.0.0.1:18199/nothing", { method: "PUT" }).catch(() => null));
  // The network plugin records a request once it has settled.
  const recorded = (evs, name) => evs.some((e) => e.type === 6 && e.data.plugin === "rrweb/network@1" &&
    e.data.payload.requests.some((r) => r.name.endsWith(name)));
  await finish(page, (evs) => recorded(evs, "/nothing") && recorded(evs, "/api/ok/xhr") &&
    tagged(evs, "loupe/error").length >= 2);
  await ctx.close();

  const evs = eventsOf(accepted());
  const reqs = evs.filter((e) => e.type === 6 && e.data.plugin === "rrweb/network@1").flatMap((e) => e.data.payload.requests);
  const xhr = reqs.find((r) => r.name.endsWith("/api/ok/xhr"));
  assert.deepEqual(xhr && [xhr.method, xhr.status, xhr.initiatorType], ["POST", 200, "xmlhttprequest"], `xhr: ${JSON.stringify(xhr)}`);
  const down = reqs.find((r) => r.name === "http://127.0.0.1:18199/nothing");
  assert.deepEqual(down && [down.method, down.status, down.initiatorType], ["PUT", 0, "fetch"], `failed fetch: ${JSON.stringify(down)}`);
  assert.deepEqual(tagged(evs, "loupe/identify").map((e) => e.data.payload), [{ id: "user_early", traits: { plan: "pro" } }]);
  assert.deepEqual(tagged(evs, "loupe/event").map((e) => e.data.payload.name), ["early_event"]);
  const errors = tagged(evs, "loupe/error").map((e) => e.data.payload);
  assert.equal(errors.length, 2, `errors: ${JSON.stringify(errors)}`);
  assert.equal(errors[0].kind, "error");
  assert.match(errors[0].message, /tent|undefined/);
  assert.match(errors[0].source, /shop\.js$/);
  assert.ok(errors[0].line > 0);
  assert.equal(errors[1].kind, "rejection");
  assert.match(errors[1].message, /async boom/);
  const requests = evs.filter((e) => e.type === 6 && e.data.plugin === "rrweb/network@1").flatMap((e) => e.data.payload.requests);
  const stock = requests.filter((r) => r.name.includes("/api/fail/stock"));
  assert.equal(stock.length, 1, `stock check requests: ${JSON.stringify(requests)}`);
  assert.equal(stock[0].status, 500);
  assert.ok(stock[0].endTime >= stock[0].startTime);
});

test("failed sends are retried with the same seq; 4xx is not retried", async () => {
  received = [];
  let fails = 2;
  answer = (b) => (b.seq === 0 && fails-- > 0 ? 503 : b.seq === 1 ? 400 : 200);
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(shop.origin + "/");
  // The first batch goes out a second after load, and is refused.
  await until("the first batch", () => received.some((r) => r.batch.seq === 0), { intervalMs: 50 });
  // A second batch queues behind it while it is retried with backoff.
  await page.mouse.wheel(0, 400);
  await until("a second batch queued", async () => {
    await page.evaluate(() => window.loupe.flush());
    return page.evaluate(() => JSON.parse(sessionStorage.getItem("loupe_q") ?? "[]").some((b) => b.seq === 1));
  }, { intervalMs: 100 });
  await until("seq 0 accepted and seq 1 refused", () =>
    received.some((r) => r.batch.seq === 0 && r.status === 200) && received.some((r) => r.batch.seq === 1),
  { timeoutMs: 30_000, intervalMs: 100 });
  // Sending goes on after the 400.
  await page.mouse.wheel(0, 300);
  await until("seq 2 accepted", async () => {
    await page.evaluate(() => window.loupe.flush());
    return received.some((r) => r.batch.seq === 2 && r.status === 200);
  }, { timeoutMs: 30_000, intervalMs: 100 });
  await ctx.close();
  const seq0 = received.filter((r) => r.batch.seq === 0).map((r) => r.status);
  assert.deepEqual(seq0, [503, 503, 200], "seq 0 attempts");
  const seq1 = received.filter((r) => r.batch.seq === 1).map((r) => r.status);
  assert.deepEqual(seq1, [400], "seq 1 must not be retried after a 400");
  assert.ok(received.some((r) => r.batch.seq === 2 && r.status === 200), "sending stopped after a 400");
});

test("sessions continue across loads and roll over after 30 idle minutes", async () => {
  received = [];
  answer = () => 200;
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(shop.origin + "/");
  await page.waitForFunction(() => typeof window.loupe.session === "function");
  const first = await page.evaluate(() => [window.loupe.session(), window.loupe.visitor()]);
  await page.goto(shop.origin + "/cart.html");
  await page.waitForFunction(() => typeof window.loupe.session === "function");
  const second = await page.evaluate(() => [window.loupe.session(), window.loupe.visitor()]);
  assert.deepEqual(second, first, "same session and visitor on the next page");
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem("loupe_sess"));
    s.last = Date.now() - 31 * 60 * 1000;
    localStorage.setItem("loupe_sess", JSON.stringify(s));
    sessionStorage.setItem("loupe_sess", JSON.stringify(s));
  });
  await page.goto(shop.origin + "/");
  await page.waitForFunction(() => typeof window.loupe.session === "function");
  const third = await page.evaluate(() => [window.loupe.session(), window.loupe.visitor()]);
  assert.notEqual(third[0], first[0], "session did not roll over");
  assert.equal(third[1], first[1], "visitor changed");
  await finish(page);
  await ctx.close();
  const newSession = accepted().filter((r) => r.batch.session === third[0]);
  assert.equal(newSession[0]?.batch.seq, 0, "a new session starts at seq 0");
  assert.ok(eventsOf(newSession).some((e) => e.type === 2), "the new session has a full snapshot");
});
