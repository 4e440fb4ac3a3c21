import { test } from "node:test";
import assert from "node:assert/strict";
import {
  IDLE_MS,
  MAX_SESSION_MS,
  type KV,
  loadSession,
  newId,
  nextSeq,
  parseSession,
  resolveSession,
  saveSession,
  validId,
  visitorId,
} from "../src/ids";

class MemKV implements KV {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.has(k) ? (this.m.get(k) as string) : null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

class BrokenKV implements KV {
  getItem(): string | null {
    throw new Error("denied");
  }
  setItem() {
    throw new Error("denied");
  }
}

let counter = 0;
const mk = () => "s_test" + String(++counter).padStart(6, "0");

test("resolveSession keeps or rolls over", () => {
  const t0 = 1_764_000_000_000;
  const cases = [
    { name: "no stored session", stored: null, now: t0, rolled: true },
    { name: "active a minute ago", stored: { id: "s_keepme01", start: t0 - 60_000, last: t0 - 60_000 }, now: t0, rolled: false },
    { name: "idle just under 30 min", stored: { id: "s_keepme01", start: t0 - IDLE_MS, last: t0 - IDLE_MS + 1 }, now: t0, rolled: false },
    { name: "idle exactly 30 min", stored: { id: "s_keepme01", start: t0 - IDLE_MS, last: t0 - IDLE_MS }, now: t0, rolled: true },
    { name: "idle 2 h", stored: { id: "s_keepme01", start: t0 - 7_200_000, last: t0 - 7_200_000 }, now: t0, rolled: true },
    { name: "busy for 24 h", stored: { id: "s_keepme01", start: t0 - MAX_SESSION_MS, last: t0 - 1000 }, now: t0, rolled: true },
    { name: "clock moved far back", stored: { id: "s_keepme01", start: t0 + 3_600_000, last: t0 + 3_600_000 }, now: t0, rolled: true },
  ];
  for (const c of cases) {
    const got = resolveSession(c.stored, c.now, mk);
    assert.equal(got.rolled, c.rolled, `${c.name}: rolled got ${got.rolled}, want ${c.rolled}`);
    if (c.rolled) {
      assert.notEqual(got.state.id, c.stored?.id, `${c.name}: id kept after rollover`);
      assert.equal(got.state.start, c.now, `${c.name}: start`);
    } else {
      assert.equal(got.state.id, c.stored?.id, `${c.name}: id changed`);
      assert.equal(got.state.last, c.now, `${c.name}: last not advanced`);
    }
  }
});

test("session continues across page loads through storage", () => {
  const local = new MemKV();
  const sess = new MemKV();
  const t0 = 1_764_000_000_000;
  const first = resolveSession(loadSession([local, sess], "k"), t0, mk).state;
  saveSession([local, sess], "k", first);
  const second = resolveSession(loadSession([local, sess], "k"), t0 + 10 * 60_000, mk);
  assert.equal(second.rolled, false);
  assert.equal(second.state.id, first.id);
  const third = resolveSession(loadSession([local, sess], "k"), t0 + 10 * 60_000 + IDLE_MS, mk);
  assert.equal(third.rolled, true);
});

test("loadSession prefers the freshest store and survives broken ones", () => {
  const a = new MemKV();
  const b = new MemKV();
  a.setItem("k", JSON.stringify({ id: "s_olderone", start: 1, last: 10 }));
  b.setItem("k", JSON.stringify({ id: "s_newerone", start: 1, last: 20 }));
  assert.equal(loadSession([a, new BrokenKV(), b], "k")?.id, "s_newerone");
  assert.equal(loadSession([new BrokenKV()], "k"), null);
});

test("parseSession rejects malformed state", () => {
  const bad = [null, "", "{", "[]", '{"id":"short","start":1,"last":1}', '{"id":"s_okay_id1","start":"1","last":1}', '{"id":"s bad id!","start":1,"last":1}'];
  for (const raw of bad) assert.equal(parseSession(raw), null, `parseSession(${raw}) should be null`);
  assert.deepEqual(parseSession('{"id":"s_okay_id1","start":1,"last":2}'), { id: "s_okay_id1", start: 1, last: 2 });
});

test("newId makes ids the collector accepts", () => {
  for (let i = 0; i < 200; i++) {
    const id = newId(i % 2 ? "s_" : "v_");
    assert.ok(validId(id), `invalid id ${id}`);
  }
  const fixed = newId("v_", (n) => new Uint8Array(n).fill(255));
  assert.equal(fixed, "v_" + "-".repeat(22));
  assert.ok(!validId("a".repeat(65)));
  assert.ok(!validId("abc"));
});

test("visitorId persists and replaces invalid values", () => {
  const kv = new MemKV();
  const a = visitorId(kv, "v", () => "v_first_visitor");
  const b = visitorId(kv, "v", () => "v_second_visitor");
  assert.equal(a, "v_first_visitor");
  assert.equal(b, "v_first_visitor");
  kv.setItem("v", "bad id");
  assert.equal(visitorId(kv, "v", () => "v_third_visitor"), "v_third_visitor");
  assert.equal(visitorId(new BrokenKV(), "v", () => "v_no_storage"), "v_no_storage");
});

test("nextSeq counts per session and continues across loads", () => {
  const local = new MemKV();
  const sess = new MemKV();
  const got = [nextSeq([local, sess], "s_a_session"), nextSeq([local, sess], "s_a_session"), nextSeq([sess], "s_a_session")];
  assert.deepEqual(got, [0, 1, 2]);
  assert.equal(nextSeq([local, sess], "s_a_session"), 3, "continues from the highest store");
  assert.equal(nextSeq([local, sess], "s_other_one"), 0);
});
