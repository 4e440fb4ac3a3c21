import { test } from "node:test";
import assert from "node:assert/strict";
import type { KV } from "../src/ids";
import { Prompter, type Response, cleanResponse } from "../src/feedback/prompter";
import { MAX_COMMENT, type Rule, Seen, globMatch, normalizeRule, parseRules } from "../src/feedback/rules";

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
  setItem(): void {
    throw new Error("denied");
  }
}

test("globMatch matches paths like segments do", () => {
  const cases: { glob: string; path: string; want: boolean }[] = [
    { glob: "*", path: "/", want: true },
    { glob: "/", path: "/", want: true },
    { glob: "/", path: "/cart.html", want: false },
    { glob: "/thanks.html", path: "/thanks.html", want: true },
    { glob: "/thanks.html", path: "/thanksXhtml", want: false },
    { glob: "/checkout*", path: "/checkout/pay", want: true },
    { glob: "/checkout*", path: "/cart", want: false },
    { glob: "/p?.html", path: "/p1.html", want: true },
    { glob: "/p?.html", path: "/p12.html", want: false },
    { glob: "/a+(b)[c]$^{d}|e\\", path: "/a+(b)[c]$^{d}|e\\", want: true },
    { glob: "/a+", path: "/aa", want: false },
  ];
  for (const c of cases) {
    assert.equal(globMatch(c.glob, c.path), c.want, `globMatch(${c.glob}, ${c.path})`);
  }
});

test("normalizeRule validates and fills defaults", () => {
  const cases: { in: unknown; want: Partial<Rule> | null }[] = [
    { in: null, want: null },
    { in: "csat", want: null },
    { in: { kind: "stars" }, want: null },
    { in: { kind: "CSAT" }, want: { kind: "csat", page: "*", delay: 0, once: true, key: "csat:*" } },
    { in: { kind: "nps", page: "/", delay: 30000, oncePerVisitor: false }, want: { kind: "nps", page: "/", delay: 30000, once: false, key: "nps:/" } },
    { in: { kind: "nps", delay: -5 }, want: { delay: 0 } },
    { in: { kind: "nps", delay: "abc" }, want: { delay: 0 } },
    { in: { kind: "nps", delay: 1e12 }, want: { delay: 86_400_000 } },
    { in: { kind: "csat", id: "survey-7" }, want: { key: "survey-7" } },
    { in: { kind: "csat", question: "  How was checkout?  " }, want: { question: "How was checkout?" } },
    { in: { kind: "csat", question: 42 }, want: { question: "How satisfied are you with your visit?" } },
  ];
  for (const c of cases) {
    const got = normalizeRule(c.in as never);
    if (c.want === null) {
      assert.equal(got, null, `normalizeRule(${JSON.stringify(c.in)})`);
      continue;
    }
    assert.ok(got, `normalizeRule(${JSON.stringify(c.in)}) = null`);
    for (const [k, v] of Object.entries(c.want)) {
      assert.equal(got[k as keyof Rule], v, `normalizeRule(${JSON.stringify(c.in)}).${k}`);
    }
  }
});

test("parseRules reads one rule or a list, ignores garbage", () => {
  const cases: { attr: string | null; want: string[] }[] = [
    { attr: null, want: [] },
    { attr: "", want: [] },
    { attr: "{not json", want: [] },
    { attr: '{"kind":"csat","page":"/thanks.html"}', want: ["csat:/thanks.html"] },
    { attr: '[{"kind":"csat"},{"kind":"bad"},7,{"kind":"nps","page":"/"}]', want: ["csat:*", "nps:/"] },
  ];
  for (const c of cases) {
    assert.deepEqual(parseRules(c.attr).map((r) => r.key), c.want, `parseRules(${c.attr})`);
  }
});

test("cleanResponse caps the comment and clamps the score", () => {
  const long = "x".repeat(MAX_COMMENT + 50);
  const cases: { in: Response; want: Response }[] = [
    { in: { kind: "csat", score: 4, comment: "  fine  " }, want: { kind: "csat", score: 4, comment: "fine" } },
    { in: { kind: "csat", score: 9, comment: "" }, want: { kind: "csat", score: 5, comment: "" } },
    { in: { kind: "csat", score: 0, comment: "" }, want: { kind: "csat", score: 1, comment: "" } },
    { in: { kind: "nps", score: 0, comment: long }, want: { kind: "nps", score: 0, comment: "x".repeat(MAX_COMMENT) } },
    { in: { kind: "nps", score: 11.4, comment: "" }, want: { kind: "nps", score: 10, comment: "" } },
  ];
  for (const c of cases) assert.deepEqual(cleanResponse(c.in), c.want, JSON.stringify(c.in));
});

test("Seen survives a new instance on the same store, and a broken store", () => {
  const store = new MemKV();
  new Seen(store).add("csat:/thanks.html", 1);
  assert.equal(new Seen(store).has("csat:/thanks.html"), true, "not remembered across instances");
  assert.equal(new Seen(store).has("nps:/"), false);
  store.setItem("loupe_fb", "[corrupt");
  assert.equal(new Seen(store).has("csat:/thanks.html"), false, "corrupt value not ignored");
  const broken = new Seen(new BrokenKV());
  broken.add("k", 1);
  assert.equal(broken.has("k"), true, "a broken store loses what this page saw");
});

