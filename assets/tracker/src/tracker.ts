// The tracker: rrweb recording plus Loupe's own facts in one ordered
// stream, cut into batches and shipped to the collector.

import { record } from "@rrweb/record";
import { EventBuffer, FLUSH_BYTES, encodeBatch, fitItems, utf8Length, type Envelope } from "./batch";
import { watchClicks } from "./clicks";
import { type Config, readConfig } from "./config";
import { watchConsole } from "./console";
import { CONSENT_KEY, STOP_KEY, mayRecord, readKey, writeKey } from "./consent";
import { watchErrors } from "./errors";
import { custom, type Emit, type RREvent } from "./events";
import { normalizeRule, type RuleInput, watchFeedback } from "./feedback/index";
import { type KV, loadSession, newId, nextSeq, resolveSession, saveSession, type SessionState, visitorId } from "./ids";
import { watchNavigation } from "./navigation";
import { backfillRequests, watchNetwork } from "./network";
import { watchPage } from "./page";
import { maskValue, privatize } from "./privacy";
import { attempt, safe } from "./safe";
import { Shipper, gzipper } from "./shipper";
import { keeper } from "./urls";

/** Tracker version, sent with every batch. */
export const VERSION = "0.1.0";

const SESSION_KEY = "loupe_sess";
const VISITOR_KEY = "loupe_vid";
const FLUSH_EVERY_MS = 5000;
const FIRST_FLUSH_MS = 1000;
// rrweb masks a field when its tag or its type is listed; by tag catches
// every type. password stays listed so no edit here can unmask passwords.
const MASK_ALL_FIELDS = { input: true, textarea: true, select: true, password: true } as Record<string, boolean>;

/** The public API on window.loupe. */
export interface LoupeAPI {
  version: string;
  identify(id: string, traits?: Record<string, unknown>): void;
  event(name: string, props?: Record<string, unknown>): void;
  session(): string;
  visitor(): string;
  flush(): void;
  /** Adds a feedback prompt rule (README "Feedback prompt"). */
  feedback(rule: RuleInput): void;
  /** Runs one queued-style call, e.g. push(["feedback", {...}]). */
  push(call: unknown[]): void;
  /** Starts (or resumes) recording and remembers the choice for this visitor. */
  optIn(): void;
  /** Stops recording, drops what is unsent, and remembers the choice. */
  optOut(): void;
}

type LoupeWindow = Window & { loupe?: unknown; __loupeTracker?: boolean };

