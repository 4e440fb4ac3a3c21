// Loupe's own facts travel inside the rrweb stream (core/rrweb/loupe.go).

/** An rrweb event as the tracker buffers it. */
export interface RREvent {
  type: number;
  data: unknown;
  timestamp: number;
}

/** Appends an event to the session's ordered stream. */
export type Emit = (ev: RREvent) => void;

/** rrweb EventType values the tracker produces itself. */
export const META = 4;
export const CUSTOM = 5;
export const PLUGIN = 6;

/** A Custom event with one of the loupe/* tags. */
export function custom(tag: string, payload: unknown, now = Date.now()): RREvent {
  return { type: CUSTOM, data: { tag, payload }, timestamp: now };
}
