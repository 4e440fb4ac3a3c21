// Console output as rrweb/console@1 plugin events, the format rrweb's
// console plugin writes and replayers and core/derive read:
// {level, trace: ["fn (file:line:col)", ...], payload: [JSON text per argument]}.
// Written here rather than taken from @rrweb/rrweb-plugin-console-record
// because that plugin (with its general stack parser for old Opera and IE)
// is four times the size of what the tracker needs; the events are the same.

import { PLUGIN, type Emit } from "./events";

/** The plugin name replayers and core/rrweb look for. */
export const CONSOLE_PLUGIN = "rrweb/console@1";

/** The console methods recorded. */
export const LEVELS = ["assert", "error", "warn", "info", "log"] as const;

/** Calls recorded per page; the one after the last says the limit was reached. */
export const MAX_CALLS = 500;

const MAX_KEYS = 50;
const MAX_DEPTH = 4;

/** One console call as the plugin event's payload. */
export interface ConsoleRecord {
  level: string;
  trace: string[];
  payload: string[];
}

const isPlain = (v: unknown): v is Record<string, unknown> => Object.prototype.toString.call(v) === "[object Object]";

function tooDeep(o: Record<string, unknown>, depth: number): boolean {
  return depth === 0 || Object.keys(o).some((k) => isPlain(o[k]) && tooDeep(o[k] as Record<string, unknown>, depth - 1));
}

/** A CSS-like path of an element (`div>ul>li:eq(2)`), as the plugin writes nodes inside events. */
function nodePath(n: Element | null): string {
  let path = "";
  for (; n && n.parentElement && n.localName; n = n.parentElement) {
    const name = n.localName.toLowerCase();
    const same = Array.from(n.parentElement.children).filter((c) => c.localName && c.localName.toLowerCase() === name);
    path = name + (same.length > 1 ? `:eq(${same.indexOf(n)})` : "") + (path ? ">" + path : "");
  }
  return path;
}

/**
 * One console argument as JSON text: cycles named by their path, undefined
 * as "undefined", functions and oversized objects by their toString,
 * elements by their outerHTML, errors by their stack.
 */
export function stringify(value: unknown): string {
  const parents: unknown[] = [];
  const keys: string[] = [];
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (parents.length) {
      const at = parents.indexOf(this);
      if (at >= 0) {
        parents.splice(at + 1);
        keys.splice(at, Infinity, key);
      } else {
        parents.push(this);
        keys.push(key);
      }
      const seen = parents.indexOf(v);
      if (seen === 0) v = "[Circular ~]";
      else if (seen > 0) v = "[Circular ~." + keys.slice(0, seen).join(".") + "]";
    } else parents.push(v);
    if (v === null) return v;
    if (v === undefined) return "undefined";
    if (typeof v === "function" || (isPlain(v) && (Object.keys(v).length > MAX_KEYS || tooDeep(v, MAX_DEPTH)))) return String(v);
    if (typeof v === "bigint") return v + "n";
    if (typeof Event !== "undefined" && v instanceof Event) {
      const out: Record<string, unknown> = {};
      for (const k in v) {
        const f = (v as unknown as Record<string, unknown>)[k];
        out[k] = Array.isArray(f) ? nodePath(f.length ? f[0] : null) : f;
      }
      return out;
    }
    if (typeof Node !== "undefined" && v instanceof Node) return v instanceof HTMLElement ? v.outerHTML : v.nodeName;
    if (v instanceof Error) return v.stack ? v.stack + "\nEnd of stack for Error object" : v.name + ": " + v.message;
    return v;
  });
}

/**
 * The frames of an error's stack as the plugin writes them:
 * `fn (file:line:col)` or `file:line:col`, for V8 (`    at fn (f:1:2)`)
 * and Firefox/Safari (`fn@f:1:2`) stacks.
 */
