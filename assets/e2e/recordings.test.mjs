// The recorded demo visits through the real ingest path: every batch of
// assets/demo/recordings is posted to tracker-server, sealed, synced with
// `loupe sync`, and `loupe sessions --json` must report what each visit did
// (assets/demo/recordings/manifest.json). Typed text must not reach
// the workspace.
//
// Needs $LOUPE_BIN/loupe and $LOUPE_BIN/tracker-server (default bin/).
// Port: $E2E_RECORDINGS_PORT (18140).
import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { run, start, until } from "./lib/procs.mjs";
import { filesContaining } from "./lib/secrets.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.LOUPE_BIN || join(ROOT, "bin");
const LOUPE = join(BIN, "loupe");
const COLLECTOR = join(BIN, "tracker-server");
const PORT = Number(process.env.E2E_RECORDINGS_PORT || 18140);
const RECORDINGS = join(ROOT, "assets/demo/recordings");
const MANIFEST = join(RECORDINGS, "manifest.json");
const COUNTS = ["pageviews", "clicks", "rage_clicks", "dead_clicks", "error_clicks", "js_errors", "failed_requests"];

test("recorded demo visits are counted as their scripts say", { timeout: 180_000 }, async (t) => {
  for (const bin of [LOUPE, COLLECTOR]) {
    await access(bin).catch(() => assert.fail(`missing ${bin}: build it first`));
  }
  const manifest = JSON.parse(await readFile(MANIFEST, "utf8"));
  const tmp = await mkdtemp(join(tmpdir(), "loupe-rec-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${PORT}`;
  const collector = start(COLLECTOR, ["--addr", `127.0.0.1:${PORT}`, "--data", join(tmp, "data"), "--seal-after", "2s"]);
  t.after(() => collector.stop());
  const token = await until("the analyst token", async () => collector.out.stdout.match(/analyst token: (\S+)/)?.[1]);
  await until("collector /healthz", async () => (await fetch(url + "/healthz")).ok);

  const files = (await readdir(RECORDINGS)).filter((f) => f.endsWith(".ndjson.gz")).sort();
  assert.ok(files.length >= 10, `only ${files.length} recordings`);
  for (const f of files) {
    const lines = gunzipSync(await readFile(join(RECORDINGS, f))).toString("utf8").trim().split("\n");
    for (const line of lines) {
      const origin = new URL(JSON.parse(line).events.find((e) => e.type === 4)?.data.href ?? "http://127.0.0.1/").origin;
      const res = await fetch(url + "/v1/ingest", { method: "POST", body: line, headers: { "Content-Type": "text/plain", Origin: origin } });
      assert.equal(res.status, 200, `${f}: ingest answered ${res.status}: ${await res.text()}`);
    }
  }
  const auth = { headers: { Authorization: "Bearer " + token } };
  await until(
    "every session sealed",
    async () => {
      const st = await (await fetch(url + "/v1/status", auth)).json();
      return st.open_sessions === 0 && st.pending_uploads === 0 && st.sealed_archives >= files.length;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );

  const ws = join(tmp, "ws.db");
  await run(LOUPE, ["sync", "--workspace", ws, "--from", url, "--token", token]);
  const sessions = JSON.parse((await run(LOUPE, ["sessions", "--workspace", ws, "--json"])).stdout);
  const entries = manifest.files.filter((f) => f.kind === "loupe-batches");
  assert.equal(entries.length, files.length, "manifest and recordings disagree");
  for (const e of entries) {
    await t.test(e.scenario, () => {
      const s = sessions.find((x) => x.id === e.session);
      assert.ok(s, `session ${e.session} of ${e.file} not listed`);
      const got = Object.fromEntries(COUNTS.map((k) => [k, s[k]]));
      const want = Object.fromEntries(COUNTS.map((k) => [k, e.expect[k]]));
      assert.deepEqual(got, want, `${e.file}: ${e.about}`);
    });
  }
  const secrets = entries.flatMap((e) => e.secrets);
  assert.ok(secrets.length > 5);
  for (const s of secrets) {
    assert.deepEqual(await filesContaining([ws, ws + "-wal"], s), [], `typed text ${JSON.stringify(s)} in the workspace`);
  }
});
