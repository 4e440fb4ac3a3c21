// Hash addresses (docs/design.md) so a link opens a view or a moment, the
// same in the window and in the browser: #/sessions, #/sessions/{id}?t={ms},
// #/funnels, #/heatmaps?page={path}, #/segments, #/dashboards, #/insights,
// #/feedback, #/alerts, #/sync, #/settings, #/compare?a={id}&b={id}&align=start|{step}
// (or &ta={ms}&tb={ms} for two chosen moments). Funnels take ?step=…&step=…&segment=…&drop=N.
import { useEffect, useState } from 'preact/hooks';

export interface Route { view: string; id?: string; params: URLSearchParams }

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || 'sessions', id: parts[1], params: new URLSearchParams(query) };
}

// WebKitGTK does not fire hashchange for the window's custom wails://
// scheme, so navigation goes through history and a route event of our own;
// hashchange and popstate still cover typed addresses and Back/Forward.
const routeEvent = 'loupe:route';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    for (const ev of ['hashchange', 'popstate', routeEvent]) window.addEventListener(ev, on);
    on(); // catch a navigation that happened before this listener existed
    return () => { for (const ev of ['hashchange', 'popstate', routeEvent]) window.removeEventListener(ev, on); };
  }, []);
  return route;
}

export function navigate(hash: string): void {
  if (location.hash === hash) return;
  history.pushState(null, '', hash);
  window.dispatchEvent(new Event(routeEvent));
}

/** Routes clicks on in-app links (href="#/...") through navigate. */
export function interceptLinks(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a[href^="#/"]');
    if (!a) return;
    e.preventDefault();
    navigate(a.getAttribute('href')!);
  });
}

export function sessionLink(id: string, t?: number): string {
  return `#/sessions/${encodeURIComponent(id)}` + (t !== undefined ? `?t=${Math.max(0, Math.round(t))}` : '');
}

/**
 * withParams is the current view's address with some query parameters
 * set ("" removes one), the rest kept: how a picker writes its choice
 * into the address so it survives a reload.
 */
export function withParams(set: Record<string, string>): string {
  const r = parseHash(location.hash);
  for (const [k, v] of Object.entries(set)) {
    if (v) r.params.set(k, v); else r.params.delete(k);
  }
  const q = r.params.toString();
  return `#/${[r.view, r.id].filter(Boolean).map((p) => encodeURIComponent(p!)).join('/')}` + (q ? `?${q}` : '');
}

/** The parameters that carry the analyst's scope from one view to the next. */
export const scopeParams = ['from', 'to', 'segment'];
