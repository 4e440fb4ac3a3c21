// Counts in an rrweb event stream the facts a script can check directly
// (a cross-check of the recordings, not the analytics themselves).

/** Counts pageviews, clicks, errors, failed requests and loupe events. */
export function summarize(events) {
  const s = { pageviews: 0, clicks: 0, rage_clicks: rageBursts(events), js_errors: 0, failed_requests: 0, custom_events: 0, identifies: 0 };
  const hasLoupeErrors = events.some((e) => e.type === 5 && e.data && e.data.tag === "loupe/error");
  for (const e of events) {
    if (e.type === 4) s.pageviews++;
    if (e.type === 3 && e.data && e.data.source === 2 && e.data.type === 2) s.clicks++;
    if (e.type === 5 && e.data) {
      if (e.data.tag === "loupe/error") s.js_errors++;
      if (e.data.tag === "loupe/event") s.custom_events++;
      if (e.data.tag === "loupe/identify") s.identifies++;
    }
    if (e.type === 6 && e.data) {
      const p = e.data.payload || {};
      // Uncaught errors reach the console plugin too; Loupe streams count loupe/error only.
      if (e.data.plugin === "rrweb/console@1" && p.level === "error" && !hasLoupeErrors && isUncaught(p)) s.js_errors++;
      if (e.data.plugin === "rrweb/network@1") {
        for (const r of p.requests || []) if (r.status === 0 || r.status >= 400) s.failed_requests++;
      }
    }
  }
  return s;
}

function isUncaught(p) {
  // The console plugin reports window errors with the bare message, and
  // rejections as "Uncaught (in promise) ...": both have a one-element trace-less payload shape.
  return Array.isArray(p.payload);
}

/** Rage bursts as docs/definitions.md defines them, over consecutive clicks. */
export function rageBursts(events) {
  const clicks = events
    .filter((e) => e.type === 3 && e.data && e.data.source === 2 && e.data.type === 2)
    .map((e) => ({ t: e.timestamp, x: e.data.x, y: e.data.y }));
  let bursts = 0;
  for (let i = 0; i < clicks.length; ) {
    const first = clicks[i];
    let j = i + 1;
    while (j < clicks.length && clicks[j].t - first.t <= 1000 && Math.hypot(clicks[j].x - first.x, clicks[j].y - first.y) <= 30) j++;
    if (j - i >= 3) {
      bursts++;
      i = j;
    } else i++;
  }
  return bursts;
}
