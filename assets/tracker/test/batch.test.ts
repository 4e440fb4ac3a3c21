import { test } from "node:test";
import assert from "node:assert/strict";
import { EventBuffer, encodeBatch, fitItems, utf8Length, type Item } from "../src/batch";

const env = { site: "demo", visitor: "v_visitor01", tracker: "0.1.0" };

test("encodeBatch produces the ingest batch format", () => {
  const buf = new EventBuffer();
  buf.push({ type: 4, data: { href: "http://x/", width: 10, height: 20 }, timestamp: 5 } as never);
  buf.push({ type: 5, data: { tag: "loupe/event", payload: { name: "ünïcode ✓" } }, timestamp: 6 } as never);
  const body = encodeBatch(env, "s_session01", 7, 1234.6, buf.take());
  const got = JSON.parse(body);
  assert.deepEqual(got, {
    site: "demo",
    session: "s_session01",
    visitor: "v_visitor01",
    seq: 7,
    sent_at: 1235,
    tracker: "0.1.0",
    events: [
      { type: 4, data: { href: "http://x/", width: 10, height: 20 }, timestamp: 5 },
      { type: 5, data: { tag: "loupe/event", payload: { name: "ünïcode ✓" } }, timestamp: 6 },
    ],
  });
  assert.equal(buf.length(), 0);
  assert.equal(buf.bytes(), 0);
});

test("EventBuffer counts UTF-8 bytes", () => {
  const buf = new EventBuffer();
  const ev = { type: 5, data: "é✓😀", timestamp: 1 };
  const n = buf.push(ev);
  assert.equal(n, Buffer.byteLength(JSON.stringify(ev)) + 1);
  assert.equal(utf8Length("a"), 1);
  assert.equal(utf8Length("é"), 2);
  assert.equal(utf8Length("✓"), 3);
  assert.equal(utf8Length("😀"), 4);
});

function item(type: number, size: number, ts: number): Item {
  const ev = { type, data: { pad: "x".repeat(size) }, timestamp: ts };
  return { type, json: JSON.stringify(ev) };
}

test("fitItems keeps batches that fit untouched", () => {
  const items = [item(4, 10, 1), item(3, 10, 2)];
  assert.equal(fitItems(items, 100, 10_000, 9), items);
});

test("fitItems drops oldest non-snapshot events and counts them", () => {
  const items = [item(3, 1000, 1), item(4, 100, 2), item(2, 5000, 3), item(3, 1000, 4), item(3, 1000, 5), item(3, 1000, 6)];
  const limit = 6500;
  const got = fitItems(items, 150, limit, 99);
  assert.ok(got, "expected a fitted batch");
  const types = got.map((i) => i.type);
  assert.deepEqual(types, [4, 2, 3, 5], `kept types ${types}`);
  const last = JSON.parse(got[got.length - 1].json);
  assert.deepEqual(last.data, { tag: "loupe/dropped", payload: { count: 3 } });
  const ts = got.slice(0, 3).map((i) => JSON.parse(i.json).timestamp);
  assert.deepEqual(ts, [2, 3, 6], "the newest incremental event is kept");
  const body = encodeBatch(env, "s_session01", 1, 1, got);
  assert.ok(utf8Length(body) <= limit, `body ${utf8Length(body)} > ${limit}`);
});

test("fitItems gives up when snapshots alone are too big", () => {
  assert.equal(fitItems([item(2, 9000, 1), item(3, 10, 2)], 100, 5000, 3), null);
});