/** A prompter on a fake page: a path, a timer list and a script of answers. */
function page(path: string, store: KV | null = new MemKV()) {
  const timers: { fn: () => void; ms: number; live: boolean }[] = [];
  const shown: Rule[] = [];
  const answers: Response[] = [];
  let pending: ((r: Response | null) => void) | null = null;
  const state = { path, prepared: 0 };
  const p = new Prompter({
    path: () => state.path,
    store,
    setTimeout: (fn, ms) => {
      const t = { fn, ms, live: true };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => ((t as { live: boolean }).live = false),
    now: () => 1000,
    show: (rule, done) => {
      shown.push(rule);
      pending = done;
    },
    answer: (r) => answers.push(r),
    prepare: () => state.prepared++,
  });
  const runTimers = () => {
    for (const t of timers.splice(0)) if (t.live) t.fn();
  };
  const reply = (r: Response | null) => pending && pending(r);
  return { p, timers, shown, answers, state, runTimers, reply, store };
}

test("the widget is fetched only when a rule matches the page", () => {
  const rule = normalizeRule({ kind: "nps", page: "/thanks*", delay: 5000 }) as Rule;
  const pg = page("/cart.html");
  pg.p.add(rule);
  pg.p.navigated();
  assert.equal(pg.state.prepared, 0, "fetched on pages no rule names");
  pg.state.path = "/thanks/order";
  pg.p.navigated();
  assert.equal(pg.state.prepared, 1, "not fetched when the rule matched, before its delay");
  assert.equal(pg.shown.length, 0);
});

test("a rule shows on matching pages after its delay, once per visitor", () => {
  const rule = normalizeRule({ kind: "csat", page: "/thanks.html", delay: 1000 }) as Rule;
  const other = page("/cart.html");
  other.p.add(rule);
  assert.equal(other.timers.length, 0, "timer started on a page the glob does not match");

  const pg = page("/thanks.html");
  pg.p.add(rule);
  assert.deepEqual(pg.timers.map((t) => t.ms), [1000], "delay");
  assert.equal(pg.shown.length, 0, "shown before the delay");
  pg.runTimers();
  assert.equal(pg.shown.length, 1);
  pg.reply({ kind: "csat", score: 5, comment: " great " });
  assert.deepEqual(pg.answers, [{ kind: "csat", score: 5, comment: "great" }]);

  // A reload (new prompter, same localStorage) does not show it again.
  const reload = page("/thanks.html", pg.store);
  reload.p.add(rule);
  reload.runTimers();
  assert.equal(reload.shown.length, 0, "shown twice to one visitor");
});

test("dismissing counts as seen; without oncePerVisitor it shows again", () => {
  const once = normalizeRule({ kind: "nps", page: "/" }) as Rule;
  const pg = page("/");
  pg.p.add(once);
  pg.runTimers();
  pg.reply(null);
  assert.deepEqual(pg.answers, [], "a dismissal became an answer");
  const again = page("/", pg.store);
  again.p.add(once);
  again.runTimers();
  assert.equal(again.shown.length, 0, "dismissed prompt shown again");

  const every = normalizeRule({ kind: "nps", page: "/", oncePerVisitor: false }) as Rule;
  const a = page("/", pg.store);
  a.p.add(every);
  a.runTimers();
  a.reply(null);
  a.p.navigated();
  a.runTimers();
  assert.equal(a.shown.length, 2, "oncePerVisitor: false");
});

test("an SPA navigation cancels timers of the old page and starts matching ones", () => {
  const home = normalizeRule({ kind: "nps", page: "/", delay: 30000 }) as Rule;
  const thanks = normalizeRule({ kind: "csat", page: "/thanks*", delay: 1000 }) as Rule;
  const pg = page("/");
  pg.p.add(home);
  pg.p.add(thanks);
  assert.equal(pg.timers.length, 1);
  pg.state.path = "/thanks";
  pg.p.navigated();
  pg.runTimers();
  assert.deepEqual(pg.shown.map((r) => r.kind), ["csat"], "the home timer fired on another page");
});

test("one prompt at a time; a failing prompt does not block the next", () => {
  const a = normalizeRule({ kind: "csat", id: "a" }) as Rule;
  const b = normalizeRule({ kind: "nps", id: "b" }) as Rule;
  const pg = page("/x");
  pg.p.add(a);
  pg.p.add(b);
  pg.runTimers();
  assert.deepEqual(pg.shown.map((r) => r.key), ["a"], "two prompts open at once");

  let calls = 0;
  const p = new Prompter({
    path: () => "/x",
    store: null,
    setTimeout: (fn) => fn(),
    clearTimeout: () => undefined,
    now: () => 0,
    show: () => {
      calls++;
      throw new Error("no DOM");
    },
    answer: () => undefined,
  });
  p.add(normalizeRule({ kind: "csat", id: "c" }) as Rule);
  p.add(normalizeRule({ kind: "csat", id: "d" }) as Rule);
  assert.equal(calls, 2, "a throwing show left the prompter blocked");
});
