// Funnels: steps picked from the workspace's real pages, elements and
// events; a chart with per-step conversion and time; the sessions that
// dropped off after any step, one click from the player; a breakdown;
// saved funnels.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { FunnelQuery as ApiFunnelQuery, FunnelResult as ApiFunnelResult, Funnels, SavedSegment, Segments, Session, StepResult, StepSuggestion } from '../api';
import { Chart, ChartOption } from '../components/chart';
import { Empty, ErrorNotice } from '../components/notice';
import { dateTime, duration } from '../format';
import { navigate, sessionLink } from '../router';
import { Period, PeriodPicker, periodTimes } from '../components/period';
import { CompareWithConverter } from './comparelinks';

// The funnel and its answer as the view holds them: steps always a list.
type FunnelQuery = ApiFunnelQuery & { steps: string[] };
type FunnelResult = ApiFunnelResult & { steps: StepResult[] };
const withSteps = (q: ApiFunnelQuery): FunnelQuery => ({ ...q, steps: q.steps ?? [] });

const breakdowns = ['', 'device', 'browser', 'os', 'country', 'site', 'entry'];
const windows: [number, string][] = [[5 * 60_000, '5 minutes'], [30 * 60_000, '30 minutes'], [2 * 3600_000, '2 hours'], [24 * 3600_000, '24 hours']];

// initialQuery reads a funnel from the address (#/funnels?step=…&step=…
// &segment=…), which is how a sentence routed to a funnel arrives.
function initialQuery(params?: URLSearchParams): FunnelQuery {
  return { steps: params?.getAll('step').filter(Boolean) ?? [], mode: 'sequential', window_ms: 30 * 60_000, breakdown: '', segment: params?.get('segment') ?? '' };
}

// explainLink opens Insights on this funnel, in the same segment and period.
function explainLink(q: FunnelQuery, period: Period): string {
  const p = new URLSearchParams();
  for (const st of q.steps) p.append('step', st);
  if (q.segment) p.set('segment', q.segment);
  if (period.from) p.set('from', period.from);
  if (period.to) p.set('to', period.to);
  return `#/insights?${p}`;
}

