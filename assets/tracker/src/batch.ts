// The ingest batch (docs/collector-api.md): events are
// serialised once when they are buffered, so the buffer knows its size in
// bytes and a batch body is a cheap join, not a second JSON.stringify.

/** One buffered event: its rrweb type and its JSON text. */
export interface Item {
  type: number;
  json: string;
}

/** A batch ready to send; body is the JSON text. */
export interface Batch {
  session: string;
  seq: number;
  body: string;
}

/** The fields every batch of a page carries. */
export interface Envelope {
  site: string;
  visitor: string;
  tracker: string;
}

/** Buffered bytes that trigger an immediate send. */
export const FLUSH_BYTES = 256 * 1024;

/** rrweb event types a replay cannot do without. */
const SNAPSHOT_TYPES = new Set([2, 4]); // FullSnapshot, Meta

/** The ordered buffer of serialised events waiting for the next batch. */
export class EventBuffer {
  private items: Item[] = [];
  private size = 0;

  /** Adds an event; returns the buffered size in bytes afterwards. */
  push(ev: { type: number }): number {
    const json = JSON.stringify(ev);
    this.items.push({ type: ev.type, json });
    this.size += utf8Length(json) + 1;
    return this.size;
  }

  /** Bytes currently buffered (JSON text, approximate UTF-8 length). */
  bytes(): number {
    return this.size;
  }

  /** Number of events buffered. */
  length(): number {
    return this.items.length;
  }

  /** Removes and returns everything buffered. */
  take(): Item[] {
    const out = this.items;
    this.items = [];
    this.size = 0;
    return out;
  }
}

/** Builds the batch JSON text from already-serialised events. */
export function encodeBatch(env: Envelope, session: string, seq: number, sentAt: number, items: Item[]): string {
  return (
    '{"site":' + JSON.stringify(env.site) +
    ',"session":' + JSON.stringify(session) +
    ',"visitor":' + JSON.stringify(env.visitor) +
    ',"seq":' + seq +
    ',"sent_at":' + Math.round(sentAt) +
    ',"tracker":' + JSON.stringify(env.tracker) +
    ',"events":[' + items.map((i) => i.json).join(",") + "]}"
  );
}

/**
 * Shrinks items so the encoded batch fits in `limit` bytes, dropping the
 * oldest events that a replay can do without (everything but FullSnapshot
 * and Meta) and appending a Custom `loupe/dropped` event with their count.
 * Returns null when even the snapshot events alone do not fit.
 */
export function fitItems(items: Item[], overhead: number, limit: number, now: number): Item[] | null {
  const total = (list: Item[]) => list.reduce((n, i) => n + utf8Length(i.json) + 1, overhead);
  if (total(items) <= limit) return items;
  const note = (n: number): Item => ({
    type: 5,
    json: JSON.stringify({ type: 5, data: { tag: "loupe/dropped", payload: { count: n } }, timestamp: now }),
  });
  let size = total(items) + utf8Length(note(items.length).json) + 1;
  const keep = items.slice();
  let dropped = 0;
  for (let i = 0; i < keep.length && size > limit; ) {
    if (SNAPSHOT_TYPES.has(keep[i].type)) {
      i++;
      continue;
    }
    size -= utf8Length(keep[i].json) + 1;
    keep.splice(i, 1);
    dropped++;
  }
  if (size > limit) return null;
  keep.push(note(dropped));
  return keep;
}

/** UTF-8 byte length of s without allocating an encoded copy. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
