// Hash addresses (DESIGN.md §3.1) so a link opens a view or a moment, the
// same in the window and in the browser: #/sessions, #/sessions/{id}?t={ms},
// #/funnels, #/heatmaps?page={path}, #/segments, #/dashboards, #/insights,
// #/sync, #/settings.
import { useEffect, useState } from 'preact/hooks';

export interface Route { view: string; id?: string; params: URLSearchParams }

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || 'sessions', id: parts[1], params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

export function sessionLink(id: string, t?: number): string {
  return `#/sessions/${encodeURIComponent(id)}` + (t !== undefined ? `?t=${Math.max(0, Math.round(t))}` : '');
}
