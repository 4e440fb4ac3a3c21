// Document size for scroll depth: rrweb does not record it, so the tracker
// sends Custom `loupe/page` on load, on resize, and when the document grows.

import { custom, type Emit } from "./events";
import { attempt } from "./safe";

/** The loupe/page payload. */
export interface PageSize {
  doc_height: number;
  doc_width: number;
  viewport: { w: number; h: number };
}

/** Reads the document's scrollable size and the viewport. */
export function measure(win: Window): PageSize {
  const d = win.document.documentElement;
  const b = win.document.body;
  return {
    doc_height: Math.max(d.scrollHeight, b ? b.scrollHeight : 0, d.clientHeight),
    doc_width: Math.max(d.scrollWidth, b ? b.scrollWidth : 0, d.clientWidth),
    viewport: { w: win.innerWidth, h: win.innerHeight },
  };
}

/** True when `next` differs enough from `prev` to be worth sending. */
export function changed(prev: PageSize | null, next: PageSize): boolean {
  if (!prev) return true;
  return (
    next.doc_height > prev.doc_height + 50 ||
    next.viewport.w !== prev.viewport.w ||
    next.viewport.h !== prev.viewport.h ||
    Math.abs(next.doc_width - prev.doc_width) > 50
  );
}

/**
 * Watches the page size. Returns `report(force)`, which callers use after a
 * navigation (force) or on a timer; resize events are throttled to 1 s.
 */
export function watchPage(win: Window, emit: Emit): (force?: boolean) => void {
  let last: PageSize | null = null;
  const report = (force = false) =>
    attempt(() => {
      const m = measure(win);
      if (!force && !changed(last, m)) return;
      last = m;
      emit(custom("loupe/page", m));
    });
  let pending = false;
  win.addEventListener("resize", () => {
    if (pending) return;
    pending = true;
    win.setTimeout(() => {
      pending = false;
      report();
    }, 1000);
  });
  // Growth (lazy content, SPA views) is checked on a slow timer: a
  // ResizeObserver on <body> would fire on every layout change.
  win.setInterval(() => report(), 2000);
  return report;
}
