// Heatmaps: the recorded page itself, rebuilt from a full snapshot by
// rrweb's Replayer in an iframe sandboxed without scripts, with click,
// rage, movement or scroll-depth layers over it, the element ranking
// beside it, and hover that names an element and its counts.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Replayer } from '@rrweb/replay';
import { HeatElement, HeatmapData, HeatmapView, Heatmaps, Ranked, RrwebEvent } from '../api';
import { Empty, ErrorNotice } from '../components/notice';
import { count } from '../format';
import { navigate, withParams } from '../router';
import { Period, PeriodPicker, describePeriod } from '../components/period';
import { paint } from './heatlayer';
import { prepareEvents } from '../replay';

const layers: [string, string][] = [['click', 'Clicks'], ['rage', 'Rage clicks'], ['move', 'Movement'], ['scroll', 'Scroll depth']];

export function HeatmapsView({ page, segment = '', period = { from: '', to: '' } }: { page: string; segment?: string; period?: Period }) {
  const [pages, setPages] = useState<Ranked[]>([]);
  const [device, setDevice] = useState('');
  const [kind, setKind] = useState('click');
  const [view, setView] = useState<(HeatmapView & { data: HeatmapData; snapshot: RrwebEvent[] }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hover, setHover] = useState<{ el: HeatElement | null; x: number; y: number; tag: string } | null>(null);
  const [painted, setPainted] = useState(-1);
  const [box, setBox] = useState<DOMRect | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const doc = useRef<Document | null>(null);
  const [scale, setScale] = useState(1);

  useEffect(() => {
    Heatmaps.pages().then((list) => {
      const p = list ?? [];
      setPages(p);
      if (!page && p.length) navigate(withParams({ page: p[0].name }));
    }, setError);
  }, []);

  useEffect(() => {
    if (!page) return;
    setError(null);
    setView(null);
    let current = true;
    Heatmaps.get({ page, device, kind, segment, from: period.from, to: period.to }).then((v) => {
      if (!current) return;
      if (!v.data) throw new Error(`no heatmap data for ${page}`);
      setView({ ...v, data: v.data, snapshot: v.snapshot ?? [] });
    }).catch((e) => { if (current) setError(e); });
    return () => { current = false; };
  }, [page, device, kind, segment, period.from, period.to]);

  const W = Math.max(320, view?.data.width || 1024);
  const metaHeight = Number((view?.snapshot.find((e) => e.type === 4)?.data as { height?: number } | undefined)?.height ?? 0);
  const H = Math.max(400, view?.data.height || 0, metaHeight);

  // Rebuild the recorded page when the snapshot changes.
  useEffect(() => {
    const el = stage.current;
    doc.current = null;
    if (!el || !view) return;
    el.innerHTML = '';
    setPainted(-1);
    if (!view.snapshot.length) { repaint(); return; }
    const events = prepareEvents(view.snapshot).map((e: any) =>
      e.type === 4 ? { ...e, data: { ...e.data, width: W, height: Math.max(H, e.data?.height ?? 0) } } : e);
    let r: Replayer | null = null;
    try {
      r = new Replayer(events, { root: el, mouseTail: false, showWarning: false, showDebug: false, triggerFocus: false, pauseAnimation: true, skipInactive: true });
      r.pause(r.getMetaData().totalTime);
      doc.current = r.iframe.contentDocument;
    } catch (e) {
      setError(e);
    }
    // Let the rebuilt page lay out before placing points on its elements.
    const t = setTimeout(repaint, 120);
    return () => { clearTimeout(t); r?.destroy(); };
  }, [view]);

  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setScale(Math.min(1, el.clientWidth / W)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [W, !!view]);

  function repaint() {
    if (!canvas.current || !view) return;
    setPainted(paint(canvas.current, view.data, doc.current));
  }

  const onMove = (e: MouseEvent) => {
    const d = doc.current;
    const c = canvas.current;
    if (!d || !c || !view) return;
    const r = c.getBoundingClientRect();
    const x = (e.clientX - r.left) / scale, y = (e.clientY - r.top) / scale;
    let el = d.elementFromPoint(x, y);
    let found: HeatElement | null = null;
    for (let n = el; n && !found; n = n.parentElement) {
      for (const h of view.data.elements ?? []) {
        try { if (n.matches(h.selector)) { found = h; el = n; break; } } catch { /* selector the browser cannot read */ }
      }
    }
    setHover(el ? { el: found, x: e.clientX - r.left + 14, y: e.clientY - r.top + 14, tag: describe(el) } : null);
    setBox(el ? el.getBoundingClientRect() : null);
  };
  const highlight = (sel: string | null) => {
    if (!sel || !doc.current) { setBox(null); return; }
    try { setBox(doc.current.querySelector(sel)?.getBoundingClientRect() ?? null); } catch { setBox(null); }
  };

  const data = view?.data;
  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>Heatmaps</h1>
          <p class="sub" data-heat-sessions={data ? String(data.sessions) : ''}>{data ? `${count(data.pageviews)} pageviews in ${count(data.sessions)} sessions · page width ${data.width}px` : 'Pick a page'}</p>
          {data && (data.moves ?? 0) > (data.points?.length ?? 0) && <p class="sub small" data-heat-sample>{`${count(data.points?.length ?? 0)} of ${count(data.moves ?? 0)} mouse positions drawn, an even sample`}</p>}
          {data && (data.clicks ?? 0) > (data.points?.length ?? 0) && <p class="sub small" data-heat-sample>{`${count(data.points?.length ?? 0)} of ${count(data.clicks ?? 0)} clicks drawn, an even sample`}</p>}
          <p class="sub small" data-heat-scope>{segment ? <>Segment <code>{segment}</code> · </> : null}{describePeriod(period)}</p>
        </div>
        <div class="form-row">
          <PeriodPicker value={period} />
          <select class="input" value={page} aria-label="Page" data-heat-page onChange={(e) => navigate(withParams({ page: (e.target as HTMLSelectElement).value }))}>
            {!pages.some((p) => p.name === page) && <option value={page}>{page || 'Pick a page'}</option>}
            {pages.map((p) => <option key={p.name} value={p.name}>{p.name} ({p.count})</option>)}
          </select>
          <select class="input" value={device} aria-label="Device" onChange={(e) => setDevice((e.target as HTMLSelectElement).value)}>
            <option value="">All devices</option><option value="desktop">Desktop</option><option value="tablet">Tablet</option><option value="mobile">Mobile</option>
          </select>
          <div class="tabs" role="tablist">
            {layers.map(([k, l]) => <button key={k} role="tab" aria-selected={kind === k} class={kind === k ? 'tab active' : 'tab'} onClick={() => setKind(k)} data-layer={k}>{l}</button>)}
          </div>
        </div>
      </header>
      {error ? <ErrorNotice error={error} /> : null}
      {!page && !error && <Empty title="No pages yet">Import or sync sessions to draw heatmaps.</Empty>}
      {view && (
        <div class="grid-2 heat-layout">
          <div class="heat-frame" ref={frame} style={{ height: `${H * scale + 2}px` }}>
            <div class="heat-scaled" style={{ width: `${W}px`, height: `${H}px`, transform: `scale(${scale})` }}>
              <div class="heat-page" ref={stage} data-heat-stage />
              {!view.snapshot.length && <div class="heat-blank">No full snapshot of this page was recorded; the layer is drawn on a blank page.</div>}
              <canvas class="heat-canvas" ref={canvas} width={W} height={H} data-heat-canvas data-painted={painted}
                onMouseMove={onMove} onMouseLeave={() => { setHover(null); setBox(null); }} />
              {box && <div class="heat-box" style={{ left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` }} />}
            </div>
            {hover && (
              <div class="heat-tip" style={{ left: `${hover.x}px`, top: `${hover.y}px` }} data-heat-tip>
                <code>{hover.el?.selector ?? hover.tag}</code>
                {hover.el ? <div>{hover.el.clicks} clicks · {hover.el.rage} rage · {hover.el.dead} dead · {hover.el.error} error</div> : <div class="muted">no clicks</div>}
              </div>
            )}
            {painted === 0 && <div class="heat-note">No {layers.find((l) => l[0] === kind)?.[1].toLowerCase()} recorded on this page{device ? ` for ${device}` : ''}.</div>}
          </div>
          <div class="panel heat-side">
            <div class="panel-title">Elements by clicks</div>
            {(data?.elements ?? []).length === 0 ? <div class="muted small">No clicks on this page.</div> : (
              <table class="simple-table" data-elements>
                <thead><tr><th>Element</th><th class="num">Clicks</th><th class="num">Rage</th><th class="num">Dead</th><th class="num">Err</th></tr></thead>
                <tbody>
                  {(data?.elements ?? []).slice(0, 40).map((el) => (
                    <tr key={el.selector} onMouseEnter={() => highlight(el.selector)} onMouseLeave={() => highlight(null)}>
                      <td class="ellipsis mono" style={{ maxWidth: '160px' }} title={el.selector}>{el.selector}</td>
                      <td class="num">{el.clicks}</td><td class="num">{el.rage || ''}</td><td class="num">{el.dead || ''}</td><td class="num">{el.error || ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {view.session && <a class="btn btn-small open-list" href={`#/sessions/${encodeURIComponent(view.session)}`}>Page recorded in session {view.session.slice(0, 12)} →</a>}
          </div>
        </div>
      )}
    </div>
  );
}

function describe(el: Element): string {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  const cls = (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
  if (cls.length) s += '.' + cls.join('.');
  return s;
}
