// The feedback prompt wired to the page: rules from the script tag, timers
// on the page's clock, the widget in the page's document.

import type { KV } from "../ids";
import { safe } from "../safe";
import { Prompter, type Response } from "./prompter";
import { parseRules } from "./rules";
import { showWidget } from "./widget";

export { normalizeRule, type RuleInput } from "./rules";
export type { Prompter, Response } from "./prompter";

/** Starts the prompter with the rules of the data-feedback attribute. */
export function watchFeedback(win: Window, store: KV | null, attr: string | null, answer: (r: Response) => void): Prompter {
  const p = new Prompter({
    path: () => win.location.pathname,
    store,
    setTimeout: (fn, ms) => win.setTimeout(safe(fn), ms),
    clearTimeout: (t) => win.clearTimeout(t as number),
    now: () => Date.now(),
    show: (rule, done) => showWidget(win, rule, done),
    answer,
  });
  for (const r of parseRules(attr)) p.add(r);
  return p;
}
