// The clicked element's box, sent as Custom `loupe/rect` just before
// rrweb's own Click event: rrweb listens on the document in the capture
// phase, and a capture listener on window runs before it.

import { custom, type Emit } from "./events";
import { attempt } from "./safe";

/** Looks up rrweb's node id for a DOM node (-1 when not recorded). */
export type MirrorId = (n: Node) => number;

/** Listens for clicks on window, capture phase. */
export function watchClicks(win: Window, emit: Emit, idOf: MirrorId): void {
  win.addEventListener(
    "click",
    (ev: MouseEvent) =>
      attempt(() => {
        const t = ev.target;
        if (!t || !(t as Element).getBoundingClientRect) return;
        const el = t as Element;
        // rrweb records no click inside a blocked element (the feedback
        // prompt included), so a box sent for it would match nothing.
        if (el.closest && el.closest(".rr-block,.loupe-no-capture")) return;
        const r = el.getBoundingClientRect();
        const id = idOf(el);
        if (id < 0) return;
        emit(
          custom("loupe/rect", {
            id,
            x: Math.round(r.left + win.scrollX),
            y: Math.round(r.top + win.scrollY),
            w: Math.round(r.width),
            h: Math.round(r.height),
          }),
        );
      }),
    { capture: true, passive: true },
  );
}
