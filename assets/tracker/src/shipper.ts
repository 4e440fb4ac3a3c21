// Delivery of batches to the collector, in order, one at a time, at least
// once: a batch leaves the queue only when the collector acknowledged it (or
// refused it for good with a 4xx). The collector deduplicates by
// (session, seq), so resending after a reload or a lost response is safe.
// The queue is kept in sessionStorage so a reload or a navigation to the
// next page of the site resends what this page could not.

import { backoffDelay, classify } from "./backoff";
import type { Batch } from "./batch";
import { utf8Length } from "./batch";
import { stopOf } from "./consent";
import type { KV } from "./ids";

/** Browsers cap the bodies of all in-flight keepalive requests at 64 KiB. */
export const KEEPALIVE_LIMIT = 64 * 1024 - 512;

/** The unsent queue kept across reloads is capped to stay clear of quotas. */
export const PERSIST_LIMIT = 2 * 1024 * 1024;

const QUEUE_KEY = "loupe_q";

/** What the shipper needs from the page, injected so tests can drive it. */
export interface ShipperDeps {
  url: string;
  /** The page's original fetch, taken before any patching. */
  fetch: (url: string, init: RequestInit) => Promise<{ status: number; json?: () => Promise<unknown> }>;
  /** gzip, where CompressionStream exists; null sends plain JSON. */
  compress: ((s: string) => Promise<Uint8Array>) | null;
  store: KV | null;
  setTimeout: (fn: () => void, ms: number) => unknown;
  rand: () => number;
  /** The collector said stop for this session (consent.ts stopOf). */
  onStop?: (session: string) => void;
}

/** send's result for a reply that says stop. */
const STOP = -1;

/** A batch cut at the last moment, and whether it fits the keepalive quota. */
export interface FinalCut {
  batch: Batch;
  fits: boolean;
}

/** Sends batches in order with retry and backoff, and keeps the rest. */
export class Shipper {
  private queue: Batch[];
  private busy = false;
  private waiting = false;
  private attempt = 0;

  constructor(private deps: ShipperDeps) {
    this.queue = loadQueue(deps.store);
  }

  /** Batches not yet acknowledged, oldest first. */
  pending(): readonly Batch[] {
    return this.queue;
  }

  /** Queues a batch and starts sending if idle. */
  enqueue(b: Batch): void {
    this.queue.push(b);
    this.persist();
    this.pump();
  }

  /** Sends the oldest batch unless a send or a backoff wait is running. */
  pump(): void {
    if (this.busy || this.waiting || this.queue.length === 0) return;
    const b = this.queue[0];
    this.busy = true;
    this.send(b).then((status) => {
      this.busy = false;
      if (status === STOP) {
        // The whole session is refused: its queued batches could only
        // be refused too, and retrying would ask again for nothing.
        this.drop(b.session);
        this.deps.onStop?.(b.session);
        this.pump();
        return;
      }
      const outcome = classify(status);
      if (outcome === "retry") {
        this.waiting = true;
        const delay = backoffDelay(this.attempt++, this.deps.rand);
        this.deps.setTimeout(() => {
          this.waiting = false;
          this.pump();
        }, delay);
        return;
      }
      this.attempt = 0;
      const i = this.queue.indexOf(b);
      if (i >= 0) this.queue.splice(i, 1);
      this.persist();
      this.pump();
    });
  }

  /** Forgets the queued batches of session, or all of them. */
  drop(session?: string): void {
    this.queue = session ? this.queue.filter((q) => q.session !== session) : [];
    this.persist();
  }

  /** Retries now instead of waiting out a backoff (e.g. back online). */
  retryNow(): void {
    this.waiting = false;
    this.pump();
  }

  private async send(b: Batch): Promise<number> {
    try {
      let body: string | Uint8Array = b.body;
      if (this.deps.compress) {
        try {
          body = await this.deps.compress(b.body);
        } catch {
          body = b.body; // compression failed: plain JSON is still valid
        }
      }
      const size = typeof body === "string" ? utf8Length(body) : body.byteLength;
      const res = await this.deps.fetch(sessionURL(this.deps.url, b.session), {
        method: "POST",
        body: body as BodyInit,
        // text/plain keeps this a CORS "simple request": no preflight.
        headers: { "Content-Type": "text/plain" },
        credentials: "omit",
        keepalive: size <= KEEPALIVE_LIMIT,
      });
      if (res.status === 429 || res.status === 202) {
        // Only these replies can say stop; a body that is not JSON (a
        // proxy's page) leaves the status to decide.
        const body = await (res.json?.() ?? null)?.catch(() => null);
        if (stopOf(res.status, body)) return STOP;
      }
      return res.status;
    } catch {
      return 0;
    }
  }

  /**
   * The last chance before the page goes away: queued batches are sent
   * with keepalive in order while they fit the 64 KiB quota, then `cut`
   * makes the final batch from what is still buffered, trimmed to the room
   * left. Everything stays in the persisted queue (except that a trimmed
   * batch replaces its full form), so if this tab loads another page of the
   * site it resends what may not have arrived.
   */
  finalFlush(cut: (room: number) => FinalCut | null): number {
    let room = KEEPALIVE_LIMIT;
    let blocked = false;
    const now: Batch[] = [];
    for (const b of this.queue) {
      const size = utf8Length(b.body);
      if (!blocked && size <= room) {
        now.push(b);
        room -= size;
      } else {
        blocked = true;
      }
    }
    const c = cut(blocked ? 0 : room);
    if (c) {
      this.queue.push(c.batch);
      if (c.fits && !blocked) now.push(c.batch);
    }
    this.persist();
    for (const b of now) {
      this.deps
        .fetch(sessionURL(this.deps.url, b.session), {
          method: "POST",
          body: b.body,
          headers: { "Content-Type": "text/plain" },
          credentials: "omit",
          keepalive: true,
        })
        .catch(() => undefined);
    }
    return now.length;
  }

  private persist(): void {
    const st = this.deps.store;
    if (!st) return;
    try {
      let list = this.queue;
      let total = list.reduce((n, b) => n + b.body.length, 0);
      while (total > PERSIST_LIMIT && list.length > 1) {
        total -= list[0].body.length;
        list = list.slice(1);
      }
      st.setItem(QUEUE_KEY, JSON.stringify(list));
    } catch {
      // quota exceeded: the in-memory queue still sends
    }
  }
}

/**
 * The ingest URL for one batch: the session id rides in the query as `s`
 * so a load balancer can keep a session on one collector by hashing it
 * without reading the (possibly gzipped) body; the collector checks that
 * it matches the body.
 */
export function sessionURL(url: string, session: string): string {
  return url + (url.indexOf("?") < 0 ? "?" : "&") + "s=" + encodeURIComponent(session);
}

function loadQueue(store: KV | null): Batch[] {
  try {
    const raw = store?.getItem(QUEUE_KEY);
    if (!raw) return [];
    const v = JSON.parse(raw);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (b) => b && typeof b.session === "string" && typeof b.seq === "number" && typeof b.body === "string",
    );
  } catch {
    return [];
  }
}

/** gzip via CompressionStream, or null where the browser lacks it. */
export function gzipper(): ((s: string) => Promise<Uint8Array>) | null {
  if (typeof CompressionStream === "undefined" || typeof Response === "undefined" || typeof Blob === "undefined") {
    return null;
  }
  return async (s: string) => {
    const stream = new Blob([s]).stream().pipeThrough(new CompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}
