// Visitor and session identity. The visitor id lives in localStorage for as
// long as the browser keeps it; the session id rolls over after 30 minutes
// without user activity (or 24 h in total, docs/definitions.md) and continues
// across page loads of the same site.

/** Minimal Storage surface, so the logic runs against fakes in tests. */
export interface KV {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Session state as stored. */
export interface SessionState {
  id: string;
  start: number; // ms epoch of the session's first activity
  last: number; // ms epoch of the latest user activity
}

export const IDLE_MS = 30 * 60 * 1000;
export const MAX_SESSION_MS = 24 * 60 * 60 * 1000;

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

/** Reports whether s is a valid session or visitor id for the collector. */
export function validId(s: unknown): s is string {
  return typeof s === "string" && ID_RE.test(s);
}

/** Makes a random id of the form prefix + 22 url-safe characters. */
export function newId(prefix: string, rand: (n: number) => Uint8Array = randomBytes): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  const bytes = rand(22);
  let out = prefix;
  for (let i = 0; i < bytes.length; i++) out += alphabet[bytes[i] & 63];
  return out;
}

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  if (typeof crypto !== "undefined" && crypto.getRandomValues) {
    crypto.getRandomValues(b);
  } else {
    for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
  }
  return b;
}

/** Parses stored session state, returning null for anything malformed. */
export function parseSession(raw: string | null): SessionState | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw);
    if (v && validId(v.id) && typeof v.start === "number" && typeof v.last === "number") {
      return { id: v.id, start: v.start, last: v.last };
    }
  } catch {
    // fall through: a corrupt value starts a new session
  }
  return null;
}

/**
 * Decides which session activity at `now` belongs to: the stored one while
 * it is fresh, else a new one. `rolled` is true when a new session began.
 */
export function resolveSession(
  stored: SessionState | null,
  now: number,
  makeId: () => string,
): { state: SessionState; rolled: boolean } {
  if (
    stored &&
    now - stored.last < IDLE_MS &&
    now - stored.start < MAX_SESSION_MS &&
    now >= stored.start - 60_000 // a clock set far back starts afresh
  ) {
    return { state: { id: stored.id, start: stored.start, last: Math.max(stored.last, now) }, rolled: false };
  }
  return { state: { id: makeId(), start: now, last: now }, rolled: true };
}

/** Reads the freshest session state from the given stores. */
export function loadSession(stores: KV[], key: string): SessionState | null {
  let best: SessionState | null = null;
  for (const s of stores) {
    let v: SessionState | null = null;
    try {
      v = parseSession(s.getItem(key));
    } catch {
      // storage may throw (privacy modes); another store may still work
    }
    if (v && (!best || v.last > best.last)) best = v;
  }
  return best;
}

/** Writes session state to every store that accepts it. */
export function saveSession(stores: KV[], key: string, st: SessionState): void {
  const raw = JSON.stringify(st);
  for (const s of stores) {
    try {
      s.setItem(key, raw);
    } catch {
      // quota or privacy mode: keep going with the others
    }
  }
}

/** Returns the stored visitor id, creating and storing one if needed. */
export function visitorId(store: KV | null, key: string, makeId: () => string): string {
  try {
    const v = store?.getItem(key);
    if (validId(v)) return v;
  } catch {
    // unreadable storage: a fresh id for this page
  }
  const id = makeId();
  try {
    store?.setItem(key, id);
  } catch {
    // not persisted: the next page load gets another id
  }
  return id;
}

/**
 * Takes the next batch sequence number for a session. The counter lives in
 * storage so it continues across page loads; it is incremented before use so
 * two tabs of one session rarely collide.
 */
export function nextSeq(stores: KV[], sessionId: string): number {
  const key = "loupe_seq_" + sessionId;
  let n = 0;
  for (const s of stores) {
    try {
      const v = Number(s.getItem(key));
      if (Number.isInteger(v) && v > n) n = v;
    } catch {
      // ignore unreadable store
    }
  }
  for (const s of stores) {
    try {
      s.setItem(key, String(n + 1));
    } catch {
      // ignore full store
    }
  }
  return n;
}
