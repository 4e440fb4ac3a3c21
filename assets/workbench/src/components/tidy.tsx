// Keeping the workspace tidy, from Settings: the retention rule,
// re-deriving sessions after the definitions changed, moving saved work to
// another workspace and saving a copy of the workspace.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErasureReport, ImportReport, RecentWorkspace, RederiveStatus, Tidy, Workspaces } from '../api';
import { ErrorNotice } from './notice';

/** Re-derives every session with the definitions shown above it. */
export function RederivePanel() {
  const [st, setSt] = useState<RederiveStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number | undefined>(undefined);
  const poll = () => {
    Tidy.rederiveStatus().then((s) => {
      setSt(s);
      if (s.running) timer.current = window.setTimeout(poll, 200);
    }, setError);
  };
  useEffect(() => { poll(); return () => window.clearTimeout(timer.current); }, []);
  const start = () => { setError(null); Tidy.startRederive().then((s) => { setSt(s); poll(); }, setError); };
  const cancel = () => { Tidy.cancelRederive().catch(setError); };
  const p = st?.progress;
  return (
    <section class="panel" data-rederive>
      <div class="panel-title">Apply definitions to existing sessions</div>
      <p class="muted small">Derives every session again from its stored replay with the definitions above, so every count agrees with them.</p>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="row-actions">
        {st?.running
          ? <button class="btn" type="button" onClick={cancel} data-rederive-cancel>Cancel</button>
          : <button class="btn btn-primary" type="button" onClick={start} data-rederive-start>Re-derive all sessions</button>}
        <span class="muted small" data-rederive-status>
          {st?.running ? `Re-deriving… ${p?.done ?? 0} of ${p?.total ?? '?'}`
            : st?.finished ? `Re-derived ${(p?.done ?? 0) - (p?.unreadable ?? 0)} sessions` +
              (p?.unreadable ? `; ${p.unreadable} kept their facts (replay unreadable)` : '')
            : st?.canceled ? `Cancelled after ${p?.done ?? 0} of ${p?.total ?? 0}; run it again to finish`
            : st?.error ? st.error.message : ''}
        </span>
      </div>
    </section>
  );
}

/** How many days of sessions the workspace keeps. */
export function RetentionPanel() {
  const [days, setDays] = useState<number | null>(null);
  const [done, setDone] = useState<ErasureReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { Tidy.retention().then(setDays, setError); }, []);
  const save = (e: Event) => {
    e.preventDefault();
    if (days === null) return;
    if (days > 0 && !window.confirm(`Delete every session older than ${days} days now and after every sync?`)) return;
    setError(null);
    Tidy.setRetention(days).then(setDone, setError);
  };
  return (
    <section class="panel" data-retention>
      <div class="panel-title">Retention</div>
      <p class="muted small">Sessions older than this are deleted after every sync, and the file is compacted. 0 keeps everything.</p>
      {error ? <ErrorNotice error={error} /> : null}
      <form class="row-actions" onSubmit={save}>
        <label class="def-input">Keep
          <input class="input" type="number" min="0" value={days === null ? '' : String(days)} data-retention-days
            onInput={(e) => setDays(Number((e.target as HTMLInputElement).value))} /> days
        </label>
        <button class="btn" type="submit" data-retention-save>Save</button>
        {done && <span class="muted small" data-retention-result>Saved; {done.sessions?.length ?? 0} sessions deleted now.</span>}
      </form>
    </section>
  );
}

