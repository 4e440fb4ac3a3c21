// The sessions list: filters, sort, and a virtualised table that fetches
// rows in blocks as they scroll into view, so 100k sessions stay fast.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Ask, AskReading, Facets, SavedSegment, Segments, Session, SessionQuery, Sessions } from '../api';
import { markUnknown } from '../components/ask';
import { ErrorNotice, Empty } from '../components/notice';
import { DeleteSessionButton } from '../components/tidy';
import { count, dateTime, duration } from '../format';
import { navigate, sessionLink, withParams } from '../router';
import { Period, PeriodPicker, lastDayBefore } from '../components/period';
import { useComparePick } from './comparelinks';

const ROW = 44;
const BLOCK = 200;
const OVERSCAN = 10;

const columns: { key: string; label: string; sort?: string; cls?: string }[] = [
  { key: 'when', label: 'Started', sort: 'started_at' },
  { key: 'visitor', label: 'Session' },
  { key: 'pages', label: 'Pages', sort: 'pageviews' },
  { key: 'duration', label: 'Duration', sort: 'duration_ms', cls: 'num' },
  { key: 'device', label: 'Device' },
  { key: 'clicks', label: 'Clicks', sort: 'clicks', cls: 'num' },
  { key: 'signals', label: 'Signals', sort: 'errors' },
  { key: 'score', label: 'Score', sort: 'frustration_score', cls: 'num' },
];

const durations: [number, string][] = [[0, 'Any length'], [10_000, '≥ 10 s'], [60_000, '≥ 1 min'], [300_000, '≥ 5 min']];