function storage(win: Window, name: "localStorage" | "sessionStorage"): KV | null {
  return attempt(() => {
    const s = win[name];
    const probe = "loupe_probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  }) ?? null;
}

/**
 * Starts recording on this page; does nothing if already started. Without
 * consent (the visitor opted out, or the tag says data-consent="required"
 * and the visitor has not opted in) nothing is stored or sent: window.loupe
 * only queues calls until loupe.optIn().
 */
export function start(win: LoupeWindow): void {
  if (win.__loupeTracker) return;
  const cfg = readConfig(win.document);
  if (!cfg) return;
  win.__loupeTracker = true;
  const local = storage(win, "localStorage");
  if (mayRecord(cfg.consent, readKey([local], CONSENT_KEY))) return begin(win, cfg, local);
  const q: unknown[] = attempt(() => (win.loupe as { q?: unknown[] } | undefined)?.q) || [];
  const later = (call: unknown) => q.length < 100 && q.push(call);
  const waiting: Record<string, unknown> = {
    version: VERSION,
    q,
    push: later,
    session: () => "",
    visitor: () => "",
    flush() {},
    optOut: () => writeKey([local], CONSENT_KEY, "out"),
    optIn: () =>
      attempt(() => {
        writeKey([local], CONSENT_KEY, "in");
        if (win.loupe === waiting) begin(win, cfg, local);
      }),
  };
  for (const m of ["identify", "event", "feedback"]) waiting[m] = (...args: unknown[]) => later([m, ...args]);
  win.loupe = waiting;
}

function begin(win: LoupeWindow, cfg: Config, local: KV | null): void {
  const sess = storage(win, "sessionStorage");
  const stores = [local, sess].filter((s): s is KV => s !== null);
  const env: Envelope = { site: cfg.site, visitor: visitorId(local ?? sess, VISITOR_KEY, () => newId("v_")), tracker: VERSION };
  let session: SessionState = resolveSession(loadSession(stores, SESSION_KEY), Date.now(), () => newId("s_")).state;
  saveSession(stores, SESSION_KEY, session);

  // Recording runs unless the visitor opted out on this page or the
  // collector told this session to stop (quota, sampling); the stop is
  // kept in storage so the session's next pages stay quiet too, until it
  // rolls over. rrweb itself is started and stopped to match (sync below).
  let optedOut = false;
  let stopped = readKey(stores, STOP_KEY);
  const active = () => !optedOut && stopped !== session.id;
  let stopRecord: (() => void) | undefined;

  const buffer = new EventBuffer();
  const origFetch = win.fetch.bind(win);
  const shipper = new Shipper({
    url: cfg.ingest,
    fetch: origFetch,
    compress: gzipper(),
    store: sess,
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    rand: Math.random,
    onStop: (id) => {
      stopped = id;
      writeKey(stores, STOP_KEY, id);
      sync();
    },
  });

  const cut = () => {
    const items = buffer.take();
    if (items.length === 0) return;
    const seq = nextSeq(stores, session.id);
    shipper.enqueue({ session: session.id, seq, body: encodeBatch(env, session.id, seq, Date.now(), items) });
  };
  const flush = safe(cut);
  const keep = keeper(cfg.keepParams);
  // Every event, rrweb's and the tracker's own, is made private here,
  // before anything holds it (README "Privacy at capture"); should that
  // throw, the event is dropped, never kept as it was.
  const emit: Emit = (ev: RREvent) =>
    attempt(() => {
      if (active() && buffer.push(privatize(ev, keep)) >= FLUSH_BYTES) flush();
    });

  // Activity keeps the session alive; after 30 min idle (or when another
  // tab already rolled it) the next activity starts a new session with its
  // own full snapshot. Capture listeners on window run before rrweb's, so
  // the triggering click lands in the new session.
  let lastCheck = 0;
  let lastSaved = session.last;
  const touch = safe(() => {
    const now = Date.now();
    if (optedOut) return;
    if (now - lastCheck < 1000) return;
    lastCheck = now;
    const stored = loadSession(stores, SESSION_KEY);
    const base = stored && stored.last >= session.last ? stored : session;
    const next = resolveSession(base, now, () => newId("s_")).state;
    if (next.id !== session.id) {
      cut();
      session = next;
      saveSession(stores, SESSION_KEY, session);
      lastSaved = now;
      stopped = readKey(stores, STOP_KEY);
      if (!sync()) attempt(() => record.takeFullSnapshot(true));
      reportPage(true);
      return;
    }
    session = next;
    if (now - lastSaved > 5000) {
      saveSession(stores, SESSION_KEY, session);
      lastSaved = now;
    }
  });
  for (const t of ["pointerdown", "keydown", "scroll", "mousemove", "touchstart", "focus"]) {
    win.addEventListener(t, touch, { capture: true, passive: true });
  }

  watchErrors(win, emit);
  const own = (url: string) => url.startsWith(cfg.ingest);
  watchNetwork(win, emit, own);
  watchClicks(win, emit, (n) => record.mirror.getId(n));
  const reportPage = watchPage(win, emit);
  const prompter = watchFeedback(win, local, cfg, (r) => {
    emit(custom("loupe/feedback", r));
    flush(); // an answer is worth a request of its own: the visitor may leave now
  });
  watchNavigation(win, emit, () => {
    reportPage(true);
    prompter.navigated();
  });

  // Starts or stops rrweb to match active(); true when it has just started
  // (a start takes its own full snapshot).
  const sync = (): boolean => {
    if (!active()) {
      attempt(() => stopRecord?.());
      stopRecord = undefined;
      buffer.take();
      return false;
    }
    if (stopRecord) return false;
    stopRecord = attempt(startRecord) || (() => {});
    return true;
  };
  // rrweb, then console capture (rrweb/console@1 events, as rrweb's console
  // plugin wrote them: console.ts), which ran inside rrweb before and so
  // starts after its full snapshot and stops with it.
  const startRecord = () => {
    const stopRrweb = record({
      emit: (e) => emit(e as RREvent),
      // Every input by tag, whatever its type (maskAllInputs lists types and
      // leaves out hidden and file); maskValue drops hidden values entirely
      // and keeps button captions.
      maskInputOptions: MASK_ALL_FIELDS,
      maskInputFn: maskValue,
      blockClass: "rr-block",
      blockSelector: ".loupe-no-capture",
      maskTextClass: "rr-mask",
      // Text typed into a rich-text editor arrives as DOM text, not input
      // events: mask it like an input, in snapshots and mutations alike.
      maskTextSelector: '[contenteditable]:not([contenteditable="false"])',
      slimDOMOptions: "all",
      // Every input event (values masked), not input: "last": that listens
      // only for "change", so typing would look like no reaction at all.
      sampling: { mousemove: 50, scroll: 150 },
      errorHandler: () => true,
    });
    const stopConsole = watchConsole(win, emit);
    return () => {
      stopConsole();
      stopRrweb?.();
    };
  };
  sync();

  backfillRequests(win, emit, own);

  const onLoad = () => reportPage(true);
  if (win.document.readyState === "complete") onLoad();
  else win.addEventListener("load", safe(onLoad));

  win.setTimeout(flush, FIRST_FLUSH_MS);
  win.setInterval(flush, FLUSH_EVERY_MS);
  shipper.pump(); // batches a previous page of this tab left unsent
  win.addEventListener("visibilitychange", safe(() => win.document.visibilityState === "hidden" && cut()));
  win.addEventListener("online", safe(() => shipper.retryNow()));
  // A page restored from the back/forward cache is a new pageview, but
  // rrweb only snapshots on load: take one (Meta + FullSnapshot) here.
  win.addEventListener(
    "pageshow",
    safe((e: PageTransitionEvent) => {
      if (!e.persisted) return;
      touch();
      attempt(() => record.takeFullSnapshot(false));
      reportPage(true);
      prompter.navigated();
      shipper.retryNow();
    }),
  );
  win.addEventListener(
    "pagehide",
    safe(() =>
      shipper.finalFlush((room) => {
        const items = buffer.take();
        if (items.length === 0) return null;
        const seq = nextSeq(stores, session.id);
        const now = Date.now();
        const overhead = utf8Length(encodeBatch(env, session.id, seq, now, []));
        const fitted = room > 0 ? fitItems(items, overhead, room, now) : null;
        const body = encodeBatch(env, session.id, seq, now, fitted ?? items);
        return { batch: { session: session.id, seq, body }, fits: fitted !== null };
      }),
    ),
  );

  const api: LoupeAPI = {
    version: VERSION,
    identify: (id, traits) =>
      attempt(() => {
        if (id === undefined || id === null || id === "") return;
        emit(custom("loupe/identify", { id: String(id).slice(0, 256), traits: plain(traits) }));
      }),
    event: (name, props) =>
      attempt(() => {
        if (!name) return;
        emit(custom("loupe/event", { name: String(name).slice(0, 200), props: plain(props) }));
      }),
    session: () => session.id,
    visitor: () => env.visitor,
    flush: () => flush(),
    feedback: (rule) =>
      attempt(() => {
        const r = normalizeRule(rule);
        if (r) prompter.add(r);
      }),
    push: (call) => attempt(() => dispatch(call)),
    optIn: () =>
      attempt(() => {
        writeKey([local], CONSENT_KEY, "in");
        optedOut = false;
        if (sync()) reportPage(true);
      }),
    optOut: () =>
      attempt(() => {
        writeKey([local], CONSENT_KEY, "out");
        optedOut = true;
        sync();
        shipper.drop();
      }),
  };
  const dispatch = (call: unknown) => {
    const [method, ...args] = Array.from(call as ArrayLike<unknown>);
    const fn = api[method as "identify" | "event" | "feedback"];
    if (typeof fn === "function" && method !== "push") (fn as (...a: unknown[]) => void)(...args);
  };
  const queued = attempt(() => (win.loupe as { q?: unknown[] } | undefined)?.q);
  win.loupe = api;
  if (Array.isArray(queued)) {
    for (const call of queued) attempt(() => dispatch(call));
  }
}

/** A JSON-safe copy of caller data (drops functions, breaks cycles). */
function plain(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== "object") return {};
  return attempt(() => JSON.parse(JSON.stringify(v))) ?? {};
}
