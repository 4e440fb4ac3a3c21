// Records the scripted visits of lib/scenarios.mjs in Chromium.
//
//   node record.mjs [--only NAME] [--no-rrweb] [--demo-only]
//
// For each scenario it writes
//   assets/demo/recordings/NN-NAME.ndjson.gz        the tracker's ingest batches, one JSON per line
//   core/derive/testdata/recorded/NN-NAME.ndjson.gz  the same batches, for the analytics tests
//   core/derive/testdata/recorded/rrweb-NN-NAME.json a plain rrweb export of the same visit
//                                                    (rrweb's own record + console plugin)
// and a manifest.json with what each visit did beside each set. With
// --demo-only it writes the demo's recordings and manifest only and leaves
// the analytics tests' fixtures as they are.
//
// The shop server itself accepts POST /v1/ingest, so no collector is needed.
// (page.route cannot see the keepalive requests sent on pagehide, so the
// batches are taken at the server.)
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync, gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { launch } from "./lib/chromium.mjs";
import { startShop } from "./lib/shop-server.mjs";
import { SCENARIOS } from "./lib/scenarios.mjs";
import { Visit } from "./lib/visit.mjs";
import { summarize } from "./lib/stream.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const DEMO_DIR = join(here, "../demo/recordings");
const FIXTURE_DIR = join(here, "../../core/derive/testdata/recorded");
const PORT = Number(process.env.RECORD_PORT || 18110);
const ABOUT =
  "Visits to the demo shop recorded in Chromium by assets/e2e/record.mjs. NN-NAME.ndjson.gz: Loupe tracker ingest batches, one JSON per line. rrweb-NN-NAME.json: the same script recorded with rrweb's own record (plus console plugin); its session id is the file name. expect: what the script did, as the recording can show it (plain rrweb has no network plugin, no SPA Meta events and no loupe.* events). secrets: typed text that must appear nowhere.";

/** Reads a manifest of recorded visits, or an empty one. */
async function readManifest(path) {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return { about: ABOUT, files: [] }; // first run
  }
}

async function writeManifest(path, m) {
  m.about = ABOUT;
  m.files.sort((a, b) => a.file.localeCompare(b.file));
  await writeFile(path, JSON.stringify(m, null, 2) + "\n");
}

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const demoOnly = args.includes("--demo-only");
const withRRweb = !args.includes("--no-rrweb") && !demoOnly;

let batches = new Map();
function onIngest(buf) {
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const text = buf.toString("utf8");
  const b = JSON.parse(text);
  const key = `${b.session}/${String(b.seq).padStart(6, "0")}`;
  // The tracker resends after reloads (at least once); keep the first copy.
  if (!batches.has(key)) batches.set(key, text);
}

async function rrwebInitScript() {
  const rr = await readFile(join(here, "node_modules/rrweb/dist/rrweb.umd.min.cjs"), "utf8");
  const plugin = await readFile(
    join(here, "node_modules/@rrweb/rrweb-plugin-console-record/dist/rrweb-plugin-console-record.umd.min.cjs"),
    "utf8",
  );
  const start = `
    (function () {
      if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
      window.rrweb.record({
        emit: function (e) { window.__rrEmit(e); },
        maskAllInputs: true,
        plugins: [window.rrwebPluginConsoleRecord.getRecordConsolePlugin()],
      });
    })();`;
  // UMD bundles attach to `this`; in an init script that is window.
  return `(function(){${rr}\n}).call(window);(function(){${plugin}\n}).call(window);${start}`;
}

