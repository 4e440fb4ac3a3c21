// The tracker's console capture must write the events rrweb's console
// plugin wrote before it (core/derive and replayers read them): the same
// calls, in the same order, with the same level, payload and trace. Each
// case runs through both on look-alike windows and compares the events.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getRecordConsolePlugin } from "@rrweb/rrweb-plugin-console-record";
import { CONSOLE_PLUGIN, MAX_CALLS, frames, stringify, watchConsole } from "../src/console";
import { PLUGIN, type RREvent } from "../src/events";

// Node has Event but no DOM: the plugin's replacer tests every value
// against Node, so give it (and the tracker) the classes it expects.
class FakeNode {
  nodeName = "#text";
}
class FakeElement extends FakeNode {
  nodeName = "DIV";
  outerHTML = '<div class="x">hi</div>';
}
const g = globalThis as Record<string, unknown>;
g.Node ??= FakeNode;
g.HTMLElement ??= FakeElement;

type Listener = (e: unknown) => void;
type Rec = { level: string; trace: string[]; payload: string[] };

/** A window with its own console whose original methods record nothing. */
function fakeWindow() {
  const listeners: Record<string, Listener[]> = {};
  const printed: unknown[][] = [];
  const con: Record<string, (...a: unknown[]) => void> = {};
  for (const m of ["assert", "error", "warn", "info", "log", "debug"]) con[m] = (...a: unknown[]) => printed.push([m, ...a]);
  return {
    console: con,
    printed,
    addEventListener: (t: string, fn: Listener) => (listeners[t] ||= []).push(fn),
    removeEventListener: (t: string, fn: Listener) => (listeners[t] = (listeners[t] || []).filter((f) => f !== fn)),
    fire: (t: string, e: unknown) => (listeners[t] || []).forEach((fn) => fn(e)),
  };
}

function ours() {
  const win = fakeWindow();
  const got: Rec[] = [];
  const stop = watchConsole(win as unknown as Window, (ev: RREvent) => {
    assert.equal(ev.type, PLUGIN);
    const d = ev.data as { plugin: string; payload: Rec };
    assert.equal(d.plugin, CONSOLE_PLUGIN);
    got.push(d.payload);
  });
  return { win, got, stop };
}

function theirs() {
  const win = fakeWindow();
  const got: Rec[] = [];
  const plugin = getRecordConsolePlugin({ level: ["assert", "error", "warn", "info", "log"], lengthThreshold: MAX_CALLS });
  assert.equal(plugin.name, CONSOLE_PLUGIN);
  (plugin.observer as (cb: (p: Rec) => void, w: unknown, o: unknown) => void)((p) => got.push(p), win, plugin.options);
  return { win, got };
}

const circular: Record<string, unknown> = { name: "root", child: { id: 1 } };
(circular.child as Record<string, unknown>).parent = circular;
(circular.child as Record<string, unknown>).self = circular.child;
const wide = Object.fromEntries(Array.from({ length: 51 }, (_, i) => ["k" + i, i]));
const deep = { a: { b: { c: { d: { e: 1 } } } } };
const notDeep = { a: { b: { c: { d: 1 } } } };
const errNoStack = Object.assign(new TypeError("bad thing"), { stack: undefined });

const ARGS: { name: string; args: unknown[] }[] = [
  { name: "strings and numbers", args: ["hello", 42, 1.5, -0, NaN] },
  { name: "null, undefined, booleans", args: [null, undefined, true, false] },
  { name: "plain object and array", args: [{ a: 1, b: [1, "two", null, undefined] }, [1, [2, [3]]]] },
  { name: "circular references", args: [circular] },
  { name: "more than 50 keys", args: [wide] },
  { name: "too deep and just deep enough", args: [deep, notDeep] },
  { name: "functions", args: [function named() { return 1; }, () => 2] },
  { name: "bigint", args: [BigInt(10), { n: BigInt(3) }] },
  { name: "errors", args: [new Error("boom"), errNoStack, { err: new RangeError("inner") }] },
  { name: "DOM nodes", args: [new FakeElement(), new FakeNode(), { el: new FakeElement() }] },
  { name: "an Event", args: [new Event("click")] },
  { name: "dates and symbols", args: [new Date(0), Symbol("s"), { s: Symbol("t") }] },
  { name: "nothing", args: [] },
];

