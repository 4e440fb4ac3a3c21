import { test } from "node:test";
import assert from "node:assert/strict";
import { BACKOFF_CAP_MS, backoffDelay, classify } from "../src/backoff";

test("backoffDelay grows exponentially with equal jitter and a cap", () => {
  const cases = [
    { attempt: 0, r: 0, want: 500 },
    { attempt: 0, r: 1, want: 1000 },
    { attempt: 1, r: 0, want: 1000 },
    { attempt: 3, r: 0.5, want: 6000 },
    { attempt: 6, r: 1, want: BACKOFF_CAP_MS },
    { attempt: 50, r: 0, want: BACKOFF_CAP_MS / 2 },
    { attempt: -3, r: 1, want: 1000 },
  ];
  for (const c of cases) {
    const got = backoffDelay(c.attempt, () => c.r);
    assert.equal(got, c.want, `backoffDelay(${c.attempt}, r=${c.r}) = ${got}, want ${c.want}`);
  }
});

test("backoffDelay is jittered", () => {
  const seen = new Set<number>();
  for (let i = 0; i < 50; i++) seen.add(backoffDelay(4));
  assert.ok(seen.size > 10, `only ${seen.size} distinct delays`);
  for (const d of seen) assert.ok(d >= 8000 && d <= 16000, `delay ${d} out of [8000,16000]`);
});

test("classify retries network errors, 5xx and 429, never other 4xx", () => {
  const cases: [number, string][] = [
    [200, "done"],
    [204, "done"],
    [0, "retry"],
    [500, "retry"],
    [503, "retry"],
    [400, "drop"],
    [403, "drop"],
    [413, "drop"],
    [429, "retry"],
    [507, "retry"],
  ];
  for (const [status, want] of cases) assert.equal(classify(status), want, `classify(${status})`);
});