async function runVisit(browser, shop, sc, mode, initScript) {
  const ctx = await browser.newContext(sc.device);
  const events = [];
  if (mode === "rrweb") {
    await ctx.route("**/t.js", (r) => r.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
    await ctx.exposeBinding("__rrEmit", (_src, e) => events.push(e));
    await ctx.addInitScript({ content: initScript });
  }
  const page = await ctx.newPage();
  const v = new Visit(page, shop.origin, { mobile: !!sc.mobile });
  await sc.run(v);
  if (mode === "loupe") {
    await page.evaluate(() => window.loupe && window.loupe.flush()).catch(() => {});
    await page.waitForTimeout(1500);
  } else {
    await page.waitForTimeout(500);
  }
  await page.goto("about:blank");
  await page.waitForTimeout(800);
  await ctx.close();
  return { visit: v, events };
}

function expectFor(kind, c) {
  const loupe = kind === "loupe";
  return {
    pageviews: c.page_loads + (loupe ? c.spa_navigations : 0),
    page_loads: c.page_loads,
    clicks: c.clicks,
    rage_clicks: c.rage_bursts,
    dead_clicks: c.dead_clicks,
    error_clicks: c.error_clicks,
    js_errors: c.js_errors,
    failed_requests: loupe ? c.failed_requests : 0,
    quick_backs: c.quick_backs,
    excessive_scroll_pages: c.excessive_scroll_pages,
    custom_events: loupe ? c.custom_events : 0,
    identifies: loupe ? c.identifies : 0,
  };
}

/** Compares the counts visible in the stream with what the script did. */
function check(label, got, want, secrets, text) {
  const problems = [];
  for (const k of ["pageviews", "clicks", "rage_clicks", "js_errors", "failed_requests", "custom_events", "identifies"]) {
    if (got[k] !== want[k]) problems.push(`${k}: stream has ${got[k]}, script did ${want[k]}`);
  }
  for (const s of secrets) if (text.includes(s)) problems.push(`typed text ${JSON.stringify(s)} is in the recording`);
  if (problems.length) console.error(`${label}: MISMATCH\n  ` + problems.join("\n  "));
  return problems.length === 0;
}

await mkdir(DEMO_DIR, { recursive: true });
await mkdir(FIXTURE_DIR, { recursive: true });
const manifestPath = join(FIXTURE_DIR, "manifest.json");
const demoManifestPath = join(DEMO_DIR, "manifest.json");
const manifest = await readManifest(manifestPath);
const demoManifest = await readManifest(demoManifestPath);

// The CDN origin gets a port of its own so recordings name two origins;
// demo replays tell them apart by the page's (tracker-server/demoshop).
const shop = await startShop(PORT, onIngest, { cdnPort: PORT + 1 });
const browser = await launch();
const initScript = withRRweb ? await rrwebInitScript() : "";
let ok = true;
try {
  for (let i = 0; i < SCENARIOS.length; i++) {
    const sc = SCENARIOS[i];
    if (only && sc.name !== only) continue;
    const nn = String(i + 1).padStart(2, "0");
    const base = `${nn}-${sc.name}`;

    batches = new Map();
    const { visit } = await runVisit(browser, shop, sc, "loupe");
    const keys = [...batches.keys()].sort();
    const lines = keys.map((k) => batches.get(k));
    const sessions = [...new Set(keys.map((k) => k.split("/")[0]))];
    const ndjson = lines.join("\n") + "\n";
    const gz = gzipSync(ndjson, { level: 9 });
    await writeFile(join(DEMO_DIR, base + ".ndjson.gz"), gz);
    if (!demoOnly) await writeFile(join(FIXTURE_DIR, base + ".ndjson.gz"), gz);
    const loupeEvents = lines.flatMap((l) => JSON.parse(l).events);
    const wantL = expectFor("loupe", visit.count);
    ok = check(base, summarize(loupeEvents), wantL, visit.secrets, ndjson) && ok;
    const entry = (file, kind, session, expect) => ({
      file,
      kind,
      scenario: sc.name,
      session,
      about: sc.about,
      viewport: { w: sc.device.viewport.width, h: sc.device.viewport.height },
      user_agent: sc.device.userAgent,
      steps: visit.steps,
      expect,
      secrets: visit.secrets,
    });
    const entries = [entry(base + ".ndjson.gz", "loupe-batches", sessions.length === 1 ? sessions[0] : sessions, wantL)];
    console.log(`${base}: ${lines.length} batches, ${loupeEvents.length} events, ${gz.length} bytes gzipped`);

    if (withRRweb) {
      const { visit: v2, events } = await runVisit(browser, shop, sc, "rrweb", initScript);
      const file = `rrweb-${base}.json`;
      const text = JSON.stringify(events);
      await writeFile(join(FIXTURE_DIR, file), text);
      const wantR = expectFor("rrweb", v2.count);
      ok = check(file, summarize(events), wantR, v2.secrets, text) && ok;
      entries.push({ ...entry(file, "rrweb-export", `rrweb-${base}`, wantR), steps: v2.steps, secrets: v2.secrets });
      console.log(`${file}: ${events.length} events, ${text.length} bytes`);
    }
    if (!demoOnly) manifest.files = manifest.files.filter((f) => f.scenario !== sc.name).concat(entries);
    demoManifest.files = demoManifest.files.filter((f) => f.scenario !== sc.name).concat(entries[0]);
  }
} finally {
  await browser.close();
  await shop.close();
}
if (!demoOnly) await writeManifest(manifestPath, manifest);
await writeManifest(demoManifestPath, demoManifest);
if (!ok) {
  console.error("some recordings do not match their scripts");
  process.exit(1);
}
