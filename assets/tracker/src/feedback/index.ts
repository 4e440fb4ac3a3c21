// The feedback prompt wired to the page: rules from the script tag, timers
// on the page's clock, the widget (fetched on demand, load.ts) in the
// page's document.

import type { Config } from "../config";
import type { KV } from "../ids";
import { safe } from "../safe";
import { widgetLoader } from "./load";
import { Prompter, type Response } from "./prompter";
import { parseRules } from "./rules";

export { normalizeRule, type RuleInput } from "./rules";
export type { Prompter, Response } from "./prompter";

/** Starts the prompter with the rules of the data-feedback attribute. */
export function watchFeedback(win: Window, store: KV | null, cfg: Config, answer: (r: Response) => void): Prompter {
  const widget = widgetLoader(win, cfg.feedbackScript, cfg.nonce);
  const p = new Prompter({
    path: () => win.location.pathname,
    store,
    setTimeout: (fn, ms) => win.setTimeout(safe(fn), ms),
    clearTimeout: (t) => win.clearTimeout(t as number),
    now: () => Date.now(),
    // A widget that cannot load or build counts as dismissed, so the next
    // prompt is not blocked.
    show: (rule, done) => {
      widget()
        .then((show) => show(win, rule, done))
        .catch(() => done(null));
    },
    prepare: () => {
      widget().catch(() => {});
    },
    answer,
  });
  for (const r of parseRules(cfg.feedback)) p.add(r);
  return p;
}
