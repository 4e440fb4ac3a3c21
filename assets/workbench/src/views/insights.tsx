// Insights: drafted findings with their evidence (figures, a small chart,
// sessions at the moment that shows it), editable and dismissable.
import { useEffect, useState } from 'preact/hooks';
import { DraftView as Draft, Insights } from '../api';
import { Chart, ChartOption } from '../components/chart';
import { Empty, ErrorNotice } from '../components/notice';
import { clock } from '../format';
import { sessionLink } from '../router';
import { ReportButton } from '../components/report';

export function InsightsView() {
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [scanning, setScanning] = useState(false);

  useEffect(() => { Insights.drafts(false).then((d) => setDrafts(d ?? []), setError); }, []);
  const scan = () => {
    setScanning(true);
    setError(null);
    Insights.scan({}).then((r) => setDrafts(r.drafts ?? []), setError).finally(() => setScanning(false));
  };

  return (
    <div class="view">
      <header class="view-head">
        <div><h1>Insights</h1><p class="sub">Findings drafted from the sessions, strongest first. Edit the words; the evidence stays.</p></div>
        <div class="form-row">
          <ReportButton />
          <button class="btn btn-primary" onClick={scan} disabled={scanning} data-scan>{scanning ? 'Scanning…' : 'Scan the workspace'}</button>
        </div>
      </header>
      {error ? <ErrorNotice error={error} /> : null}
      {drafts && drafts.length === 0 && <Empty title="No insights yet">Scan the workspace to draft findings.</Empty>}
      <div class="insights" data-insights>
        {(drafts ?? []).map((d) => <DraftCard key={d.id} draft={d} onDismiss={() => Insights.dismiss(d.id, true).then(() => setDrafts((drafts ?? []).filter((x) => x.id !== d.id)), setError)} onError={setError} />)}
      </div>
    </div>
  );
}

function DraftCard({ draft, onDismiss, onError }: { draft: Draft; onDismiss: () => void; onError: (e: unknown) => void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(draft.title);
  const [body, setBody] = useState(draft.body);
  const f = draft.finding;
  const save = () => Insights.edit(draft.id, title, body).then(() => setEditing(false), onError);
  return (
    <article class="card insight" data-insight={f.kind}>
      <div class="insight-head">
        <span class={'chip ' + (f.significant ? 'chip-sig' : '')}>{f.significant ? 'significant' : 'descriptive'} · {f.kind.replace(/_/g, ' ')}</span>
        <span class="card-actions-inline">
          <button class="btn btn-ghost btn-small" onClick={() => setEditing(!editing)}>{editing ? 'Cancel' : 'Edit'}</button>
          <button class="btn btn-ghost btn-small" onClick={onDismiss}>Dismiss</button>
        </span>
      </div>
      {editing ? (
        <>
          <input class="input" value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
          <textarea class="input" rows={4} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
          <button class="btn btn-primary" onClick={save}>Save</button>
        </>
      ) : (
        <>
          <h2>{title}</h2>
          <p class="insight-body">{body}</p>
        </>
      )}
      {(f.evidence.figures ?? []).length > 0 && (
        <div class="figures">{(f.evidence.figures ?? []).map((x) => <div key={x.label}><strong>{fmt(x.value, x.unit)}</strong><span class="muted small">{x.label}</span></div>)}</div>
      )}
      {draft.option ? <Chart option={draft.option as ChartOption} height={160} /> : null}
      <div class="insight-links">
        {(f.evidence.samples ?? []).map((m) => <a key={m.session + m.offset_ms} class="chip-btn" href={sessionLink(m.session, m.offset_ms)} title={m.note}>▶ {m.session.slice(0, 10)} at {clock(m.offset_ms)}</a>)}
        {f.segment && <a class="chip-btn" href={`#/sessions?segment=${encodeURIComponent(f.segment)}`}>Sessions in this group →</a>}
        {f.evidence.page && <a class="chip-btn" href={`#/heatmaps?page=${encodeURIComponent(f.evidence.page)}`}>Heatmap of {f.evidence.page} →</a>}
      </div>
    </article>
  );
}

function fmt(v: number, unit?: string) {
  if (unit === '%') return `${v.toFixed(1)}%`;
  if (unit === 'ms') return `${(v / 1000).toFixed(1)}s`;
  if (unit === 'x') return `${v.toFixed(1)}×`;
  if (unit === 'pp') return `${v.toFixed(1)} pp`;
  return `${Math.round(v * 10) / 10}${unit && unit !== 'sessions' ? ' ' + unit : ''}`;
}