test("console calls become the same rrweb/console@1 payloads as the plugin's", () => {
  for (const c of ARGS) {
    for (const level of ["log", "info", "warn", "error"]) {
      const a = ours();
      const b = theirs();
      a.win.console[level](...c.args);
      b.win.console[level](...c.args);
      assert.equal(a.got.length, 1, c.name);
      assert.deepEqual(a.got.map((r) => [r.level, r.payload]), b.got.map((r) => [r.level, r.payload]), `${c.name} (${level})`);
      assert.deepEqual(a.win.printed, [[level, ...c.args]], `${c.name}: the page's console did not get the call`);
    }
  }
});

test("assert is recorded only when it fails, without its condition", () => {
  const a = ours();
  const b = theirs();
  for (const w of [a.win, b.win]) {
    w.console.assert(true, "fine");
    w.console.assert(false, "broken", { n: 1 });
    w.console.assert(0);
  }
  assert.deepEqual(a.got.map((r) => [r.level, r.payload]), [
    ["assert", ['"broken"', '{"n":1}']],
    ["assert", []],
  ]);
  assert.deepEqual(a.got.map((r) => [r.level, r.payload]), b.got.map((r) => [r.level, r.payload]));
});

test("stopping puts the console back and records nothing more", () => {
  const a = ours();
  const before = fakeWindow().console.log.toString();
  const ourWarn = a.win.console.warn;
  const libraryWarn = (...args: unknown[]) => ourWarn(...args); // wrapped by someone after us
  a.win.console.warn = libraryWarn;
  a.stop();
  a.win.console.log("after");
  a.win.console.warn("after");
  a.win.console.error("after");
  a.win.fire("error", { message: "late", error: new Error("late") });
  a.win.fire("unhandledrejection", { reason: new Error("late") });
  assert.equal(a.win.console.log.toString(), before, "console.log not restored");
  assert.equal(a.win.console.warn, libraryWarn, "a later wrapper was removed");
  assert.deepEqual(a.got, [], "recorded after stop");
  assert.deepEqual(a.win.printed.length, 3, "the page's console lost calls");
});

test("levels not recorded pass through untouched", () => {
  const a = ours();
  a.win.console.debug("quiet");
  assert.deepEqual(a.got, []);
  assert.deepEqual(a.win.printed, [["debug", "quiet"]]);
});

test("after the call limit one warning is recorded, then nothing", () => {
  const a = ours();
  const b = theirs();
  for (let i = 0; i < MAX_CALLS + 5; i++) {
    a.win.console.log(i);
    b.win.console.log(i);
  }
  assert.equal(a.got.length, MAX_CALLS);
  assert.deepEqual(a.got[MAX_CALLS - 1], { level: "warn", trace: [], payload: ['"The number of log records reached the threshold."'] });
  assert.deepEqual(a.got.map((r) => r.payload), b.got.map((r) => r.payload));
});

test("a call made while recording a call is not recorded (no loop)", () => {
  const a = ours();
  const sneaky = { toJSON: () => (a.win.console.log("inside"), "outer") };
  a.win.console.log(sneaky);
  assert.deepEqual(a.got.map((r) => r.payload), [['"outer"']]);
});

test("a console call's trace starts at its caller", () => {
  const a = ours();
  (function callerOfLog() {
    a.win.console.warn("x");
  })();
  assert.match(a.got[0].trace[0], /^callerOfLog \(.*console\.test\.mjs:\d+:\d+\)$/);
});

