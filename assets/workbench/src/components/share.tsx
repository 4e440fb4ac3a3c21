// "Share…": writes the session, or a stretch of it, as one HTML file that
// plays offline (`loupe share`). In the browser it downloads; the window
// saves it into the Downloads folder and says where.
import { useState } from 'preact/hooks';
import { Shares } from '../api';
import type { ShareRequest } from '../api';
import { inWindow } from '../bridge';
import { bytes, clock } from '../format';
import { ErrorNotice } from './notice';

/** Parses "1:45", "0:30.5" or "90" into ms; NaN when malformed. */
export function parseClock(s: string): number {
  const parts = s.trim().split(':');
  if (!s.trim() || parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return NaN;
  return Math.round(parts.reduce((acc, p) => acc * 60 + Number(p), 0) * 1000);
}

/** Downloads (or, in the window, saves) a one-file replay; resolves to what the user is told. */
export function shareFile(req: ShareRequest): Promise<string> {
  if (inWindow()) return Shares.saveToDownloads(req).then((f) => `Saved ${bytes(f.bytes)} to ${f.path}`);
  return Shares.build(req).then((f) => {
    const url = URL.createObjectURL(new Blob([f.html ?? ''], { type: 'text/html' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return `Downloaded ${f.name} (${bytes(f.bytes)})`;
  });
}

export function ShareButton({ id, now, total }: { id: string; now: number; total: number }) {
  const [open, setOpen] = useState(false);
  const [stretch, setStretch] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [traits, setTraits] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);

  const toggle = () => {
    if (!open) { setFrom(clock(now)); setTo(clock(Math.min(total, now + 60_000))); setDone(''); setError(null); }
    setOpen(!open);
  };
  const run = () => {
    const req: ShareRequest = { session: id, traits };
    if (stretch) {
      const f = parseClock(from), t = parseClock(to);
      if (isNaN(f) || isNaN(t) || t <= f) { setError(new Error('Give the stretch as m:ss, ending after it starts.')); return; }
      req.from_ms = f;
      req.to_ms = t;
    }
    setBusy(true); setDone(''); setError(null);
    shareFile(req).then(setDone, setError).finally(() => setBusy(false));
  };
  return (
    <div class="share-action">
      <button class="btn" onClick={toggle} aria-expanded={open} data-share title="One HTML file that plays this replay anywhere, offline">Share…</button>
      {open && (
        <div class="share-pop" role="dialog" aria-label="Share a replay" data-share-dialog>
          <label class="check"><input type="radio" name="share-what" checked={!stretch} onChange={() => setStretch(false)} /> The whole session</label>
          <label class="check"><input type="radio" name="share-what" checked={stretch} onChange={() => setStretch(true)} data-share-stretch /> A stretch from
            <input class="input input-clock" value={from} onInput={(e) => { setFrom((e.target as HTMLInputElement).value); setStretch(true); }} aria-label="From" data-share-from /> to
            <input class="input input-clock" value={to} onInput={(e) => { setTo((e.target as HTMLInputElement).value); setStretch(true); }} aria-label="To" data-share-to />
          </label>
          <label class="check"><input type="checkbox" checked={traits} onChange={(e) => setTraits((e.target as HTMLInputElement).checked)} /> Include the user id and traits</label>
          <p class="muted small">The file holds this replay, its page assets, markers, console, network and notes — nothing else of the workspace.</p>
          <button class="btn btn-primary" onClick={run} disabled={busy} data-share-download>{busy ? 'Building…' : 'Download file'}</button>
          {done && <div class="muted small" data-share-done>{done}</div>}
          {error ? <ErrorNotice error={error} /> : null}
        </div>
      )}
    </div>
  );
}
