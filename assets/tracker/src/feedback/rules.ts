// When the feedback prompt may appear: rules from the script tag's
// `data-feedback` attribute or from loupe.feedback(...), checked against
// the page path, with "once per visitor" remembered in localStorage.

import type { KV } from "../ids";

/** The two prompt kinds: CSAT scores 1–5, NPS scores 0–10. */
export type Kind = "csat" | "nps";

/** A rule as a site writes it; everything but kind is optional. */
export interface RuleInput {
  kind?: unknown;
  question?: unknown;
  /** Path glob: `*` any run of characters, `?` one (default `*`). */
  page?: unknown;
  /** Milliseconds on the page before the prompt shows (default 0). */
  delay?: unknown;
  /** Show at most once to a visitor (default true). */
  oncePerVisitor?: unknown;
  /** Name under which "already shown" is remembered (default kind + page). */
  id?: unknown;
}

/** A validated rule. */
export interface Rule {
  kind: Kind;
  question: string;
  page: string;
  delay: number;
  once: boolean;
  key: string;
}

/** The score range and wording of each kind. */
export const SCALES: Record<Kind, { min: number; max: number; question: string; low: string; high: string }> = {
  csat: { min: 1, max: 5, question: "How satisfied are you with your visit?", low: "Very unsatisfied", high: "Very satisfied" },
  nps: {
    min: 0,
    max: 10,
    question: "How likely are you to recommend us to a friend or colleague?",
    low: "Not at all likely",
    high: "Extremely likely",
  },
};

/** Longest comment kept; the rest is cut off before it is sent. */
export const MAX_COMMENT = 500;

const MAX_QUESTION = 200;
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;
const SEEN_KEY = "loupe_fb";

/** Validates a rule; returns null for anything unusable. */
export function normalizeRule(v: RuleInput | null | undefined): Rule | null {
  if (!v || typeof v !== "object") return null;
  const kind = String(v.kind || "").toLowerCase();
  if (kind !== "csat" && kind !== "nps") return null;
  const page = typeof v.page === "string" && v.page ? v.page : "*";
  const question = typeof v.question === "string" && v.question.trim() ? v.question.trim().slice(0, MAX_QUESTION) : SCALES[kind].question;
  const d = Number(v.delay);
  const delay = Number.isFinite(d) ? Math.min(MAX_DELAY_MS, Math.max(0, Math.round(d))) : 0;
  const key = typeof v.id === "string" && v.id ? v.id.slice(0, 100) : kind + ":" + page;
  return { kind, question, page, delay, once: v.oncePerVisitor !== false, key };
}

/** Reads rules from a data-feedback attribute: one JSON rule or an array. */
export function parseRules(attr: string | null): Rule[] {
  if (!attr) return [];
  let v: unknown;
  try {
    v = JSON.parse(attr);
  } catch {
    return [];
  }
  const list = Array.isArray(v) ? v : [v];
  return list.map((r) => normalizeRule(r as RuleInput)).filter((r): r is Rule => r !== null);
}

/**
 * Matches a path against a glob where `*` is any run of characters and
 * `?` one character, the way Loupe's segments match pages.
 */
export function globMatch(glob: string, path: string): boolean {
  let re = "^";
  for (const c of glob) {
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else re += c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(re + "$").test(path);
}

/** Remembers which once-per-visitor prompts this visitor has been shown. */
export class Seen {
  private mem: Record<string, number> = {};

  constructor(private store: KV | null) {}

  private read(): Record<string, number> {
    try {
      const v = JSON.parse((this.store && this.store.getItem(SEEN_KEY)) || "{}");
      if (v && typeof v === "object" && !Array.isArray(v)) return { ...v, ...this.mem };
    } catch {
      // unreadable or corrupt: what this page remembers still counts
    }
    return { ...this.mem };
  }

  /** Reports whether the prompt with this key was already shown. */
  has(key: string): boolean {
    return key in this.read();
  }

  /** Records that the prompt with this key was shown at `now`. */
  add(key: string, now: number): void {
    this.mem[key] = now;
    const all = this.read();
    try {
      this.store && this.store.setItem(SEEN_KEY, JSON.stringify(all));
    } catch {
      // quota or privacy mode: remembered for this page only
    }
  }
}
