// The privacy promise of README.md, end to end: a page full of secrets is
// typed into and triggered in Chromium with the real tracker; the real
// collector stores and seals the session; `loupe sync` imports it. Then
// every byte the collector keeps (durable logs, archives, anything else in
// its data directory), every archive it serves and the workspace (the
// SQLite file and its -wal, and each value inside it, decompressed) are
// searched for every secret, and none may be found. The recording must
// still be a recording: the pageviews, masked input events, the request,
// the console lines and the error are there, scrubbed.
//
// Needs built binaries: $LOUPE_BIN/loupe and $LOUPE_BIN/tracker-server
// (default: the repository's bin/) and the sqlite3 command.
// Ports: $E2E_PRIVACY_PORT (18170) to +1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DESKTOP, launch } from "./lib/chromium.mjs";
import { run, start, until } from "./lib/procs.mjs";
import { expand, walk } from "./lib/secrets.mjs";
import { TRACKER_FILE } from "./lib/shop-server.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.LOUPE_BIN || join(ROOT, "bin");
const LOUPE = join(BIN, "loupe");
const COLLECTOR = join(BIN, "tracker-server");
const BASE = Number(process.env.E2E_PRIVACY_PORT || 18170);

const word = (tag) => "zq" + tag + randomBytes(5).toString("hex");
const digits = (n) => String(randomInt(1, 10)) + Array.from({ length: n - 1 }, () => randomInt(0, 10)).join("");

