// Feedback: the responses to the in-page CSAT / NPS prompt, summarised
// (count, average CSAT, NPS, score distribution) and listed with a link to
// the moment each was given in its session's replay.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Feedback, FeedbackFilter, FeedbackPage, FeedbackSummary, ScoreCount } from '../api';
import { Chart, ChartOption, palette } from '../components/chart';
import { Empty, ErrorNotice } from '../components/notice';
import { clock, count, dateTime } from '../format';
import { sessionLink } from '../router';

type Kind = '' | 'csat' | 'nps';

const scoreCaps: Record<Kind, number[]> = { '': [], csat: [1, 2, 3, 4], nps: [0, 2, 4, 6, 8] };

export function FeedbackView() {
  const [kind, setKind] = useState<Kind>('');
  const [maxScore, setMaxScore] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [summary, setSummary] = useState<FeedbackSummary | null>(null);
  const [page, setPage] = useState<FeedbackPage | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const filter: FeedbackFilter = { kind, max_score: maxScore, text: text.trim() };
    let live = true;
    setError(null);
    Promise.all([Feedback.summary(filter), Feedback.list({ ...filter, limit: 500 })]).then(([s, p]) => {
      if (!live) return;
      setSummary(s);
      setPage(p);
    }, (e) => live && setError(e));
    return () => { live = false; };
  }, [kind, maxScore, text]);

  const pickKind = (k: Kind) => {
    setKind(k);
    setMaxScore(null);
  };
  const lowSegment = kind === 'nps' ? 'nps <= 6' : 'csat <= 2';

  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>Feedback</h1>
          <p class="sub">Answers to the in-page CSAT (1–5) and NPS (0–10) prompt, each linked to the moment it was given.</p>
        </div>
        <a class="btn" href={`#/sessions?segment=${encodeURIComponent(lowSegment)}`} data-low-segment>Sessions with {lowSegment}</a>
      </header>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="filters" data-feedback-filters>
        <select class="input" value={kind} aria-label="Kind" onChange={(e) => pickKind((e.target as HTMLSelectElement).value as Kind)} data-filter-kind>
          <option value="">CSAT and NPS</option>
          <option value="csat">CSAT</option>
          <option value="nps">NPS</option>
        </select>
        <select class="input" value={maxScore === null ? '' : String(maxScore)} aria-label="Score" disabled={!kind}
          onChange={(e) => { const v = (e.target as HTMLSelectElement).value; setMaxScore(v === '' ? null : Number(v)); }} data-filter-score>
          <option value="">Any score</option>
          {scoreCaps[kind].map((n) => <option key={n} value={String(n)}>Score ≤ {n}</option>)}
        </select>
        <input class="input" type="search" placeholder="Search comments" value={text} data-search
          onInput={(e) => setText((e.target as HTMLInputElement).value)} data-filter-text />
      </div>
      {summary && <Summary s={summary} kind={kind} />}
      <div class="panel">
        <div class="panel-title">Responses{page ? ` (${count(page.total)})` : ''}</div>
        {page === null ? <div class="muted small">Loading…</div> : (page.responses ?? []).length === 0 ? (
          <Empty title="No feedback">No response matches. Responses arrive with sessions recorded with the feedback prompt on.</Empty>
        ) : (
          <ul class="history" data-responses>
            {(page.responses ?? []).map((r) => (
              <li key={`${r.session}/${r.offset_ms}/${r.kind}`} data-response={r.session}>
                <span class={'badge ' + (low(r.kind, r.score) ? 'badge-error' : 'badge-ok')} data-score={r.score}>
                  {r.kind.toUpperCase()} {r.score}/{r.kind === 'nps' ? 10 : 5}
                </span>
                <span>
                  <span data-comment>{r.comment || <span class="muted">(no comment)</span>}</span>
                  <span class="muted small"> · {r.path} · {dateTime(new Date(r.started_at + r.offset_ms).toISOString())}</span>
                </span>
                <a href={sessionLink(r.session, r.offset_ms)} data-moment={r.offset_ms}>▶ at {clock(r.offset_ms)}</a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** Low scores: CSAT 1-2, NPS detractors (0-6). */
function low(kind: string, score: number): boolean {
  return kind === 'nps' ? score <= 6 : score <= 2;
}

function Summary({ s, kind }: { s: FeedbackSummary; kind: Kind }) {
  const option = useMemo(() => distributionChart(s.distribution ?? [], kind), [s, kind]);
  return (
    <div class="cards" data-feedback-summary>
      <div class="card"><div class="card-title">Responses</div><div class="card-value" data-summary="count">{count(s.count)}</div>
        <div class="muted small">from {count(s.sessions)} sessions</div></div>
      <div class="card"><div class="card-title">Average CSAT</div>
        <div class="card-value" data-summary="csat">{s.csat_count ? s.csat_average.toFixed(2) : '–'}</div>
        <div class="muted small">{count(s.csat_count)} answers, 1–5</div></div>
      <div class="card"><div class="card-title">NPS</div>
        <div class="card-value" data-summary="nps">{s.nps_count ? Math.round(s.nps) : '–'}</div>
        <div class="muted small">{s.promoters} promoters · {s.passives} passives · {s.detractors} detractors</div></div>
      {s.count > 0 && <div class="card card-wide"><div class="card-title">Score distribution</div><Chart option={option} height={160} /></div>}
    </div>
  );
}

function distributionChart(dist: ScoreCount[], kind: Kind): ChartOption {
  const c = palette();
  const kinds: ('csat' | 'nps')[] = kind ? [kind] : ['csat', 'nps'];
  const labels: string[] = [];
  const values: number[] = [];
  for (const k of kinds) {
    const rows = dist.filter((d) => d.kind === k);
    if (!rows.length) continue;
    const [lo, hi] = k === 'nps' ? [0, 10] : [1, 5];
    for (let n = lo; n <= hi; n++) {
      labels.push(`${k.toUpperCase()} ${n}`);
      values.push(rows.find((d) => d.score === n)?.count ?? 0);
    }
  }
  return {
    grid: { left: 36, right: 12, top: 10, bottom: 28 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels, axisLabel: { color: c.muted, fontSize: 10 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: c.muted }, splitLine: { lineStyle: { color: c.border } } },
    series: [{ type: 'bar', data: values, itemStyle: { color: c.accent } }],
  };
}
