// Builds the player's timeline: one ordered list of moments (pageviews,
// clicks, errors, custom events, console lines, notes) from the session's
// facts and its event stream, so the side list, the markers and keyboard
// navigation share one source.
import type { Facts, Note } from '../api';

export type MomentKind = 'page' | 'click' | 'rage' | 'dead' | 'errclick' | 'error' | 'event' | 'note' | 'bookmark';

export interface Moment { at: number; kind: MomentKind; label: string; detail?: string }

export interface ConsoleLine { at: number; level: string; text: string }

export function moments(facts: Facts | null, notes: Note[]): Moment[] {
  const out: Moment[] = [];
  for (const p of facts?.pageviews ?? []) out.push({ at: p.offset_ms, kind: 'page', label: p.path || p.url, detail: p.title });
  for (const c of facts?.clicks ?? []) {
    const kind: MomentKind = c.rage ? 'rage' : c.error ? 'errclick' : c.dead ? 'dead' : 'click';
    out.push({ at: c.offset_ms, kind, label: c.text ? `“${c.text.slice(0, 60)}”` : c.selector || c.tag, detail: c.selector });
  }
  for (const e of facts?.errors ?? []) out.push({ at: e.offset_ms, kind: 'error', label: e.message, detail: e.source });
  for (const e of facts?.custom_events ?? []) out.push({ at: e.offset_ms, kind: 'event', label: e.name, detail: e.props ? JSON.stringify(e.props) : undefined });
  for (const n of notes) out.push({ at: n.offset_ms, kind: n.bookmark ? 'bookmark' : 'note', label: n.text || 'Bookmark' });
  return out.sort((a, b) => a.at - b.at);
}

/** Console lines recorded by rrweb's console plugin (rrweb/console@1). */
export function consoleLines(events: any[]): ConsoleLine[] {
  if (!events.length) return [];
  const start = events[0].timestamp;
  const out: ConsoleLine[] = [];
  for (const e of events) {
    if (e.type === 6 && e.data?.plugin === 'rrweb/console@1') {
      const p = e.data.payload ?? {};
      const parts: unknown[] = Array.isArray(p.payload) ? p.payload : [p.payload];
      out.push({ at: e.timestamp - start, level: String(p.level ?? 'log'), text: parts.map(unquote).join(' ') });
    } else if (e.type === 5 && e.data?.tag === 'loupe/error') {
      const p = e.data.payload ?? {};
      out.push({ at: e.timestamp - start, level: 'error', text: String(p.message ?? 'error') });
    }
  }
  return out;
}

function unquote(v: unknown): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  try {
    const parsed = JSON.parse(v);
    return typeof parsed === 'string' ? parsed : v;
  } catch {
    return v;
  }
}

export const kindLabel: Record<MomentKind, string> = {
  page: 'Page', click: 'Click', rage: 'Rage click', dead: 'Dead click', errclick: 'Error click',
  error: 'Error', event: 'Event', note: 'Note', bookmark: 'Bookmark',
};
