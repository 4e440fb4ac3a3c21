import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { RULES, ibanValid, luhn, scrubText } from "../src/scrub";

// [input, expected output]: what must be scrubbed...
const SCRUBBED: [string, string][] = [
  ["card 4111 1111 1111 1111 declined", "card [card] declined"],
  ["card 4111-1111-1111-1111", "card [card]"],
  ["pan=5500005555555559", "pan=[card]"],
  ["amex 3782 822463 10005", "amex [card]"],
  ['{"ssn":"123-45-6789","name":"x"}', '{"ssn":"[ssn]","name":"x"}'],
  ["mail jane.doe+shop@example.co.uk now", "mail [email] now"],
  ['"to":"a_b@mail.example.com"', '"to":"[email]"'],
  ["IBAN DE89 3704 0044 0532 0130 00 ok", "IBAN [iban] ok"],
  ["GB82WEST12345698765432", "[iban]"],
  ["Authorization: Bearer abcdef123456.xyz", "Authorization: [token] [token]"],
  ["header Bearer abcdef123456", "header Bearer [token]"],
  [
    "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "jwt [token]",
  ],
  ["password=hunter22 next", "password=[token] next"],
  ['{"api_key":"k3y-value-1"}', '{"api_key":"[token]"}'],
  ["reset_token: 9f8e7d6c", "reset_token: [token]"],
  ["sessionId=abc123xyz", "sessionId=[token]"],
  ["key sk_live_51Habcdefgh", "key [token]"],
  ["aws AKIAIOSFODNN7EXAMPLE", "aws [token]"],
  ["blob 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", "blob [token]"],
  ["account 123456789012", "account [number]"],
  ["phone 4915112345679", "phone [number]"],
  ["ssn 123456789", "ssn [number]"],
];

// ...and near misses that must come through unchanged.
const KEPT: string[] = [
  "order 12345678 shipped",
  "Order #A-10023",
  "total $1,299.99 (was 1299.00 EUR)",
  "price 12345678901.50",
  "date 2026-12-04 10:11:12, 12/04/2026",
  "ts 1733300000000 and 1733300000",
  "pi 3.14159265358979",
  "card 4111 1111 1111 1112 fails Luhn",
  "id 123e4567-e89b-12d3-a456-426614174000",
  "phone +1 415-555-0123",
  "zip 10115, qty 3, sku AB-1234",
  "author: Jane, session: expired", // "session" alone is not a secret name
  "TypeError: Cannot read properties of undefined (reading 'x')",
  "at checkout (http://shop.example/app.js:12:5)",
  "IBAN-like DE00 1234 5678 9012 3456 78 with a bad checksum",
  "a-very-long-descriptive-identifier-name-without-digits",
];

test("scrubText replaces every kind of secret with its label", () => {
  for (const [input, want] of SCRUBBED) assert.equal(scrubText(input), want, input);
});

test("scrubText keeps near misses: order numbers, prices, dates, timestamps", () => {
  for (const input of KEPT) assert.equal(scrubText(input), input, input);
});

test("scrubText is idempotent", () => {
  for (const [input] of SCRUBBED) {
    const once = scrubText(input);
    assert.equal(scrubText(once), once, input);
  }
});

test("luhn and ibanValid", () => {
  assert.equal(luhn("4111111111111111"), true);
  assert.equal(luhn("4111111111111112"), false);
  assert.equal(ibanValid("DE89 3704 0044 0532 0130 00"), true);
  assert.equal(ibanValid("DE88 3704 0044 0532 0130 00"), false);
});

test("the README's privacy table names every rule, in order", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const names = [...readme.matchAll(/^\| `([^`]+)` \| .* \| `\[\w+\]` \|$/gm)].map((m) => m[1]);
  assert.deepEqual(names, RULES.map((r) => r.name));
});
