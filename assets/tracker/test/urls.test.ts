import { test } from "node:test";
import assert from "node:assert/strict";
import { keeper, stripSrcset, stripURL, stripURLsIn } from "../src/urls";

const keep = keeper();
const keepPage = keeper("page, q");

// [url, expected, allow-list]
const CASES: [string, string, ReturnType<typeof keeper>][] = [
  ["https://shop.example/reset?reset_token=SECRET", "https://shop.example/reset", keep],
  ["https://shop.example/p?utm_source=mail&token=SECRET&utm_medium=x", "https://shop.example/p?utm_source=mail&utm_medium=x", keep],
  ["https://shop.example/?gclid=abc&ref=hn&fbclid=f&msclkid=m", "https://shop.example/?gclid=abc&ref=hn&fbclid=f&msclkid=m", keep],
  ["https://shop.example/?UTM_Campaign=x", "https://shop.example/?UTM_Campaign=x", keep],
  ["https://shop.example/search?q=lamp&page=2&sid=SECRET", "https://shop.example/search", keep],
  ["https://shop.example/search?q=lamp&page=2&sid=SECRET", "https://shop.example/search?q=lamp&page=2", keepPage],
  ["https://shop.example/cb#access_token=SECRET&state=x", "https://shop.example/cb", keep],
  ["https://shop.example/cb#access_token=SECRET&utm_source=x", "https://shop.example/cb#utm_source=x", keep],
  ["https://shop.example/product.html#reviews", "https://shop.example/product.html#reviews", keep],
  ["https://shop.example/doc#section-2", "https://shop.example/doc#section-2", keep],
  ["https://shop.example/#/cart/42?coupon=SECRET", "https://shop.example/#/cart/42", keep],
  ["https://shop.example/#!/cart", "https://shop.example/#!/cart", keep],
  ["https://shop.example/welcome#a8f3k29dk3m4n5b6", "https://shop.example/welcome", keep],
  ["/api?api_key=SECRET", "/api", keep],
  ["?x=1", "", keep],
  ["https://shop.example/plain/path", "https://shop.example/plain/path", keep],
  ["https://shop.example/?", "https://shop.example/", keep],
  ["data:image/svg+xml;utf8,<svg>?x=1</svg>", "data:image/svg+xml;utf8,<svg>?x=1</svg>", keep],
  ["mailto:help@shop.example?subject=hi", "mailto:help@shop.example?subject=hi", keep],
  ["javascript:void(0)", "javascript:void(0)", keep],
];

test("stripURL keeps the path and only allow-listed parameters", () => {
  for (const [url, want, k] of CASES) assert.equal(stripURL(url, k), want, url);
});

test("stripURLsIn strips URLs inside stacks and messages, keeping line and column", () => {
  const TEXT: [string, string][] = [
    [
      "Error: x\n    at boom (https://shop.example/page?reset_token=SECRET:12:5)\n    at https://shop.example/app.js?v=3:1:2",
      "Error: x\n    at boom (https://shop.example/page:12:5)\n    at https://shop.example/app.js:1:2",
    ],
    ["boom@https://shop.example/p#access_token=SECRET:3:9", "boom@https://shop.example/p:3:9"],
    ['{"url":"https://shop.example/x?token=SECRET"}', '{"url":"https://shop.example/x"}'],
    ["no urls here ?token=x", "no urls here ?token=x"],
    ["wss://live.example/socket?auth=SECRET closed", "wss://live.example/socket closed"],
    ["https://shop.example/app.js:10:2", "https://shop.example/app.js:10:2"],
  ];
  for (const [input, want] of TEXT) assert.equal(stripURLsIn(input, keep), want, input);
});

test("stripSrcset strips every candidate", () => {
  assert.equal(stripSrcset("/a.png?sig=S 1x, /b.png?sig=T 2x", keep), "/a.png 1x, /b.png 2x");
});

test("keeper: defaults, extras, prefixes, case", () => {
  assert.equal(keep("utm_anything"), true);
  assert.equal(keep("gclid"), true);
  assert.equal(keep("token"), false);
  assert.equal(keep("page"), false);
  assert.equal(keepPage("page"), true);
  assert.equal(keepPage("Q"), true);
  assert.equal(keeper("filter_*")("filter_color"), true);
  assert.equal(keeper("")("utm_source"), true);
});