export function SessionsView({ segment: initialSegment = '', period = { from: '', to: '' } }: { segment?: string; period?: Period }) {
  const [tab, setTab] = useState<'all' | 'watch' | 'flagged'>('all');
  const [tag, setTag] = useState('');
  const [sort, setSort] = useState({ key: 'started_at', desc: true });
  const [page, setPage] = useState('');
  const [device, setDevice] = useState('');
  const [site, setSite] = useState('');
  const [minDur, setMinDur] = useState(0);
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [segment, setSegment] = useState(initialSegment);
  const [asked, setAsked] = useState<{ sentence: string; reading: AskReading } | null>(null);
  const [askError, setAskError] = useState<unknown>(null);
  // A search of several words can be read as a sentence instead: its
  // segment then filters the list.
  const readSentence = () => {
    const sentence = text.trim();
    setAskError(null);
    Ask.read(sentence).then((r) => {
      if (r.route) { navigate(r.route); return; }
      setAsked({ sentence, reading: r });
      setSegment(r.segment);
      setText('');
      // The segment and the period the sentence named ("last week") go
      // into the address like any picked scope, so they hold on a reload
      // and travel to the other views.
      navigate(withParams({ segment: r.segment, ...(r.range ? { from: r.range.from.slice(0, 10), to: lastDayBefore(r.range.to) } : {}) }));
    }, setAskError);
  };
  const [saved, setSaved] = useState<SavedSegment[]>([]);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 180);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    Sessions.facets().then(setFacets, setError);
    Segments.saved().then((s) => setSaved(s ?? []), () => setSaved([]));
  }, []);
  useEffect(() => setSegment(initialSegment), [initialSegment]);

  const query: SessionQuery = useMemo(
    () => ({
      sort: tab === 'watch' ? 'frustration_score' : sort.key,
      desc: tab === 'watch' ? true : sort.desc,
      frustrated: tab === 'watch',
      page, device, site, min_duration_ms: minDur, errors: errorsOnly, text: debounced, segment,
      tag: tab === 'flagged' ? 'flagged' : tag, from: period.from, to: period.to,
    }),
    [tab, sort, page, device, site, minDur, errorsOnly, debounced, segment, tag, period.from, period.to],
  );

  const pick = useComparePick();

  const setSortKey = (key: string) =>
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'visitor' }));

  return (
    <div class="view view-sessions">
      <header class="view-head">
        <div>
          <h1>Sessions</h1>
          <p class="sub">{facets ? `${count(facets.total)} recorded visits in this workspace` : 'Loading…'}</p>
        </div>
        {pick.bar}
        <div class="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'all'} class={tab === 'all' ? 'tab active' : 'tab'} onClick={() => setTab('all')}>All sessions</button>
          <button role="tab" aria-selected={tab === 'watch'} class={tab === 'watch' ? 'tab active' : 'tab'} onClick={() => setTab('watch')} data-tab="watch">Worth watching</button>
          <button role="tab" aria-selected={tab === 'flagged'} class={tab === 'flagged' ? 'tab active' : 'tab'} onClick={() => setTab('flagged')} data-tab="flagged">Flagged</button>
        </div>
      </header>
      {askError ? <ErrorNotice error={askError} /> : null}
      {asked && (
        <div class="ask-reading small" data-ask-reading>
          <span class="ask-sentence">“{markUnknown(asked.sentence, asked.reading.unknown).map((p, i) => p.unknown ? <mark key={i} title="Not understood" data-unknown>{p.text}</mark> : <span key={i}>{p.text}</span>)}”</span>
          <span data-ask-says>{asked.reading.reading}</span>
        </div>
      )}
      <div class="filters">
        <PeriodPicker value={period} />
        <input class="input search" data-search type="search" placeholder="Search pages, events, people, traits…  ( / )" value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)} aria-label="Search sessions" />
        {text.trim().split(/\s+/).length >= 3 && (
          <button class="btn btn-small" onClick={readSentence} data-read-sentence title="Read the search as a sentence and filter by the segment it describes">Read as a sentence</button>
        )}
        {facets && facets.sites && facets.sites.length > 1 && (
          <select class="input" value={site} onChange={(e) => setSite((e.target as HTMLSelectElement).value)} aria-label="Site">
            <option value="">All sites</option>
            {facets.sites.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        )}
        <select class="input" data-filter="page" value={page} onChange={(e) => setPage((e.target as HTMLSelectElement).value)} aria-label="Visited page">
          <option value="">Any page</option>
          {(facets?.pages ?? []).map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
        <select class="input" data-filter="device" value={device} onChange={(e) => setDevice((e.target as HTMLSelectElement).value)} aria-label="Device">
          <option value="">Any device</option>
          {(facets?.devices ?? []).map((d) => <option key={d} value={d}>{d}</option>)}
        </select>
        <select class="input" data-filter="duration" value={String(minDur)} onChange={(e) => setMinDur(Number((e.target as HTMLSelectElement).value))} aria-label="Duration">
          {durations.map(([v, l]) => <option key={v} value={String(v)}>{l}</option>)}
        </select>
        <select class="input" data-filter="segment" value={segment} onChange={(e) => { const v = (e.target as HTMLSelectElement).value; setSegment(v); navigate(withParams({ segment: v })); }} aria-label="Segment">
          <option value="">All sessions</option>
          {saved.map((s) => <option key={s.name} value={s.text}>{s.name}</option>)}
          {segment && !saved.some((s) => s.text === segment) && <option value={segment}>Segment: {segment}</option>}
        </select>
        {(facets?.tags ?? []).length > 0 && tab !== 'flagged' && (
          <select class="input" data-filter="tag" value={tag} onChange={(e) => setTag((e.target as HTMLSelectElement).value)} aria-label="Tag">
            <option value="">Any tag</option>
            {(facets?.tags ?? []).map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        )}
        <label class="check">
          <input type="checkbox" data-filter="errors" checked={errorsOnly} onChange={(e) => setErrorsOnly((e.target as HTMLInputElement).checked)} />
          With errors
        </label>
      </div>
      {tab === 'flagged' && (
        <div class="form-row">
          <button class="btn" data-present-flagged onClick={() => Sessions.list({ ...query, limit: 50 }).then((p) => {
            const ids = (p.sessions ?? []).map((s) => s.id);
            if (ids.length) navigate(`#/sessions/${encodeURIComponent(ids[0])}?present=1` + (ids.length > 1 ? `&playlist=${ids.slice(1).map(encodeURIComponent).join(',')}` : ''));
          }, setError)}>▶ Present flagged sessions</button>
        </div>
      )}
      {error ? <ErrorNotice error={error} onRetry={() => { setError(null); Sessions.facets().then(setFacets, setError); }} /> : null}
      <div style={{ display: 'contents' }} onClickCapture={pick.onClickCapture}>
        <SessionTable query={query} sort={tab === 'watch' ? { key: 'frustration_score', desc: true } : sort} onSort={tab === 'watch' ? undefined : setSortKey} />
      </div>
    </div>
  );
}

function SessionTable({ query, sort, onSort }: { query: SessionQuery; sort: { key: string; desc: boolean }; onSort?: (k: string) => void }) {
  const blocks = useRef(new Map<number, Session[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [, redraw] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [reloads, setReloads] = useState(0); // a session was deleted
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback((b: number, gen: number) => {
    if (blocks.current.has(b) || loading.current.has(b)) return;
    loading.current.add(b);
    Sessions.list({ ...query, offset: b * BLOCK, limit: BLOCK }).then(
      (res) => {
        if (gen !== generation.current) return;
        loading.current.delete(b);
        blocks.current.set(b, res.sessions ?? []);
        setTotal(res.total);
        redraw((n) => n + 1);
      },
      (e) => {
        if (gen !== generation.current) return;
        loading.current.delete(b);
        setError(e);
      },
    );
  }, [query]);

  // A new query starts a new generation: old answers are dropped.
  useEffect(() => {
    generation.current++;
    blocks.current = new Map();
    loading.current = new Set();
    setTotal(null);
    setError(null);
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
    load(0, generation.current);
  }, [load, reloads]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const n = total ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);

  useEffect(() => {
    if (total === null) return;
    for (let b = Math.floor(first / BLOCK); b <= Math.floor(Math.max(first, last - 1) / BLOCK); b++) load(b, generation.current);
  }, [first, last, total, load]);

  const rows = [];
  for (let i = first; i < last; i++) {
    const s = blocks.current.get(Math.floor(i / BLOCK))?.[i % BLOCK];
    rows.push(s ? <Row key={s.id} s={s} top={i * ROW} onDeleted={() => setReloads((r) => r + 1)} /> : <div key={'p' + i} class="row row-placeholder" style={{ top: `${i * ROW}px` }} />);
  }

  return (
    <div class="table">
      <div class="thead row-grid" role="row">
        {columns.map((c) => (
          <div key={c.key} role="columnheader" class={'th ' + (c.cls ?? '') + (c.sort && onSort ? ' sortable' : '')}
            aria-sort={sort.key === c.sort ? (sort.desc ? 'descending' : 'ascending') : undefined}
            onClick={() => c.sort && onSort?.(c.sort)} data-sort={c.sort}>
            {c.label}{sort.key === c.sort ? (sort.desc ? ' ↓' : ' ↑') : ''}
          </div>
        ))}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="tbody" ref={scroller} onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)} data-total={total ?? ''}>
        {total === 0 ? (
          <Empty title="No sessions match">Loosen a filter, or import recordings from the Sync view.</Empty>
        ) : (
          <div class="tbody-inner" style={{ height: `${n * ROW}px` }}>{rows}</div>
        )}
      </div>
      <div class="tfoot">{total === null ? 'Loading…' : `${count(total)} session${total === 1 ? '' : 's'}`}</div>
    </div>
  );
}

function Row({ s, top, onDeleted }: { s: Session; top: number; onDeleted: () => void }) {
  const pages = s.pages ?? [];
  const errors = s.js_errors + s.failed_requests;
  return (
    <a class="row row-grid" href={sessionLink(s.id)} style={{ top: `${top}px` }} data-session={s.id}
      onClick={(e) => { e.preventDefault(); navigate(sessionLink(s.id)); }}>
      <div class="td">{dateTime(s.started_at)}</div>
      <div class="td ellipsis two-line" title={`session ${s.id}` + (s.visitor ? `, visitor ${s.visitor}` : '')}>
        <span class="mono ellipsis">{s.user_id || s.id}</span>
        <span class="muted small ellipsis">{s.site}{s.site && s.visitor ? ' · ' : ''}{s.visitor}</span>
      </div>
      <div class="td ellipsis" title={pages.join(' → ')}>
        <span class="path">{pages[0] ?? '–'}</span>
        {s.pageviews > 1 && <span class="muted"> +{s.pageviews - 1}</span>}
      </div>
      <div class="td num">{duration(s.duration_ms)}</div>
      <div class="td ellipsis"><span class={'chip chip-' + (s.device || 'unknown')}>{s.device || '–'}</span> <span class="muted">{[s.browser, s.os].filter(Boolean).join(' · ')}</span></div>
      <div class="td num">{s.clicks}</div>
      <div class="td signals">
        {s.rage_clicks > 0 && <span class="badge badge-rage" title="Rage clicks">{s.rage_clicks} rage</span>}
        {s.dead_clicks > 0 && <span class="badge badge-dead" title="Dead clicks">{s.dead_clicks} dead</span>}
        {errors > 0 && <span class="badge badge-error" title="JS errors and failed requests">{errors} err</span>}
        {(s.tags ?? []).includes('flagged') && <span class="badge badge-flag" title="Flagged">⚑</span>}
      </div>
      <div class="td num">{s.frustration_score ? s.frustration_score.toFixed(1) : '–'} <DeleteSessionButton id={s.id} done={onDeleted} small /></div>
    </a>
  );
}