/** An error whose stack is exactly text (the frames the plugin parses). */
function withStack(stack: string, message = "boom"): Error {
  const e = new Error(message);
  e.stack = stack;
  return e;
}

const STACKS: { name: string; stack: string; want: string[] }[] = [
  {
    name: "V8",
    stack:
      "TypeError: x is undefined\n    at render (https://shop.example/app.js:10:5)\n    at https://shop.example/app.js:20:1\n" +
      "    at new Cart (https://shop.example/cart.js:3:9)\n    at async load (https://shop.example/app.js:7:2)\n    at Array.map (<anonymous>)",
    want: [
      "render (https://shop.example/app.js:10:5)",
      "https://shop.example/app.js:20:1",
      "new Cart (https://shop.example/cart.js:3:9)",
      "async load (https://shop.example/app.js:7:2)",
    ],
  },
  {
    name: "V8, anonymous and native frames",
    stack: "Error: e\n    at Object.<anonymous> (https://shop.example/a.js:1:2)\n    at <anonymous>:3:4\n    at JSON.parse (native)",
    want: ["Object.<anonymous> (https://shop.example/a.js:1:2)", ":3:4", "JSON.parse ((native)::)"],
  },
  {
    name: "Firefox and Safari",
    stack: "render@https://shop.example/app.js:10:5\n@https://shop.example/app.js:20:1\nCart@https://shop.example/cart.js:3:9\n[native code]\n\nglobal code",
    want: ["render (https://shop.example/app.js:10:5)", "https://shop.example/app.js:20:1", "Cart (https://shop.example/cart.js:3:9)", "global code (::)"],
  },
  {
    name: "V8, eval",
    stack: "Error: e\n    at eval (eval at run (https://shop.example/a.js:1:2), <anonymous>:2:20)\n    at eval (eval at evaluate :370:30, <anonymous>:2:20)",
    want: ["eval (https://shop.example/a.js:1:2)", "eval ()::)"],
  },
  {
    name: "Firefox, eval",
    stack: "f@https://shop.example/a.js line 2 > eval:1:5\ng@https://shop.example/a.js line 3 > eval line 1 > eval:1:1",
    want: ["f (https://shop.example/a.js:2:)", "g (https://shop.example/a.js:3:)"],
  },
  { name: "no stack", stack: "", want: [] },
];

test("uncaught errors are recorded with the plugin's trace", () => {
  for (const c of STACKS) {
    const a = ours();
    const b = theirs();
    const error = withStack(c.stack);
    for (const w of [a.win, b.win]) w.fire("error", { message: "Uncaught TypeError: x is undefined", error });
    assert.deepEqual(a.got, [{ level: "error", trace: c.want, payload: ['"Uncaught TypeError: x is undefined"'] }], c.name);
    if (c.stack) assert.deepEqual(a.got, b.got, c.name); // the plugin warns on a stackless error; the tracker does not
  }
});

test("unhandled rejections are recorded as the plugin records them", () => {
  const reasonError = withStack("Error: nope\n    at pay (https://shop.example/pay.js:1:1)", "nope");
  const a = ours();
  const b = theirs();
  for (const w of [a.win, b.win]) {
    w.fire("unhandledrejection", { reason: reasonError });
    w.fire("unhandledrejection", { reason: { code: 7 } });
  }
  assert.deepEqual(a.got[0], { level: "error", trace: ["pay (https://shop.example/pay.js:1:1)"], payload: ['"Uncaught (in promise) Error: nope"'] });
  assert.deepEqual(a.got[0], b.got[0]);
  assert.deepEqual(a.got[1].payload, ['"Uncaught (in promise)"', '{"code":7}']);
  assert.deepEqual(a.got[1].payload, b.got[1].payload);
});

test("frames and stringify never throw on odd input", () => {
  assert.deepEqual(frames(undefined), []);
  assert.deepEqual(frames({ stack: 5 }), []);
  assert.equal(stringify(undefined), '"undefined"');
  assert.equal(stringify("a\"b"), '"a\\"b"');
});
