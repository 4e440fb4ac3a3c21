// Home: a dashboard of insight cards from a role template. Each card
// compares the chosen period with the one before it; cards can be added,
// removed, reordered and scoped by a saved segment, and the layout is saved
// in the workspace.
import { useEffect, useState } from 'preact/hooks';
import { Card, CardData, Dashboard, Dashboards, FunnelQuery, Funnels, PeriodStats, SavedSegment, Segments, Template } from '../api';
import { Chart, ChartOption } from '../components/chart';
import { Empty, ErrorNotice } from '../components/notice';
import { count, duration } from '../format';
import { ReportButton } from '../components/report';
import { Period, PeriodPicker, describePeriod, previousPeriod } from '../components/period';

// A dashboard as the view holds it: the cards always a list.
const withCards = (d: Dashboard): Dashboard & { cards: Card[] } => ({ ...d, cards: d.cards ?? [] });

const periods: [number, string][] = [[7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days'], [365, 'Last year']];

// A period in the address (the shared picker) overrides the dashboard's own
// "last N days of data"; either way each card compares with the period before.
export function DashboardsView({ period = { from: '', to: '' } }: { period?: Period }) {
  const picked = period.from && period.to ? period : null;
  const [dash, setDashboard] = useState<(Dashboard & { cards: Card[] }) | null>(null);
  const setDash = (d: Dashboard) => setDashboard(withCards(d));
  const [templates, setTemplates] = useState<Template[]>([]);
  const [kinds, setKinds] = useState<Record<string, string>>({});
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  const [funnels, setFunnels] = useState<FunnelQuery[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = () => {
    setError(null);
    Promise.all([Dashboards.get(), Dashboards.templates(), Dashboards.cardKinds(), Segments.saved(), Funnels.saved()]).then(([d, t, k, s, f]) => {
      setDash(d); setTemplates(t ?? []); setKinds(k ?? {}); setSegments(s ?? []); setFunnels(f ?? []);
    }, setError);
  };
  useEffect(load, []);

  const save = (d: Dashboard) => {
    setDash(d);
    Dashboards.save(d).then(setDash, setError);
  };
  const move = (i: number, by: number) => {
    if (!dash) return;
    const cards = [...dash.cards];
    const j = i + by;
    if (j < 0 || j >= cards.length) return;
    [cards[i], cards[j]] = [cards[j], cards[i]];
    save({ ...dash, cards });
  };

  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>{dash ? `${dash.template} dashboard` : 'Dashboard'}</h1>
          <p class="sub">{templates.find((t) => t.name === dash?.template)?.about ?? 'Insight cards over the synced sessions'}</p>
        </div>
        {dash && (
          <div class="form-row">
            <select class="input" value={dash.template} aria-label="Role template" data-template
              onChange={(e) => Dashboards.useTemplate((e.target as HTMLSelectElement).value).then(setDash, setError)}>
              {templates.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
              {!templates.some((t) => t.name === dash.template) && <option value={dash.template}>{dash.template}</option>}
            </select>
            <PeriodPicker value={period} />
            {!picked && <select class="input" value={String(dash.days)} aria-label="Days of data" onChange={(e) => save({ ...dash, days: Number((e.target as HTMLSelectElement).value) })}>
              {periods.map(([d, l]) => <option key={d} value={String(d)}>{l} of data</option>)}
            </select>}
            <select class="input" value="" aria-label="Add a card" data-add-card
              onChange={(e) => {
                const kind = (e.target as HTMLSelectElement).value;
                if (kind) save({ ...dash, template: 'Custom', cards: [...dash.cards, { kind, title: kinds[kind] }] });
              }}>
              <option value="">+ Add card</option>
              {Object.entries(kinds).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
            </select>
            <ReportButton title={`${dash.template} dashboard`} />
          </div>
        )}
      </header>
      {picked && <p class="muted small" data-dashboard-period>{describePeriod(picked)}, compared with {describePeriod(previousPeriod(picked)!)}.</p>}
      {error ? <ErrorNotice error={error} onRetry={load} /> : null}
      {dash && dash.cards.length === 0 && <Empty title="No cards">Add a card or pick a role template.</Empty>}
      {dash && (
        <div class="cards" data-cards>
          {dash.cards.map((c, i) => (
            <CardView key={`${i}-${c.kind}-${c.segment ?? ''}-${c.funnel ?? ''}`} card={c} days={dash.days} period={picked} segments={segments} funnels={funnels}
              onMove={(by) => move(i, by)}
              onFunnel={(funnel) => save({ ...dash, cards: dash.cards.map((x, j) => (j === i ? { ...x, funnel } : x)) })}
              onRemove={() => save({ ...dash, template: 'Custom', cards: dash.cards.filter((_, j) => j !== i) })}
              onScope={(segment) => save({ ...dash, cards: dash.cards.map((x, j) => (j === i ? { ...x, segment } : x)) })} />
          ))}
        </div>
      )}
    </div>
  );
}

const metricCards: Record<string, { get: (p: PeriodStats) => number; fmt: (v: number) => string; higherIsBetter: boolean }> = {
  sessions: { get: (p) => p.sessions, fmt: count, higherIsBetter: true },
  visitors: { get: (p) => p.visitors, fmt: count, higherIsBetter: true },
  avg_duration: { get: (p) => p.avg_duration_ms, fmt: duration, higherIsBetter: true },
  bounce_rate: { get: (p) => p.bounce_rate, fmt: pct, higherIsBetter: false },
  error_rate: { get: (p) => p.error_rate, fmt: pct, higherIsBetter: false },
  rage_rate: { get: (p) => p.rage_click_rate, fmt: pct, higherIsBetter: false },
};

function pct(v: number) { return `${(v * 100).toFixed(1)}%`; }

function CardView({ card, days, period, segments, funnels, onMove, onRemove, onScope, onFunnel }: {
  card: Card; days: number; period: Period | null; segments: SavedSegment[]; funnels: FunnelQuery[];
  onMove: (by: number) => void; onRemove: () => void; onScope: (segment: string) => void; onFunnel: (name: string) => void;
}) {
  const [data, setData] = useState<CardData | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setData(null);
    setError(null);
    let current = true;
    (period ? Dashboards.cardDataIn(card, period.from, period.to) : Dashboards.cardData(card, days))
      .then((d) => { if (current) setData(d); }, (e) => { if (current) setError(e); });
    return () => { current = false; };
  }, [card.kind, card.segment, card.funnel, days, period?.from, period?.to]);
  const wide = card.kind === 'sessions_chart' || card.kind.startsWith('top_');
  return (
    <div class={'card' + (wide ? ' card-wide' : '')} data-card={card.kind}>
      <div class="card-title">
        <span class="card-name">{card.title}{card.segment ? <span class="chip" title={card.segment}> {segments.find((s) => s.text === card.segment)?.name ?? 'segment'}</span> : null}</span>
        <span class="card-actions">
          {card.kind === 'funnel_conversion' && funnels.length > 0 && (
            <select class="input input-tiny" value={card.funnel ?? ''} onChange={(e) => onFunnel((e.target as HTMLSelectElement).value)} aria-label="Funnel" title="Which saved funnel" data-card-funnel>
              <option value="">First saved funnel</option>
              {funnels.filter((f) => f.name).map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
            </select>
          )}
          <select class="input input-tiny" value={card.segment ?? ''} onChange={(e) => onScope((e.target as HTMLSelectElement).value)} aria-label="Scope to a segment" title="Scope to a saved segment">
            <option value="">All sessions</option>
            {segments.map((s) => <option key={s.name} value={s.text}>{s.name}</option>)}
          </select>
          <button class="btn btn-ghost btn-small" onClick={() => onMove(-1)} aria-label="Move left" title="Move left">←</button>
          <button class="btn btn-ghost btn-small" onClick={() => onMove(1)} aria-label="Move right" title="Move right">→</button>
          <button class="btn btn-ghost btn-small" onClick={onRemove} aria-label="Remove card" title="Remove card">✕</button>
        </span>
      </div>
      {error ? <ErrorNotice error={error} /> : !data ? <div class="muted">Loading…</div> : data.empty ? <div class="muted">No sessions yet. Sync or import recordings first.</div> : <CardBody kind={card.kind} data={data} />}
    </div>
  );
}

function Compared({ cur, prev, fmt, higherIsBetter }: { cur: number; prev: number; fmt: (v: number) => string; higherIsBetter: boolean }) {
  const change = prev === 0 ? (cur === 0 ? 0 : null) : (cur - prev) / prev;
  const good = change === null ? true : higherIsBetter ? change >= 0 : change <= 0;
  return (
    <>
      <div class="card-value" data-value>{fmt(cur)}</div>
      <div class="muted small">
        {change === null ? <span class="delta up">new</span> : Math.abs(change) < 0.005 ? <span class="delta flat">no change</span> : <span class={'delta ' + (good ? 'up' : 'down')}>{change >= 0 ? '▲' : '▼'} {Math.abs(change * 100).toFixed(0)}%</span>}
        {' '}vs previous period ({fmt(prev)})
      </div>
    </>
  );
}

function CardBody({ kind, data }: { kind: string; data: CardData }) {
  const m = metricCards[kind];
  if (m) return <Compared cur={m.get(data.current)} prev={m.get(data.previous)} fmt={m.fmt} higherIsBetter={m.higherIsBetter} />;
  if (kind === 'funnel_conversion') return <FunnelBody data={data} />;
  if (kind === 'sessions_chart') {
    if (!data.option || !(data.days ?? []).length) return <div class="muted">No sessions in this period.</div>;
    return <Chart option={data.option as ChartOption} height={200} />;
  }
  const rows = data.ranked ?? [];
  if (!rows.length) return <div class="muted">Nothing in this period.</div>;
  const max = Math.max(...rows.map((r) => r.count));
  return (
    <table class="simple-table ranked">
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <td class="ellipsis mono" title={r.name} style={{ maxWidth: '0', width: '60%' }}>
              {kind === 'top_pages' ? <a href={`#/heatmaps?page=${encodeURIComponent(r.name)}`}>{r.name}</a> : r.name}
            </td>
            <td style={{ width: '30%' }}><div class="bar" style={{ width: `${(r.count / max) * 100}%` }} /></td>
            <td class="num">{count(r.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FunnelBody({ data }: { data: CardData }) {
  const f = data.funnel;
  if (!f) return <div class="muted">No saved funnel yet. Build one under <a href="#/funnels">Funnels</a> and save it.</div>;
  const link = `#/funnels?${(f.steps ?? []).map((s) => `step=${encodeURIComponent(s)}`).join('&')}`;
  return (
    <div data-funnel-card={f.name}>
      <Compared cur={f.current.conversion} prev={f.previous.conversion} fmt={pct} higherIsBetter />
      <div class="muted small"><a href={link}>{f.name}</a>: {count(f.current.converted)} of {count(f.current.started)} who started</div>
    </div>
  );
}