/** A random 16-digit number that passes the Luhn check, as a card would. */
function cardNumber() {
  const body = "4" + digits(14).slice(0, 14);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(body[14 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Every secret on the page, each unique to this run. */
function makeSecrets() {
  const card = cardNumber();
  return {
    text: word("text"),
    password: word("pass"),
    email: word("mail") + "@example.com",
    tel: digits(11),
    number: digits(12),
    search: word("search"),
    url: "https://" + word("url") + ".example/",
    textarea: word("area"),
    prefilled: word("prefill"),
    editable: word("edit"),
    hidden: word("csrf"),
    hiddenSet: word("csrfset"),
    hiddenAttr: word("csrfattr"),
    pageToken: word("reset"),
    fragment: word("frag"),
    pushToken: word("push"),
    apiKey: word("apikey"),
    linkToken: word("link"),
    imgSig: word("sig"),
    scriptToken: word("src"),
    ssn: `${digits(3)}-${digits(2)}-${digits(4)}`,
    consoleEmail: word("info") + "@mail.example.org",
    card: card.replace(/(\d{4})(?=\d)/g, "$1 "),
    cardPlain: card,
  };
}

function pageHTML(s, collectorURL) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Account</title></head>
<body>
<h1 id="title">Account settings</h1>
<form id="form" action="/account/save?session_id=${s.pageToken}" onsubmit="return false">
  <label>Name <input id="text" type="text"></label>
  <label>Password <input id="password" type="password"></label>
  <label>E-mail <input id="email" type="email"></label>
  <label>Phone <input id="tel" type="tel"></label>
  <label>Amount <input id="number" type="number"></label>
  <label>Search <input id="search" type="search"></label>
  <label>Website <input id="url" type="url"></label>
  <label>Nickname <input id="prefilled" type="text" value="${s.prefilled}"></label>
  <input id="hidden" type="hidden" name="csrf" value="${s.hidden}">
  <label>Note <textarea id="textarea"></textarea></label>
  <label>Plan <select id="select"><option value="free">Free</option><option value="pro">Pro</option></select></label>
  <div id="editor" contenteditable="true" style="min-height:2em;border:1px solid #888"></div>
</form>
<a id="link" href="/reset?reset_token=${s.linkToken}">Reset password</a>
<img id="pixel" src="/pixel.svg?sig=${s.imgSig}" alt="" width="4" height="4">
<button id="load" type="button">Load orders</button>
<button id="next" type="button">Next step</button>
<button id="pay" type="button">Pay</button>
<p id="status"></p>
<script src="/app.js?token=${s.scriptToken}"></script>
<script src="/t.js" data-site="demo" data-collector="${collectorURL}" data-keep-params="tab" async></script>
</body></html>`;
}

function appJS(s) {
  return `
document.getElementById("load").addEventListener("click", function () {
  document.getElementById("hidden").setAttribute("value", ${JSON.stringify(s.hiddenAttr)});
  fetch("/api/orders?api_key=${s.apiKey}").then(function (r) {
    document.getElementById("status").textContent = "orders loaded " + r.status;
  });
});
document.getElementById("next").addEventListener("click", function () {
  document.getElementById("hidden").value = ${JSON.stringify(s.hiddenSet)};
  history.pushState({}, "", "/account/step2?token=${s.pushToken}&tab=billing");
  document.getElementById("title").textContent = "Step 2";
});
document.getElementById("pay").addEventListener("click", function pay() {
  console.log({ user: "u-1", ssn: ${JSON.stringify(s.ssn)} });
  console.info("receipt goes to " + ${JSON.stringify(s.consoleEmail)});
  document.getElementById("status").textContent = "paying";
  throw new Error("payment failed for card ${s.card}");
});
`;
}

/** The page's own server: the page, its script, an image, an API, t.js. */
async function startSite(port, s, collectorURL) {
  const tracker = await readFile(TRACKER_FILE);
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const send = (type, body) => {
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    if (path === "/account.html" || path.startsWith("/account/")) send("text/html; charset=utf-8", pageHTML(s, collectorURL));
    else if (path === "/app.js") send("text/javascript", appJS(s));
    else if (path === "/t.js") send("text/javascript", tracker);
    else if (path === "/pixel.svg") send("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    else if (path === "/api/orders") send("application/json", '{"orders":[]}');
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Every value stored in a SQLite file, as buffers: `.dump` writes blobs as
 * hex, which expand() then decompresses. A raw scan of the file alone
 * would miss compressed values split across overflow pages.
 */
async function sqliteValues(db) {
  const { stdout } = await run("sqlite3", ["-readonly", db, ".dump"]);
  const out = [Buffer.from(stdout)];
  for (const m of stdout.matchAll(/X'([0-9a-fA-F]+)'/g)) out.push(...expand(Buffer.from(m[1], "hex")));
  return out;
}

/** The names of the sources (files or labels) whose bytes hold needle. */
function holding(sources, needle) {
  const n = Buffer.from(needle);
  return sources.filter((s) => s.texts.some((t) => t.includes(n))).map((s) => s.name);
}

/** The events of a gzip NDJSON archive. */
function archiveEvents(buf) {
  return gunzipSync(buf)
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((o) => typeof o.type === "number" && "data" in o);
}

test("secrets on a recorded page reach neither the collector, the archive nor the workspace", { timeout: 300_000 }, async (t) => {
  for (const bin of [LOUPE, COLLECTOR]) {
    await access(bin).catch(() => assert.fail(`missing ${bin}: build it first (go build -o bin/loupe . && go build -o bin/tracker-server ./tracker-server)`));
  }
  const tmp = await mkdtemp(join(tmpdir(), "loupe-privacy-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const data = join(tmp, "data");
  const ws = join(tmp, "ws.db");
  const collectorURL = `http://127.0.0.1:${BASE}`;
  const s = makeSecrets();

  const collector = start(COLLECTOR, ["--addr", `127.0.0.1:${BASE}`, "--data", data, "--seal-after", "2s"]);
  t.after(() => collector.stop());
  const token = await until("the analyst token", async () => collector.out.stdout.match(/analyst token: (\S+)/)?.[1]);
  await until("collector /healthz", async () => (await fetch(collectorURL + "/healthz")).ok);
  const auth = { headers: { Authorization: "Bearer " + token } };

  const site = await startSite(BASE + 1, s, collectorURL);
  t.after(() => site.close());
  const browser = await launch();
  t.after(() => browser.close());
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  // 1. The visit: a URL with a token in its query and its fragment.
  await page.goto(`${site.origin}/account.html?tab=billing&reset_token=${s.pageToken}#access_token=${s.fragment}`);
  await page.waitForFunction(() => window.loupe && typeof window.loupe.session === "function");
  const sessionId = await page.evaluate(() => window.loupe.session());

  // 2. Every kind of field, typed into as a visitor would.
  for (const id of ["text", "password", "email", "tel", "number", "search", "url", "textarea"]) {
    await page.locator("#" + id).pressSequentially(s[id]);
    assert.equal(await page.locator("#" + id).inputValue(), s[id], "typed into #" + id);
  }
  await page.locator("#prefilled").fill("");
  await page.locator("#select").selectOption("pro");
  await page.locator("#editor").click();
  await page.keyboard.type(s.editable);
  await page.locator("#editor", { hasText: s.editable }).waitFor();

  // 3. A request with a key in its URL, a navigation with a token, and a
  // click whose handler logs personal data and throws with a card number.
  await page.click("#load");
  await page.locator("#status", { hasText: "orders loaded 200" }).waitFor();
  await page.click("#next");
  await page.locator("#title", { hasText: "Step 2" }).waitFor();
  const thrown = page.waitForEvent("pageerror");
  await page.click("#pay");
  await thrown;
  await page.locator("#status", { hasText: "paying" }).waitFor();

  // 4. Deliver: flush, and wait until the collector acknowledged every batch.
  await page.evaluate(() => window.loupe.flush());
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem("loupe_q") || "[]").length === 0);
  // The durable logs of the open session, before sealing removes them.
  const sources = [];
  for (const f of await walk(data)) sources.push({ name: f + " (session open)", texts: expand(await readFile(f)) });
  assert.ok(sources.length > 0, "the collector keeps the open session on disk");
  await ctx.close();
  assert.deepEqual(pageErrors, [`payment failed for card ${s.card}`], "errors thrown into the page");

  // 5. Sealing.
  const archives = await until(
    "the sealed archive",
    async () => {
      const list = (await (await fetch(collectorURL + "/v1/archives", auth)).json()).archives;
      const status = await (await fetch(collectorURL + "/v1/status", auth)).json();
      return list.length > 0 && status.open_sessions === 0 && status.pending_uploads === 0 ? list : null;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const served = [];
  for (const a of archives) {
    const res = await fetch(collectorURL + "/v1/archives/" + a.key, auth);
    assert.equal(res.status, 200, `GET archive ${a.key}`);
    served.push(Buffer.from(await res.arrayBuffer()));
  }
  await writeFile(join(tmp, "served.loupe"), served[0]);

  // 6. Sync into a workspace.
  await run(LOUPE, ["sync", "--workspace", ws, "--from", collectorURL, "--token", token]);

  // 7. No secret anywhere.
  for (const f of await walk(data)) sources.push({ name: f, texts: expand(await readFile(f)) });
  served.forEach((b, i) => sources.push({ name: `served archive ${archives[i].key}`, texts: expand(b) }));
  for (const f of [ws, ws + "-wal"]) {
    const buf = await readFile(f).catch(() => null);
    if (buf) sources.push({ name: f, texts: expand(buf) });
  }
  sources.push({ name: "workspace values (sqlite3 .dump)", texts: await sqliteValues(ws) });
  const leaks = {};
  for (const [name, value] of Object.entries(s)) {
    const where = holding(sources, value);
    if (where.length > 0) leaks[name] = where;
  }
  assert.deepEqual(leaks, {}, `secrets found on disk: ${Object.keys(leaks).join(", ")}`);

  // 8. ...and the recording still works.
  const events = served.flatMap(archiveEvents);
  const metas = events.filter((e) => e.type === 4).map((e) => e.data.href);
  assert.ok(metas.includes(`${site.origin}/account.html?tab=billing`), `the pageview, query stripped to data-keep-params: ${metas}`);
  assert.ok(metas.includes(`${site.origin}/account/step2?tab=billing`), `the SPA navigation: ${metas}`);
  const inputs = events.filter((e) => e.type === 3 && e.data.source === 5);
  assert.ok(inputs.length >= 10, `input events recorded: ${inputs.length}`);
  const texts = new Set(inputs.map((e) => e.data.text));
  for (const v of texts) assert.match(v, /^\**$/, "every recorded input value is masked");
  assert.ok(texts.has("*".repeat(s.password.length)), "the password's masked input event");
  assert.ok(texts.has("*".repeat(s.text.length)), "the text field's masked input event");
  const masked = JSON.stringify(events.filter((e) => e.type === 3 && e.data.source === 0));
  assert.ok(masked.includes("*".repeat(s.editable.length)), "the contenteditable text is recorded masked");
  const requests = events.filter((e) => e.type === 6 && e.data.plugin === "rrweb/network@1").flatMap((e) => e.data.payload.requests);
  assert.ok(
    requests.some((r) => r.name === `${site.origin}/api/orders` && r.status === 200),
    `the API request, query stripped: ${JSON.stringify(requests.map((r) => r.name))}`,
  );
  const consoleText = JSON.stringify(events.filter((e) => e.type === 6 && e.data.plugin === "rrweb/console@1"));
  assert.ok(consoleText.includes("[ssn]"), "the console.log line, SSN scrubbed");
  assert.ok(consoleText.includes("receipt goes to [email]"), "the console.info line, e-mail scrubbed");
  const errors = events.filter((e) => e.type === 5 && e.data.tag === "loupe/error").map((e) => e.data.payload);
  assert.equal(errors.length, 1, "one loupe/error");
  assert.equal(errors[0].message, "Error: payment failed for card [card]");
  assert.equal(errors[0].source, `${site.origin}/app.js`);
  assert.match(errors[0].stack, new RegExp(`${site.origin}/app\\.js:\\d+:\\d+`), "the stack keeps file, line and column");

  const listed = JSON.parse((await run(LOUPE, ["sessions", "--workspace", ws, "--json"])).stdout).find((x) => x.id === sessionId);
  assert.ok(listed, `session ${sessionId} in the workspace`);
  assert.deepEqual({ pageviews: listed.pageviews, js_errors: listed.js_errors }, { pageviews: 2, js_errors: 1 });
});
