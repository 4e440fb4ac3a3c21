// Sync: pull sessions from a collector, an S3 bucket or a folder with a
// progress bar and plain-word errors; the sources read so far; archives
// set aside; and drag-and-drop import of *.loupe files and rrweb exports.
import { useEffect, useRef, useState } from 'preact/hooks';
import { FileResult, SiteQuota, SourcesView, Sync, SyncStatus } from '../api';
import { ErrorNotice } from '../components/notice';
import { bytes, count, dateTime } from '../format';
import { pokeAlerts } from '../components/alertwatch';

export function SyncView() {
  const [addr, setAddr] = useState('');
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [sources, setSources] = useState<SourcesView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number>(0);

  const refresh = () => Sync.sources().then(setSources, setError);
  const poll = () => {
    Sync.status().then((s) => {
      setStatus(s);
      if (s.running) timer.current = window.setTimeout(poll, 400);
      else { refresh(); if (s.report?.alerts?.length) pokeAlerts(); }
    }, setError);
  };
  useEffect(() => {
    refresh();
    poll();
    return () => clearTimeout(timer.current);
  }, []);

  const start = () => {
    setError(null);
    Sync.start(addr, token).then((s) => { setStatus(s); poll(); }, setError);
  };
  const p = status?.progress;
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : status?.running ? 0 : 100;

  return (
    <div class="view">
      <header class="view-head"><div><h1>Sync</h1><p class="sub">Bring sealed sessions into this workspace. Everything stays on this machine afterwards.</p></div></header>
      <div class="grid-2">
        <div class="stack">
          <form class="panel" onSubmit={(e) => { e.preventDefault(); start(); }}>
            <div class="panel-title">Sync from a source</div>
            <div class="form-row">
              <label class="field grow">Source
                <input class="input" value={addr} placeholder="http://127.0.0.1:8787  ·  s3://bucket/prefix?endpoint=http://host:9000  ·  /path/to/folder"
                  onInput={(e) => setAddr((e.target as HTMLInputElement).value)} data-sync-addr />
              </label>
              <label class="field">Analyst token
                <input class="input" type="password" value={token} placeholder="collectors only" onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
              </label>
            </div>
            <button class="btn btn-primary" type="submit" disabled={!addr.trim() || !!status?.running} data-sync-start>{status?.running ? 'Syncing…' : 'Sync now'}</button>
            {error ? <ErrorNotice error={error} /> : null}
          </form>
          {status && (status.running || status.report || status.error) && (
            <div class="panel" data-sync-status>
              <div class="panel-title">{status.running ? 'Syncing' : 'Last sync'} · {status.source}</div>
              <div class="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}><div style={{ width: `${pct}%` }} /></div>
              <div class="muted small">
                {p ? `${count(p.done)} of ${count(p.total)} archives · ${count(p.imported)} imported · ${count(p.skipped)} already here · ${count(p.quarantined)} set aside` : ''}
                {p?.current ? ` · ${p.current}` : ''}
              </div>
              <AssetLine status={status} />
              {status.error && <ErrorNotice error={status.error} />}
              {status.report?.alerts?.length ? (
                <div class="small" data-sync-alerts>
                  {status.report.alerts.length} alert{status.report.alerts.length > 1 ? 's' : ''} fired: {status.report.alerts.map((a) => a.message).join(' ')} <a href="#/alerts">See alerts →</a>
                </div>
              ) : null}
              {status.report?.problems?.length ? (
                <ul class="problems">{status.report.problems.map((x) => <li key={x.key}><code>{x.key}</code>: {x.reason}</li>)}</ul>
              ) : null}
            </div>
          )}
          <DropZone onDone={() => { refresh(); pokeAlerts(); }} />
        </div>
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Sources</div>
            {sources?.assets?.count ? <div class="muted small" data-workspace-assets>{count(sources.assets.count)} page assets kept in this workspace ({bytes(sources.assets.bytes)})</div> : null}
            {!sources?.sources?.length ? <div class="muted small">Nothing synced yet.</div> : (
              <table class="simple-table">
                <thead><tr><th>Source</th><th>Last read</th></tr></thead>
                <tbody>{sources.sources.map((s) => (
                  <tr key={s.addr} class="clickable" onClick={() => setAddr(s.addr)}><td class="ellipsis mono" style={{ maxWidth: '180px' }} title={s.addr}>{s.addr}</td><td>{dateTime(s.updated_at)}</td></tr>
                ))}</tbody>
              </table>
            )}
            {sources?.quotas?.length ? <ul class="problems" data-site-quotas>{sources.quotas.map((q) => <QuotaLine key={q.source + q.site} q={q} />)}</ul> : null}
          </div>
          <div class="panel">
            <div class="panel-title">History</div>
            {!sources?.history?.length ? <div class="muted small">No sync yet.</div> : (
              <table class="simple-table" data-sync-history>
                <thead><tr><th>When</th><th>Source</th><th class="num">New</th><th class="num" title="Page assets fetched (bytes) · already here">Assets</th><th class="num">Issues</th></tr></thead>
                <tbody>{sources.history.map((h, i) => (
                  <tr key={i} title={h.error ?? ''}>
                    <td>{dateTime(h.finished)}</td>
                    <td class="ellipsis mono" style={{ maxWidth: '140px' }} title={h.source}>{h.source}</td>
                    <td class="num">{count(h.imported)}</td>
                    <td class="num" data-history-assets title={`${count(h.assets_fetched ?? 0)} fetched, ${count(h.assets_present ?? 0)} already here (deduplicated), ${count(h.assets_missing ?? 0)} missing`}>
                      {h.assets_fetched || h.assets_present ? `${bytes(h.asset_bytes ?? 0)} · ${count(h.assets_present ?? 0)} dedup` : ''}
                    </td>
                    <td class="num">{h.error ? <span class="badge badge-error">failed</span> : h.problems || ''}</td>
                  </tr>
                ))}</tbody>
              </table>
            )}
          </div>
          <div class="panel">
            <div class="panel-title">Set aside</div>
            {!sources?.quarantined?.length ? <div class="muted small">No archive had to be set aside.</div> : (
              <ul class="problems">{sources.quarantined.map((q) => <li key={q.source + q.key}><code>{q.key}</code>: {q.reason}</li>)}</ul>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

function DropZone({ onDone }: { onDone: () => void }) {
  const [over, setOver] = useState(false);
  const [results, setResults] = useState<FileResult[]>([]);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  const importAll = async (files: File[]) => {
    setError(null);
    const out: FileResult[] = [];
    for (const f of files) {
      setBusy(f.name);
      try {
        const base64 = await toBase64(f);
        out.push(...((await Sync.importFiles([{ name: f.name, base64 }])) ?? []));
      } catch (e) {
        setError(e);
      }
      setResults([...out]);
    }
    setBusy('');
    onDone();
  };

  return (
    <div class={'panel drop' + (over ? ' over' : '')} data-drop
      onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)}
      onDrop={(e) => { e.preventDefault(); setOver(false); importAll([...(e.dataTransfer?.files ?? [])]); }}>
      <div class="panel-title">Import files</div>
      <p class="muted">Drop <code>*.loupe</code> archives or rrweb exports (<code>*.json</code>) here, or
        {' '}<button class="link" onClick={() => input.current?.click()}>choose files</button>.</p>
      <input ref={input} type="file" multiple accept=".loupe,.json" hidden data-drop-input
        onChange={(e) => importAll([...((e.target as HTMLInputElement).files ?? [])])} />
      {busy && <div class="muted small">Importing {busy}…</div>}
      {error ? <ErrorNotice error={error} /> : null}
      {results.length > 0 && (
        <table class="simple-table" data-import-results>
          <tbody>{results.map((r, i) => (
            <tr key={i}>
              <td class="ellipsis mono" style={{ maxWidth: '200px' }}>{r.path}</td>
              <td><span class={'badge ' + (r.status === 'failed' ? 'badge-error' : 'badge-ok')}>{r.status}</span></td>
              <td>{r.session ? <a href={`#/sessions/${encodeURIComponent(r.session)}`}>{r.events} events →</a> : <span class="muted small">{r.error}</span>}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function toBase64(f: File): Promise<string> {
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => fail(r.error);
    r.readAsDataURL(f);
  });
}

/** Page assets of the running or last sync: fetched (bytes), deduplicated, missing. */
function AssetLine({ status }: { status: SyncStatus }) {
  const r = status.report?.assets;
  const p = status.progress;
  const fetched = r ? r.assets_fetched + r.assets_carried : p?.assets_fetched ?? 0;
  const size = r ? r.asset_bytes : p?.asset_bytes ?? 0;
  const present = r ? r.assets_present : p?.assets_present ?? 0;
  const missing = r?.assets_missing ?? 0;
  if (!fetched && !present && !missing) return null;
  return (
    <div class="muted small" data-sync-assets>
      Page assets: {count(fetched)} fetched ({bytes(size)}) · {count(present)} already here (deduplicated)
      {missing ? ` · ${count(missing)} missing at the source` : ''}
    </div>
  );
}

/** One site's monthly session quota as its collector reported it at the last sync. */
function QuotaLine({ q }: { q: SiteQuota }) {
  const when = q.month === new Date().toISOString().slice(0, 7) ? 'this month' : `in ${q.month}`;
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const badge = q.limited ? <span class="badge badge-error">limit reached: new visits not recorded</span>
    : q.warned ? <span class="badge badge-warn">near the limit</span> : null;
  return (
    <li title={q.source}>
      Site {q.site}: {q.limit ? `${count(q.sessions)} of ${count(q.limit)} sessions ${when} (warning at ${pct(q.warn_at)})` : `${count(q.sessions)} sessions ${when} (no limit)`}
      {q.sample_rate < 1 ? `, ${pct(q.sample_rate)} of visitors sampled` : ''} {badge}
    </li>
  );
}