export function frames(err: unknown): string[] {
  const stack = err && typeof (err as Error).stack === "string" ? (err as Error).stack! : "";
  const v8 = /^\s*at .*(\S+:\d+|\(native\))/m.test(stack);
  const out: string[] = [];
  for (const raw of stack.split("\n")) {
    let fn = "";
    // Frames inside eval'd code name the eval's caller, as the plugin did.
    let loc = (
      v8
        ? raw.includes("(eval ")
          ? raw.replace(/eval code/g, "eval").replace(/(\(eval at [^()]*)|(\),.*$)/g, "")
          : raw
        : raw.replace(/ line (\d+)(?: > eval line \d+)* > eval:\d+:\d+/g, ":$1")
    ).trim();
    if (v8) {
      if (!/^\s*at .*(\S+:\d+|\(native\))/.test(raw)) continue;
      const m = /^(.*?) \((.+:\d+:\d+)\)$/.exec(loc.slice(3));
      const words = (m ? m[1] : loc.slice(3)).split(/\s+/);
      loc = m ? m[2] : words.pop() || "";
      fn = words.join(" ");
    } else {
      if (!loc || /^(eval@)?(\[native code\])?$/.test(loc)) continue;
      const at = loc.indexOf("@");
      if (at >= 0) {
        fn = loc.slice(0, at);
        loc = loc.slice(at + 1);
      } else if (!loc.includes(":")) {
        out.push(loc + " (::)"); // a function name without a place
        continue;
      }
    }
    fn = fn.trim();
    out.push(fn ? `${fn} (${location(loc, v8)})` : location(loc, v8));
  }
  return out;
}

/** file:line:col with the parts the plugin keeps (in V8, `<anonymous>` and eval as no file). */
function location(loc: string, v8: boolean): string {
  if (!loc.includes(":")) return loc + "::";
  const m = /^(.+?)(?::(\d+))?(?::(\d+))?$/.exec(loc.replace(/[()]/g, "")) || [loc, loc];
  const file = v8 && (m[1] === "<anonymous>" || m[1] === "eval") ? "" : m[1];
  return `${file}:${m[2] || ""}:${m[3] || ""}`;
}

/**
 * Records console calls of LEVELS, uncaught errors and unhandled
 * rejections as rrweb/console@1 events until the returned function is
 * called, which puts the console back as it was. The page's console still
 * gets every call first; nothing here throws into the page.
 */
export function watchConsole(win: Window, emit: Emit): () => void {
  const send = (rec: ConsoleRecord) => emit({ type: PLUGIN, data: { plugin: CONSOLE_PLUGIN, payload: rec }, timestamp: Date.now() });
  const undo: (() => void)[] = [];
  let calls = 0;
  let inside = false;
  let stopped = false; // a wrapper that could not be taken out records nothing more

  const onError = (e: ErrorEvent) => {
    try {
      send({ level: "error", trace: frames(e.error), payload: [stringify(e.message)] });
    } catch {
      // never into the page
    }
  };
  const onRejection = (e: PromiseRejectionEvent) => {
    try {
      const r = e.reason;
      const err = r instanceof Error;
      send({
        level: "error",
        trace: frames(err ? r : new Error()),
        payload: err ? [stringify(`Uncaught (in promise) ${r.name}: ${r.message}`)] : [stringify("Uncaught (in promise)"), stringify(r)],
      });
    } catch {
      // never into the page
    }
  };
  win.addEventListener("error", onError);
  win.addEventListener("unhandledrejection", onRejection);
  undo.push(() => {
    win.removeEventListener("error", onError);
    win.removeEventListener("unhandledrejection", onRejection);
  });

  const con = (win as unknown as { console: unknown }).console as Record<string, (...args: unknown[]) => void>;
  for (const level of LEVELS) {
    const original = con[level];
    if (typeof original !== "function") continue;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      original.apply(this, args);
      if ((level === "assert" && args[0]) || inside || stopped) return;
      inside = true; // a getter or toString that logs must not loop
      try {
        // This frame is the wrapper: drop it, as the plugin does.
        const trace = frames(new Error()).slice(1);
        calls++;
        if (calls < MAX_CALLS) send({ level, trace, payload: (level === "assert" ? args.slice(1) : args).map(stringify) });
        else if (calls === MAX_CALLS) send({ level: "warn", trace: [], payload: [stringify("The number of log records reached the threshold.")] });
      } catch {
        // never into the page
      } finally {
        inside = false;
      }
    };
    try {
      con[level] = wrapped;
      // Only our own wrapper is taken out: a library that wrapped it since keeps its own.
      undo.push(() => con[level] === wrapped && (con[level] = original));
    } catch {
      // a frozen console: nothing recorded from it
    }
  }
  return () => {
    stopped = true;
    undo.forEach((u) => u());
  };
}
