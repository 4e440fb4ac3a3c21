// Whether a visit may be recorded: the visitor's own choice, the site's
// consent setting, and the collector's "stop" answers (a site over its
// monthly quota, a visitor outside the sample). Pure logic over storage,
// so tests drive it with fakes.

import type { KV } from "./ids";
import { attempt } from "./safe";

/** localStorage key of the visitor's choice: "in" or "out". */
export const CONSENT_KEY = "loupe_consent";
/** Key of the session id the collector told to stop. */
export const STOP_KEY = "loupe_stop";

/**
 * Reports whether recording may start: an explicit optIn or optOut wins;
 * without one, a tag with data-consent="required" waits for optIn.
 */
export function mayRecord(consentAttr: string | null, choice: string | null): boolean {
  return choice === "in" || (choice !== "out" && consentAttr !== "required");
}

/** Reads key from the first store that has it; storage may throw. */
export function readKey(stores: (KV | null)[], key: string): string | null {
  for (const s of stores) {
    const v = attempt(() => s?.getItem(key));
    if (v) return v;
  }
  return null;
}

/** Writes key to every store that accepts it (full or denied ones are skipped). */
export function writeKey(stores: (KV | null)[], key: string, value: string): void {
  for (const s of stores) attempt(() => s?.setItem(key, value));
}

/**
 * The collector's stop answer in a reply, or null: "quota" (HTTP 429)
 * when the site is over its monthly limit, "sampled" (202) when the
 * visitor is outside the site's sample. Either ends this session's
 * recording, without retry.
 */
export function stopOf(status: number, body: unknown): string | null {
  if (status !== 429 && status !== 202) return null;
  const stop = body && typeof body === "object" ? (body as { stop?: unknown }).stop : null;
  return typeof stop === "string" && stop ? stop : null;
}