/** Saved work to and from a file, and a copy of the whole workspace. */
export function SharePanel() {
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<ImportReport | null>(null);
  const [copyTo, setCopyTo] = useState('');
  const [copied, setCopied] = useState('');
  const download = () => {
    setError(null);
    Tidy.exportSaved().then((text) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = 'loupe-saved.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }, setError);
  };
  const upload = (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(null);
    file.text().then((text) => Tidy.importSaved(text)).then(setImported, setError);
  };
  const copy = (e: Event) => {
    e.preventDefault();
    setError(null);
    Tidy.copyWorkspace(copyTo).then(setCopied, setError);
  };
  return (
    <section class="panel" data-share>
      <div class="panel-title">Share the work</div>
      <p class="muted small">Saved segments, funnels, tag rules, the dashboard, notes and bookmarks in one file another workspace can import.</p>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="row-actions">
        <button class="btn" type="button" onClick={download} data-saved-export>Export saved work</button>
        <label class="btn">Import saved work…<input type="file" accept=".json,application/json" hidden onChange={upload} data-saved-import /></label>
      </div>
      {imported && (
        <p class="small" data-saved-result>
          Imported {imported.added} items, {imported.present} already here.
          {(imported.renamed ?? []).map((r) => <span key={r}> Kept both: {r}.</span>)}
          {imported.notes_skipped ? ` ${imported.notes_skipped} notes skipped: their sessions are not here.` : ''}
        </p>
      )}
      <form class="row-actions" onSubmit={copy}>
        <input class="input" placeholder="/path/to/copy.db" value={copyTo} data-copy-path
          onInput={(e) => setCopyTo((e.target as HTMLInputElement).value)} />
        <button class="btn" type="submit" data-copy-save>Save a copy of this workspace</button>
        {copied && <span class="muted small" data-copy-result>Copied to {copied}</span>}
      </form>
    </section>
  );
}

/** Deletes one session after a confirm, then calls done. */
export function DeleteSessionButton({ id, done, small }: { id: string; done: () => void; small?: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const run = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    if (!window.confirm(`Delete session ${id}? Its replay, facts and notes are removed from this workspace.`)) return;
    Tidy.delete({ session: id }).then(done, setError);
  };
  return (
    <>
      <button class={small ? 'btn btn-ghost btn-small' : 'btn'} type="button" onClick={run} data-delete-session={id} title="Delete this session from the workspace" aria-label={`Delete session ${id}`}>
        {small ? <TrashIcon /> : 'Delete'}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </>
  );
}

/** A bin, drawn like the navigation icons (no emoji font is assumed). */
function TrashIcon() {
  return (
    <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />
    </svg>
  );
}

/** Erases everything about a visitor after a confirm, then calls done. */
export function EraseVisitorButton({ visitor, done }: { visitor: string; done: (r: ErasureReport) => void }) {
  const [error, setError] = useState<unknown>(null);
  const run = () => {
    Tidy.delete({ visitor, dry_run: true }).then((dry) => {
      const n = dry.sessions?.length ?? 0;
      if (!window.confirm(`Erase visitor ${visitor}? ${n} session${n === 1 ? '' : 's'}, their notes and traits are deleted from this workspace. ` +
        'Run `loupe erase --from STORE --visitor ' + visitor + '` to remove their archives from the collector\'s store too.')) return;
      return Tidy.delete({ visitor }).then(done);
    }).catch(setError);
  };
  return (
    <div class="row-actions">
      <button class="btn" type="button" onClick={run} data-erase-visitor>Erase visitor…</button>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

/**
 * The workspace switcher: recent workspaces and any other file, each opened
 * in a new window (browser mode: a new tab on its own server), leaving this
 * one as it is.
 */
export function WorkspacesPanel() {
  const [recent, setRecent] = useState<RecentWorkspace[]>([]);
  const [path, setPath] = useState('');
  const [opened, setOpened] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { Workspaces.recent().then((l) => setRecent(l ?? []), setError); }, []);
  const openOne = (p: string) => {
    setError(null);
    // The tab is opened before the call so a popup blocker sees the click.
    const tab = window.open('about:blank', '_blank');
    Workspaces.open(p).then((o) => {
      if (o.url && tab) tab.location.href = o.url; else tab?.close();
      setOpened(o.url ? `Opened ${o.path} in a new tab` : `Opened ${o.path} in a new window`);
      Workspaces.recent().then((l) => setRecent(l ?? []), setError);
    }, (e) => { tab?.close(); setError(e); });
  };
  return (
    <section class="panel" data-workspaces>
      <div class="panel-title">Workspaces</div>
      <p class="muted small">Another workspace opens beside this one, in a new window.</p>
      {error ? <ErrorNotice error={error} /> : null}
      <ul class="saved" data-recent-workspaces>
        {recent.map((r) => (
          <li key={r.path} data-recent={r.path}>
            <code class="small ellipsis" title={r.path}>{r.path}</code>
            {r.current ? <span class="muted small">open here</span>
              : <button class="btn btn-small" type="button" disabled={r.missing} onClick={() => openOne(r.path)}>{r.missing ? 'missing' : 'Open'}</button>}
          </li>
        ))}
      </ul>
      <form class="row-actions" onSubmit={(e) => { e.preventDefault(); openOne(path); }}>
        <input class="input" placeholder="/path/to/other.db" value={path} data-open-path
          onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
        <button class="btn" type="submit" disabled={!path.trim()} data-open-workspace>Open workspace</button>
      </form>
      {opened && <div class="muted small" data-opened>{opened}</div>}
    </section>
  );
}
