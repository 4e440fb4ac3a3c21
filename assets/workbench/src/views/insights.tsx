// Insights: drafted findings with their evidence (figures, a small chart,
// sessions at the moment that shows it), editable and dismissable.
import { useEffect, useState } from 'preact/hooks';
import { DraftView as Draft, FunnelQuery, Funnels, InsightReport, Insights, SavedSegment, Segments } from '../api';
import { Period, PeriodPicker, describePeriod, periodTimes } from '../components/period';
import { navigate, withParams } from '../router';
import { Chart, ChartOption } from '../components/chart';
import { Empty, ErrorNotice } from '../components/notice';
import { clock } from '../format';
import { sessionLink } from '../router';
import { ReportButton } from '../components/report';

// The scan looks at what the analyst is looking at: the segment and period
// in the address, and a funnel to explain (steps in the address, a saved
// funnel, or the one the data suggests).
export function InsightsView({ segment = '', period = { from: '', to: '' }, steps = [] }: { segment?: string; period?: Period; steps?: string[] }) {
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [report, setReport] = useState<InsightReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [scanning, setScanning] = useState(false);
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  const [funnels, setFunnels] = useState<FunnelQuery[]>([]);
  const [funnel, setFunnel] = useState('');

  useEffect(() => {
    Insights.drafts(false).then((d) => setDrafts(d ?? []), setError);
    Segments.saved().then((l) => setSegments(l ?? []), () => {});
    Funnels.saved().then((l) => setFunnels(l ?? []), () => {});
  }, []);
  const saved = funnels.find((f) => f.name === funnel);
  const explain = saved?.steps ?? steps;
  const scan = () => {
    setScanning(true);
    setError(null);
    // A saved funnel brings its own segment and period when the view has none.
    const times = period.from || period.to ? periodTimes(period) : { from: saved?.from, to: saved?.to };
    Insights.scan({ segment: segment || saved?.segment || '', ...times, funnel: explain.length >= 2 ? explain : [] })
      .then((r) => { setReport(r.report); setDrafts(r.drafts ?? []); }, setError).finally(() => setScanning(false));
  };

  return (
    <div class="view">
      <header class="view-head">
        <div><h1>Insights</h1><p class="sub">Findings drafted from the sessions, strongest first. Edit the words; the evidence stays.</p></div>
        <div class="form-row">
          <PeriodPicker value={period} />
          <select class="input" value={segment} aria-label="Segment" data-insights-segment onChange={(e) => navigate(withParams({ segment: (e.target as HTMLSelectElement).value }))}>
            <option value="">All sessions</option>
            {segments.map((s) => <option key={s.name} value={s.text}>{s.name}</option>)}
            {segment && !segments.some((s) => s.text === segment) && <option value={segment}>Segment: {segment}</option>}
          </select>
          <select class="input" value={funnel} aria-label="Funnel to explain" data-explain-funnel onChange={(e) => setFunnel((e.target as HTMLSelectElement).value)}>
            <option value="">{steps.length >= 2 ? `Funnel: ${steps.join(' → ')}` : 'Funnel: inferred from the data'}</option>
            {funnels.map((f) => <option key={f.name} value={f.name}>Explain “{f.name}”</option>)}
          </select>
          <ReportButton />
          <button class="btn btn-primary" onClick={scan} disabled={scanning} data-scan>{scanning ? 'Scanning…' : 'Scan'}</button>
        </div>
      </header>
      <p class="muted small" data-insights-scope>Scans {segment ? <>the segment <code>{segment}</code></> : 'every session'}, {describePeriod(period)}{period.from && period.to ? ', against the period of the same length before' : ''}.</p>
      {error ? <ErrorNotice error={error} /> : null}
      {report && (
        <div class="notice" data-insights-report data-sessions={report.sessions}>
          <span>{report.sessions} sessions scanned{report.previous ? `, ${report.previous} in the period before` : ''}{(report.funnel ?? []).length ? `; funnel ${(report.funnel ?? []).join(' → ')}` : ''}.</span>
          {report.note && <span data-insights-note> {report.note}</span>}
        </div>
      )}
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
