// Decides when a feedback prompt shows: each rule whose page glob matches
// the current path starts a timer of its delay at the pageview; at most one
// prompt is open at a time; once-per-visitor rules are marked as seen when
// they show. An SPA navigation is a new pageview and restarts the timers.

import type { KV } from "../ids";
import { MAX_COMMENT, SCALES, type Kind, type Rule, Seen, globMatch } from "./rules";

/** A visitor's answer, the payload of Custom `loupe/feedback`. */
export interface Response {
  kind: Kind;
  score: number;
  comment: string;
}

/** Shows a prompt; calls done with the answer, or null when dismissed. */
export type Show = (rule: Rule, done: (r: Response | null) => void) => void;

/** What the prompter needs from the page, injected so tests can drive it. */
export interface PrompterDeps {
  path: () => string;
  store: KV | null;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (t: unknown) => void;
  now: () => number;
  show: Show;
  answer: (r: Response) => void;
  /** Called when a rule matches the page, before its delay: time to fetch the widget. */
  prepare?: () => void;
}

/** Keeps the rules and their timers for the current pageview. */
export class Prompter {
  private rules: Rule[] = [];
  private timers: unknown[] = [];
  private open = false;
  private seen: Seen;

  constructor(private deps: PrompterDeps) {
    this.seen = new Seen(deps.store);
  }

  /** Adds a rule and, if it matches this page, starts its timer. */
  add(rule: Rule): void {
    this.rules.push(rule);
    this.schedule(rule);
  }

  /** A new pageview: timers of the previous page no longer apply. */
  navigated(): void {
    for (const t of this.timers) this.deps.clearTimeout(t);
    this.timers = [];
    for (const r of this.rules) this.schedule(r);
  }

  private schedule(rule: Rule): void {
    if (!this.eligible(rule)) return;
    const path = this.deps.path();
    this.deps.prepare?.();
    this.timers.push(this.deps.setTimeout(() => this.fire(rule, path), rule.delay));
  }

  private eligible(rule: Rule): boolean {
    return globMatch(rule.page, this.deps.path()) && !(rule.once && this.seen.has(rule.key));
  }

  private fire(rule: Rule, path: string): void {
    // Still the page it was scheduled for, nothing open, not seen meanwhile (another tab).
    if (this.open || this.deps.path() !== path || !this.eligible(rule)) return;
    this.open = true;
    if (rule.once) this.seen.add(rule.key, this.deps.now());
    try {
      this.deps.show(rule, (r) => {
        this.open = false;
        if (r) this.deps.answer(cleanResponse(r));
      });
    } catch {
      this.open = false; // a prompt that failed to build must not block the next one
    }
  }
}

/** Caps the comment and keeps the score in its kind's range. */
export function cleanResponse(r: Response): Response {
  const { min, max } = SCALES[r.kind];
  return {
    kind: r.kind,
    score: Math.min(max, Math.max(min, Math.round(r.score))),
    comment: String(r.comment || "").trim().slice(0, MAX_COMMENT),
  };
}
