import { test } from "node:test";
import assert from "node:assert/strict";
import { CONSENT_KEY, mayRecord, readKey, stopOf, writeKey } from "../src/consent";
import { Shipper, type ShipperDeps } from "../src/shipper";
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

const broken: KV = {
  getItem: () => {
    throw new Error("denied");
  },
  setItem: () => {
    throw new Error("denied");
  },
};

test("the visitor's choice wins over the tag; data-consent=required waits for optIn", () => {
  const cases: [string | null, string | null, boolean][] = [
    [null, null, true],
    ["required", null, false],
    ["required", "in", true],
    ["required", "out", false],
    [null, "out", false],
    [null, "in", true],
    ["", null, true],
    ["required", "garbage", false],
  ];
  for (const [attr, choice, want] of cases) {
    assert.equal(mayRecord(attr, choice), want, `data-consent=${attr}, choice ${choice}`);
  }
});

test("a choice is kept in whichever store accepts it", () => {
  const good = new MemKV();
  writeKey([broken, null, good], CONSENT_KEY, "out");
  assert.equal(good.getItem(CONSENT_KEY), "out");
  assert.equal(readKey([broken, null, good], CONSENT_KEY), "out");
  assert.equal(readKey([broken, new MemKV()], CONSENT_KEY), null);
});

test("only 429 and 202 replies with a stop field say stop", () => {
  assert.equal(stopOf(429, { error: "site reached its monthly session limit", stop: "quota" }), "quota");
  assert.equal(stopOf(202, { ok: true, stop: "sampled" }), "sampled");
  assert.equal(stopOf(429, { error: "slow down" }), null, "a plain 429 is not a stop");
  assert.equal(stopOf(429, null), null);
  assert.equal(stopOf(200, { ok: true, stop: "quota" }), null, "a 200 never stops");
  assert.equal(stopOf(202, { stop: 1 }), null);
});

/** A fake collector answering each send with the next reply. */
function harness(replies: { status: number; body?: unknown; text?: string }[]) {
  const sent: string[] = [];
  const stops: string[] = [];
  const timers: (() => void)[] = [];
  const deps: ShipperDeps = {
    url: "http://collector/v1/ingest",
    fetch: async (_url, init) => {
      sent.push(String(init.body));
      const r = replies.shift() ?? { status: 200, body: { ok: true } };
      return {
        status: r.status,
        json: async () => (r.text !== undefined ? JSON.parse(r.text) : r.body),
      };
    },
    compress: null,
    store: new MemKV(),
    setTimeout: (fn) => timers.push(fn),
    rand: () => 0,
    onStop: (s) => stops.push(s),
  };
  return { shipper: new Shipper(deps), sent, stops, timers };
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const batch = (session: string, seq: number) => ({ session, seq, body: `${session}/${seq}` });

test("a quota stop drops the session's queued batches and is not retried", async () => {
  const h = harness([{ status: 429, body: { error: "limit", stop: "quota" } }]);
  h.shipper.enqueue(batch("s_refused1", 0));
  h.shipper.enqueue(batch("s_refused1", 1));
  h.shipper.enqueue(batch("s_other001", 0));
  await settle();
  assert.deepEqual(h.stops, ["s_refused1"]);
  assert.deepEqual(h.sent, ["s_refused1/0", "s_other001/0"], "the refused session was asked again");
  assert.equal(h.timers.length, 0, "a retry was scheduled");
  assert.equal(h.shipper.pending().length, 0);
});

test("a sampled-out visitor's 202 stops quietly", async () => {
  const h = harness([{ status: 202, body: { ok: true, stop: "sampled" } }]);
  h.shipper.enqueue(batch("s_sampled1", 0));
  h.shipper.enqueue(batch("s_sampled1", 1));
  await settle();
  assert.deepEqual(h.stops, ["s_sampled1"]);
  assert.deepEqual(h.sent, ["s_sampled1/0"]);
});

test("a 429 without a stop (the collector's open-session cap, a proxy) is retried later, not a stop", async () => {
  const h = harness([{ status: 429, text: "<html>slow down</html>" }]);
  h.shipper.enqueue(batch("s_proxied1", 0));
  h.shipper.enqueue(batch("s_proxied1", 1));
  await settle();
  assert.deepEqual(h.stops, []);
  // The first batch was tried once and waits for its retry; nothing was dropped.
  assert.deepEqual(h.sent, ["s_proxied1/0"]);
  assert.equal(h.timers.length, 1);
  assert.equal(h.shipper.pending().length, 2);
});

test("drop without a session empties the persisted queue", async () => {
  const h = harness([{ status: 503 }]);
  h.shipper.enqueue(batch("s_optedout", 0));
  h.shipper.enqueue(batch("s_optedout", 1));
  await settle();
  h.shipper.drop();
  assert.equal(h.shipper.pending().length, 0);
});
