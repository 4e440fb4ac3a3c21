// SPA navigations. rrweb records a Meta event only with each full snapshot
// (page load), not on history.pushState/replaceState/popstate, so the
// tracker emits one itself: every pageview is then a Meta event with its
// href (docs/definitions.md).

import { META, type Emit } from "./events";
import { attempt } from "./safe";

/** The href without its fragment: a hash-only change is not a new page. */
export function pageKey(href: string): string {
  const i = href.indexOf("#");
  return i < 0 ? href : href.slice(0, i);
}

/** Patches the History API and listens for popstate. */
export function watchNavigation(win: Window, emit: Emit, onNavigate: () => void): void {
  let last = pageKey(win.location.href);
  const check = () =>
    attempt(() => {
      const href = win.location.href;
      if (pageKey(href) === last) return;
      last = pageKey(href);
      emit({
        type: META,
        data: { href, width: win.innerWidth, height: win.innerHeight },
        timestamp: Date.now(),
      });
      onNavigate();
    });
  for (const name of ["pushState", "replaceState"] as const) {
    const orig = win.history[name];
    if (typeof orig !== "function") continue;
    win.history[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
      const r = orig.apply(this, args);
      check();
      return r;
    };
  }
  win.addEventListener("popstate", check);
}
