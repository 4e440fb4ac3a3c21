// The prompt's widget lives in its own script, t-feedback.js, which the
// collector serves beside t.js: most pages never show a prompt, so t.js
// does not carry it. It is fetched once, when a rule first matches the
// page, and registers its showWidget on window under WIDGET_GLOBAL.

import type { Show } from "./prompter";

/** Where t-feedback.js leaves its showWidget for t.js. */
export const WIDGET_GLOBAL = "__loupeFeedback";

type ShowWidget = (win: Window, ...rest: Parameters<Show>) => void;

/**
 * Returns a loader of the widget script at src: the first call adds a
 * script tag (with the tracker's CSP nonce), later calls share its
 * promise; a failed load is tried again by the next call.
 */
export function widgetLoader(win: Window, src: string, nonce: string): () => Promise<ShowWidget> {
  let loading: Promise<ShowWidget> | undefined;
  const w = win as unknown as Record<string, ShowWidget | undefined>;
  return () =>
    (loading ||= new Promise<ShowWidget>((resolve, reject) => {
      const ready = () => typeof w[WIDGET_GLOBAL] === "function";
      if (ready()) return resolve(w[WIDGET_GLOBAL] as ShowWidget);
      const doc = win.document;
      const s = doc.createElement("script");
      s.src = src;
      s.async = true;
      if (nonce) s.nonce = nonce;
      const settle = () => {
        s.remove();
        if (ready()) return resolve(w[WIDGET_GLOBAL] as ShowWidget);
        loading = undefined;
        reject(new Error("feedback widget did not load"));
      };
      s.onload = settle;
      s.onerror = settle;
      (doc.head || doc.documentElement).appendChild(s);
    }));
}
