import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { KEEPALIVE_LIMIT, Shipper, gzipper, sessionURL, type ShipperDeps } from "../src/shipper";
import type { KV } from "../src/ids";

class MemKV implements KV {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.has(k) ? (this.m.get(k) as string) : null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

interface Call {
  url: string;
  body: string;
  keepalive: boolean;
}

/** A fake collector answering from a script of statuses, recording calls. */
function harness(statuses: number[], store = new MemKV()) {
  const calls: Call[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const deps: ShipperDeps = {
    url: "http://collector/v1/ingest",
    fetch: async (url, init) => {
      calls.push({ url, body: String(init.body), keepalive: Boolean(init.keepalive) });
      const s = statuses.length ? (statuses.shift() as number) : 200;
      if (s === 0) throw new TypeError("network down");
      return { status: s };
    },
    compress: null,
    store,
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    rand: () => 0,
  };
  return { shipper: new Shipper(deps), calls, timers, store };
}

// The fake fetch answers in microtasks: once a macrotask runs, every send
// it started has settled. No timer length is involved.
const settle = () => new Promise((r) => setImmediate(r));
const batch = (seq: number, body = `{"seq":${seq}}`, session = "s_session01") => ({ session, seq, body });

test("sends in order, one at a time", async () => {
  const h = harness([200, 200, 200]);
  h.shipper.enqueue(batch(0));
  h.shipper.enqueue(batch(1));
  h.shipper.enqueue(batch(2));
  assert.equal(h.calls.length, 1, "second send started before the first finished");
  await settle();
  assert.deepEqual(h.calls.map((c) => c.body), ['{"seq":0}', '{"seq":1}', '{"seq":2}']);
  assert.equal(h.shipper.pending().length, 0);
});

test("retries network errors and 5xx with growing backoff, drops 4xx", async () => {
  const h = harness([0, 503, 200, 400, 200]);
  h.shipper.enqueue(batch(0));
  await settle();
  assert.equal(h.timers.length, 1, "no retry scheduled after a network error");
  assert.equal(h.timers[0].ms, 500);
  h.timers[0].fn();
  await settle();
  assert.equal(h.timers.length, 2, "no retry scheduled after a 503");
  assert.equal(h.timers[1].ms, 1000, "backoff did not grow");
  h.timers[1].fn();
  await settle();
  assert.equal(h.shipper.pending().length, 0, "acked batch still queued");
  h.shipper.enqueue(batch(1));
  h.shipper.enqueue(batch(2));
  await settle();
  assert.equal(h.timers.length, 2, "a 4xx was retried");
  assert.deepEqual(h.calls.map((c) => c.body), ['{"seq":0}', '{"seq":0}', '{"seq":0}', '{"seq":1}', '{"seq":2}']);
});

test("unsent batches survive a reload", async () => {
  const store = new MemKV();
  const h = harness([503], store);
  h.shipper.enqueue(batch(0));
  h.shipper.enqueue(batch(1));
  await settle();
  const reloaded = harness([200, 200], store);
  assert.deepEqual(reloaded.shipper.pending().map((b) => b.seq), [0, 1]);
  reloaded.shipper.pump();
  await settle();
  assert.deepEqual(reloaded.calls.map((c) => c.body), ['{"seq":0}', '{"seq":1}']);
  assert.equal(harness([], store).shipper.pending().length, 0, "acked batches persisted");
});

test("corrupt persisted queue is ignored", () => {
  const store = new MemKV();
  store.setItem("loupe_q", "{not json");
  assert.equal(harness([], store).shipper.pending().length, 0);
  store.setItem("loupe_q", JSON.stringify([{ session: 1 }, batch(4)]));
  assert.deepEqual(harness([], store).shipper.pending().map((b) => b.seq), [4]);
});

test("finalFlush sends with keepalive within 64 KiB and keeps the rest", async () => {
  const h = harness([503]);
  const big = "x".repeat(40 * 1024);
  h.shipper.enqueue(batch(0, big));
  await settle();
  h.shipper.enqueue(batch(1, big));
  let room = -1;
  const before = h.calls.length;
  const sent = h.shipper.finalFlush((r) => {
    room = r;
    return { batch: batch(2, "{}"), fits: true };
  });
  assert.equal(room, 0, "cut offered room although a queued batch was blocked");
  assert.equal(sent, 1);
  const keepalive = h.calls.slice(before).filter((c) => c.keepalive);
  assert.equal(keepalive.length, 1);
  assert.ok(keepalive.reduce((n, c) => n + c.body.length, 0) <= KEEPALIVE_LIMIT);
  assert.deepEqual(h.shipper.pending().map((b) => b.seq), [0, 1, 2], "batches left the queue without an ack");
});

test("finalFlush offers the remaining room to the last cut", () => {
  const h = harness([]);
  let room = -1;
  h.shipper.finalFlush((r) => {
    room = r;
    return null;
  });
  assert.equal(room, KEEPALIVE_LIMIT);
});

test("gzipper output is gzip of the JSON", async () => {
  const gz = gzipper();
  assert.ok(gz, "CompressionStream missing in node 20");
  const out = await gz('{"a":"b"}');
  assert.equal(out[0], 0x1f);
  assert.equal(out[1], 0x8b);
  assert.equal(gunzipSync(out).toString(), '{"a":"b"}');
});

test("sessionURL puts the session id in the query", () => {
  const cases = [
    { url: "http://c/v1/ingest", session: "s_abcdefgh", want: "http://c/v1/ingest?s=s_abcdefgh" },
    { url: "http://c/v1/ingest?x=1", session: "s_abcdefgh", want: "http://c/v1/ingest?x=1&s=s_abcdefgh" },
    { url: "http://c/v1/ingest", session: "a b&c", want: "http://c/v1/ingest?s=a%20b%26c" },
  ];
  for (const c of cases) {
    const got = sessionURL(c.url, c.session);
    assert.equal(got, c.want, `sessionURL(${c.url}, ${c.session})`);
  }
});

test("every send, retry and keepalive flush carries ?s= of its own batch", async () => {
  const h = harness([503, 200, 200]);
  h.shipper.enqueue(batch(0, '{"a":0}', "s_firstsession"));
  await settle();
  h.timers[0].fn(); // the retry
  await settle();
  h.shipper.enqueue(batch(0, '{"b":0}', "s_secondsession"));
  await settle();
  h.shipper.enqueue(batch(1, '{"b":1}', "s_secondsession"));
  h.shipper.finalFlush(() => ({ batch: batch(2, '{"b":2}', "s_secondsession"), fits: true }));
  await settle();
  const got = h.calls.map((c) => `${new URL(c.url).searchParams.get("s")} ${c.body} ${c.keepalive ? "keepalive" : ""}`.trim());
  const want = [
    's_firstsession {"a":0} keepalive',
    's_firstsession {"a":0} keepalive',
    's_secondsession {"b":0} keepalive',
    's_secondsession {"b":1} keepalive',
    's_secondsession {"b":1} keepalive',
    's_secondsession {"b":2} keepalive',
    // the in-order pump still resends the cut batch: at least once, deduplicated by the collector
    's_secondsession {"b":2} keepalive',
  ];
  assert.deepEqual(got, want);
  for (const c of h.calls) assert.equal(new URL(c.url).pathname, "/v1/ingest", `path of ${c.url}`);
});