export function FunnelsView({ params, period = { from: '', to: '' } }: { params?: URLSearchParams; period?: Period }) {
  const [q, setQ] = useState<FunnelQuery>(() => initialQuery(params));
  // The funnel as it runs: the view's period, when one is picked, over
  // the funnel's own.
  const runQ = useMemo<FunnelQuery>(() => ({ ...q, ...periodTimes(period) }), [q, period.from, period.to]);
  // A step whose drop-offs the address asks to list once the funnel ran.
  const pendingDrop = useRef<number | null>(params?.get('drop') ? Number(params.get('drop')) : null);
  const [suggest, setSuggest] = useState<StepSuggestion[]>([]);
  const [saved, setSaved] = useState<FunnelQuery[]>([]);
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  const [result, setResult] = useState<FunnelResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [name, setName] = useState('');
  const [dropStep, setDropStep] = useState<number | null>(null);
  const [dropped, setDropped] = useState<Session[] | null>(null);

  useEffect(() => {
    Funnels.suggestions().then((l) => setSuggest(l ?? []), setError);
    Funnels.saved().then((l) => setSaved((l ?? []).map(withSteps)), setError);
    Segments.saved().then((l) => setSegments(l ?? []), () => {});
  }, []);

  useEffect(() => {
    setDropStep(null);
    setDropped(null);
    if (runQ.steps.length === 0) { setResult(null); return; }
    setError(null);
    Funnels.run(runQ).then((answer) => {
      const r = { ...answer, steps: answer.steps ?? [] };
      setResult(r);
      const d = pendingDrop.current;
      pendingDrop.current = null;
      if (d !== null && d >= 0 && d < r.steps.length) setDropStep(d);
    }, (e) => { setResult(null); setError(e); });
  }, [runQ]);

  useEffect(() => {
    if (dropStep === null) return;
    setDropped(null);
    Funnels.droppedSessions(runQ, dropStep).then((l) => setDropped(l ?? []), setError);
  }, [dropStep]);

  const addStep = (s: string) => {
    const t = s.trim();
    if (t) setQ({ ...q, steps: [...q.steps, t] });
    setDraft('');
  };
  const moveStep = (i: number, by: number) => {
    const steps = [...q.steps];
    const j = i + by;
    if (j < 0 || j >= steps.length) return;
    [steps[i], steps[j]] = [steps[j], steps[i]];
    setQ({ ...q, steps });
  };

  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>{q.name || 'Funnel'}</h1>
          <p class="sub">Ordered steps within one session; other events may happen between them.</p>
        </div>
        <div class="form-row">
          <PeriodPicker value={period} />
          {q.steps.length >= 2 && <a class="btn btn-ghost" href={explainLink(q, period)} data-explain-funnel>Explain this funnel →</a>}
          <select class="input" value="" aria-label="Open a saved funnel" data-open-funnel
            onChange={(e) => { const f = saved.find((x) => x.name === (e.target as HTMLSelectElement).value); if (f) { setQ(f); setName(f.name ?? ''); } }}>
            <option value="">Saved funnels…</option>
            {saved.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
          </select>
          <input class="input" placeholder="Funnel name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-label="Funnel name" data-funnel-name />
          <button class="btn" disabled={!q.steps.length || !name.trim()} data-save-funnel
            onClick={() => Funnels.save({ ...q, name }).then((l) => { setSaved((l ?? []).map(withSteps)); setQ({ ...q, name: name.trim() }); }, setError)}>Save</button>
          {q.name && <button class="btn btn-ghost" onClick={() => Funnels.delete(q.name!).then((l) => { setSaved((l ?? []).map(withSteps)); setQ({ ...q, name: '' }); setName(''); }, setError)}>Delete</button>}
        </div>
      </header>
      <div class="grid-2 funnel-layout">
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Steps</div>
            <ol class="steps" data-steps>
              {q.steps.map((s, i) => (
                <li key={i} class="step">
                  <span class="step-n">{i + 1}</span>
                  <code class="ellipsis">{s}</code>
                  <button class="btn btn-ghost btn-small" onClick={() => moveStep(i, -1)} aria-label="Move up">↑</button>
                  <button class="btn btn-ghost btn-small" onClick={() => moveStep(i, 1)} aria-label="Move down">↓</button>
                  <button class="btn btn-ghost btn-small" onClick={() => setQ({ ...q, steps: q.steps.filter((_, j) => j !== i) })} aria-label="Remove step">✕</button>
                </li>
              ))}
            </ol>
            <form class="form-row" onSubmit={(e) => { e.preventDefault(); addStep(draft); }}>
              <input class="input grow" list="step-suggestions" placeholder="page:/checkout*  click:button.buy  event:signup" value={draft}
                onInput={(e) => setDraft((e.target as HTMLInputElement).value)} data-step-input />
              <datalist id="step-suggestions">
                {suggest.map((s) => <option key={s.step} value={s.step}>{`${s.sessions} sessions`}</option>)}
              </datalist>
              <button class="btn btn-primary" type="submit" disabled={!draft.trim()} data-add-step>Add step</button>
            </form>
            {suggest.length > 0 && (
              <div class="suggest">
                <span class="muted small">From this workspace:</span>
                {suggest.filter((s) => !q.steps.includes(s.step)).slice(0, 12).map((s) => (
                  <button key={s.step} class={'chip-btn kind-' + s.kind} onClick={() => addStep(s.step)} title={`${s.sessions} sessions`} data-suggest={s.step}>
                    {s.kind}: {s.label}
                  </button>
                ))}
              </div>
            )}
          </div>
          {error ? <ErrorNotice error={error} /> : null}
          {result ? <FunnelChart result={result} onPick={setDropStep} /> : q.steps.length === 0 ? <Empty title="Add a first step">Pick a page, an element or an event from the suggestions.</Empty> : null}
          {result?.breakdown && result.breakdown.length > 0 && <Breakdown result={result} by={q.breakdown!} />}
        </div>
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Options</div>
            <label class="field">Order
              <select class="input" value={q.mode} onChange={(e) => setQ({ ...q, mode: (e.target as HTMLSelectElement).value })}>
                <option value="sequential">In order, other events allowed</option>
                <option value="strict">In order, nothing between</option>
                <option value="any">Any order</option>
              </select>
            </label>
            <label class="field">Conversion window
              <select class="input" value={String(q.window_ms)} onChange={(e) => setQ({ ...q, window_ms: Number((e.target as HTMLSelectElement).value) })}>
                {windows.map(([v, l]) => <option key={v} value={String(v)}>{l}</option>)}
              </select>
            </label>
            <label class="field">Break down by
              <select class="input" value={q.breakdown} onChange={(e) => setQ({ ...q, breakdown: (e.target as HTMLSelectElement).value })}>
                {breakdowns.map((b) => <option key={b} value={b}>{b || 'Nothing'}</option>)}
              </select>
            </label>
            <label class="field">Sessions
              <select class="input" value={q.segment} onChange={(e) => setQ({ ...q, segment: (e.target as HTMLSelectElement).value })}>
                <option value="">All sessions</option>
                {q.segment && !segments.some((s) => s.text === q.segment) && <option value={q.segment}>{q.segment}</option>}
                {segments.map((s) => <option key={s.name} value={s.text}>{s.name}</option>)}
              </select>
            </label>
          </div>
          {result && (
            <div class="panel" data-dropped-panel>
              <div class="panel-title">Dropped off</div>
              {dropStep === null ? <div class="muted small">Click a step's bar or its “dropped” count to list the sessions that stopped there.</div> : (
                <>
                  <div class="small">After step {dropStep + 1}: <code>{q.steps[dropStep]}</code></div>
                  {dropped === null ? <div class="muted small">Loading…</div> : dropped.length === 0 ? <div class="muted small">Nobody dropped off here.</div> : (
                    <ul class="dropped" data-dropped>
                      {dropped.map((s) => (
                        <li key={s.id}>
                          <a href={sessionLink(s.id)} onClick={(e) => { e.preventDefault(); navigate(sessionLink(s.id)); }} data-session={s.id}>
                            <span class="mono ellipsis">{s.user_id || s.id}</span>
                            <span class="muted small">{dateTime(s.started_at)} · {duration(s.duration_ms)}</span>
                          </a>
                          <CompareWithConverter query={q} step={dropStep} dropped={s.id} />
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              )}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function FunnelChart({ result, onPick }: { result: FunnelResult; onPick: (step: number) => void }) {
  const onClick = useMemo(() => (x: any) => onPick(x.dataIndex), [onPick]);
  return (
    <div class="panel" data-funnel-result data-started={String(result.steps[0]?.count ?? 0)}>
      <div class="funnel-summary">
        <div><div class="card-value" data-conversion>{(result.conversion * 100).toFixed(1)}%</div><div class="muted small">converted ({result.converted} of {result.steps[0]?.count ?? 0} who started)</div></div>
        <div><div class="card-value">{result.sessions}</div><div class="muted small">sessions in scope</div></div>
      </div>
      {result.option ? <Chart option={result.option as ChartOption} height={260} onClick={onClick} /> : null}
      <table class="simple-table">
        <thead><tr><th>Step</th><th class="num">Reached</th><th class="num">From previous</th><th class="num">Median time</th><th class="num">p90</th><th class="num">Dropped</th></tr></thead>
        <tbody>
          {result.steps.map((s, i) => (
            <tr key={i}>
              <td><code>{i + 1}. {s.step}</code></td>
              <td class="num">{s.count}</td>
              <td class="num">{i === 0 ? '–' : `${(s.conversion_from_previous * 100).toFixed(0)}%`}</td>
              <td class="num">{i === 0 ? '–' : duration(s.median_ms_from_previous)}</td>
              <td class="num">{i === 0 ? '–' : duration(s.p90_ms_from_previous)}</td>
              <td class="num">{s.dropped_off > 0 ? <button class="link" onClick={() => onPick(i)} data-drop-step={i}>{s.dropped_off}</button> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Breakdown({ result, by }: { result: FunnelResult; by: string }) {
  return (
    <div class="panel">
      <div class="panel-title">By {by}</div>
      <table class="simple-table">
        <thead><tr><th>{by}</th><th class="num">Sessions</th>{result.steps.map((_, i) => <th key={i} class="num">Step {i + 1}</th>)}<th class="num">Conversion</th></tr></thead>
        <tbody>
          {(result.breakdown ?? []).map((g) => (
            <tr key={g.value}><td>{g.value || '(none)'}</td><td class="num">{g.sessions}</td>{(g.counts ?? []).map((c, i) => <td key={i} class="num">{c}</td>)}<td class="num">{(g.conversion * 100).toFixed(1)}%</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
