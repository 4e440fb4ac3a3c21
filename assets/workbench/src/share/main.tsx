// The one-file player: reads the replay a `loupe share` file carries (an
// inert JSON block), decompresses each item's events, swaps asset tokens
// for the data: URIs carried once per digest, and plays them with
// rrweb-player, whose Replayer rebuilds the page in an iframe sandboxed
// without scripts. The file's CSP allows no network at all.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import RRPlayer from 'rrweb-player';
import 'rrweb-player/dist/style.css';
import './share.css';
import { prepareEvents } from '../replay';
import { clock } from '../format';
import { consoleLines, kindLabel, moments, type Moment } from '../views/timeline';
import { PairStages, type PairSide, type ReplayerClass } from '../views/pairstages';

interface Note { offset_ms: number; text: string; bookmark: boolean }
interface Item {
  title: string; caption: string; start_ms: number; from_ms: number;
  session: { started_at: string; duration_ms: number; device: string; browser: string; os: string; viewport: { w: number; h: number }; user_id?: string; traits?: Record<string, string> };
  pageviews: any[]; clicks: any[]; errors: any[]; requests: any[]; custom_events: any[]; notes: Note[];
  events: string;
}
interface Payload { title: string; items: Item[]; assets: Record<string, string>; compare?: { align: string; align_a_ms: number; align_b_ms: number } }

const TOKEN = /loupe-asset:([0-9a-f]{64})/g;
const CONTROLLER_HEIGHT = 80;
const CAPTION_MS = 4000;

/** Decompresses an item's events and links its assets. */
async function loadEvents(item: Item, assets: Record<string, string>): Promise<any[]> {
  const bin = Uint8Array.from(atob(item.events), (c) => c.charCodeAt(0));
  const text = await new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  // Data URIs are base64 with a plain type: nothing in them needs JSON escaping.
  return JSON.parse(text.replace(TOKEN, (_, sha: string) => assets[sha] ?? 'data:,'));
}

type Tab = 'events' | 'console' | 'network';

function App({ data }: { data: Payload }) {
  const [index, setIndex] = useState(0);
  const item = data.items[index];
  const many = data.items.length > 1;
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (!many) return;
      if (e.key === 'PageDown' || (e.key === 'n' && !e.ctrlKey)) setIndex((i) => Math.min(data.items.length - 1, i + 1));
      if (e.key === 'PageUp' || (e.key === 'p' && !e.ctrlKey)) setIndex((i) => Math.max(0, i - 1));
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
  return (
    <div class="share">
      <header class="share-head">
        <div>
          <h1 data-title>{item.title || data.title || 'Session replay'}</h1>
          {item.caption ? <p class="share-caption" data-caption>{item.caption}</p> : null}
          <p class="share-sub">{new Date(item.session.started_at).toLocaleString()} · {clock(item.session.duration_ms)} · {item.session.device || 'unknown device'}{item.session.browser ? ` · ${item.session.browser}` : ''}{item.session.user_id ? ` · ${item.session.user_id}` : ''}</p>
        </div>
        {many ? (
          <nav class="share-nav" aria-label="Playlist">
            <button class="btn" disabled={index === 0} onClick={() => setIndex(index - 1)} data-prev>← Previous</button>
            <span class="share-pos" data-position>{index + 1} / {data.items.length}</span>
            <button class="btn" disabled={index === data.items.length - 1} onClick={() => setIndex(index + 1)} data-next>Next →</button>
          </nav>
        ) : null}
      </header>
      <Clip key={index} item={item} assets={data.assets} onFinish={() => { if (index < data.items.length - 1) setIndex(index + 1); }} autoplay={index > 0} />
    </div>
  );
}

/** Markers of an item: its facts and notes, in ms from its first carried event. */
function itemMoments(item: Item): Moment[] {
  return moments(item as any, item.notes.map((n, i) => ({ ...n, id: i, session: '', created_at: '' })));
}

/**
 * The Replayer class inside rrweb-player, which exports only the player:
 * taking it from a throwaway player keeps one copy of the replayer in
 * every file (a second, from @rrweb/replay, would add about 200 kB).
 */
function replayerClass(events: any[]): ReplayerClass {
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-10000px;top:0;width:1px;height:1px;visibility:hidden';
  document.body.appendChild(host);
  try {
    const p = new RRPlayer({ target: host, props: { events: prepareEvents(events), width: 1, height: 1, autoPlay: false, showController: false, insertStyleRules: [] } as any });
    const r = p.getReplayer();
    const cls = r.constructor as ReplayerClass;
    r.destroy();
    (p as any).$destroy?.();
    return cls;
  } finally {
    host.remove();
  }
}

/** Two items side by side on one clock, aligned as the file says. */
function Pair({ data }: { data: Payload }) {
  const cmp = data.compare!;
  const [pair, setPair] = useState<[PairSide, PairSide] | null>(null);
  const [replayer, setReplayer] = useState<ReplayerClass | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    Promise.all(data.items.slice(0, 2).map((it) => loadEvents(it, data.assets))).then(([a, b]) => {
      if (a.length < 2 || b.length < 2) { setError('One of the sessions holds fewer than two recorded events.'); return; }
      const side = (key: 'a' | 'b', it: Item, events: any[], align: number): PairSide =>
        ({ key, id: key, events, viewport: it.session.viewport, align, items: itemMoments(it) });
      const cls = replayerClass(a);
      setReplayer(() => cls);
      setPair([side('a', data.items[0], a, cmp.align_a_ms), side('b', data.items[1], b, cmp.align_b_ms)]);
    }).catch((e) => setError(`This recording cannot be replayed: ${e?.message ?? e}`));
  }, []);
  const head = (side: PairSide, pos: number) => {
    const it = data.items[side.key === 'a' ? 0 : 1];
    const reached = cmp.align !== 'start' ? ` · aligned at ${clock(side.align + it.start_ms)}` : '';
    return (
      <div class="compare-head">
        <span class="chip">{side.key.toUpperCase()}</span>
        <span class="muted small">{new Date(it.session.started_at).toLocaleString()} · {clock(it.session.duration_ms)} · {it.session.device || 'unknown device'}{it.session.user_id ? ` · ${it.session.user_id}` : ''}{reached}</span>
        <span class="mono small">{clock(pos + it.start_ms)}</span>
      </div>
    );
  };
  return (
    <div class="share share-pair">
      <header class="share-head">
        <div>
          <h1 data-title>{data.title || 'Side by side'}</h1>
          <p class="share-sub">{cmp.align === 'start' ? 'Aligned at their start' : cmp.align === 'moments' ? 'Aligned at two chosen moments' : `Aligned where each first reached ${cmp.align}`}</p>
        </div>
      </header>
      <div class="share-main">
        {error ? <div class="share-error" role="alert">{error}</div>
          : !pair || !replayer ? <div class="share-loading">Loading replays…</div>
          : <PairStages replayer={replayer} pair={pair} alignLabel={cmp.align} head={head}
              failure={(e) => <div class="share-error" role="alert">This recording cannot be replayed: {String((e as Error)?.message ?? e)}</div>} />}
      </div>
    </div>
  );
}

function Clip({ item, assets, onFinish, autoplay }: { item: Item; assets: Record<string, string>; onFinish: () => void; autoplay: boolean }) {
  const [events, setEvents] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  const [now, setNow] = useState(item.from_ms);
  const [tab, setTab] = useState<Tab>('events');
  const stage = useRef<HTMLDivElement>(null);
  const player = useRef<RRPlayer | null>(null);

  useEffect(() => { loadEvents(item, assets).then(setEvents, (e) => setError(String(e?.message ?? e))); }, []);
  const total = events && events.length ? events[events.length - 1].timestamp - events[0].timestamp : 0;
  const items: Moment[] = useMemo(() => itemMoments(item), [item]);
  const logs = useMemo(() => consoleLines(events ?? []), [events]);
  const caption = item.notes.filter((n) => n.text && now >= n.offset_ms && now < n.offset_ms + CAPTION_MS).pop();

  useEffect(() => {
    const el = stage.current;
    if (!el || !events || events.length < 2) return;
    const size = () => ({ width: Math.max(320, el.clientWidth), height: Math.max(200, el.clientHeight - CONTROLLER_HEIGHT) });
    let p: RRPlayer;
    try {
      p = new RRPlayer({ target: el, props: { events: prepareEvents(events), ...size(), autoPlay: false, skipInactive: true, speedOption: [1, 2, 4, 8], showController: true, insertStyleRules: [] } as any });
    } catch (e) {
      setError(`This recording cannot be replayed: ${(e as Error)?.message ?? e}`);
      return;
    }
    player.current = p;
    p.addEventListener('ui-update-current-time', (e: any) => setNow(e.payload));
    p.addEventListener('finish', onFinish);
    // A stretch starts after the events that draw its first frame.
    p.goto(item.from_ms, autoplay);
    const ro = new ResizeObserver(() => { (p as any).$set(size()); p.triggerResize(); });
    ro.observe(el);
    return () => { ro.disconnect(); player.current = null; (p as any).$destroy?.(); };
  }, [events]);

  const seek = (ms: number) => {
    player.current?.goto(Math.max(0, Math.min(total, ms)), false);
    setNow(ms);
  };

  if (error) return <div class="share-error" role="alert">{error}</div>;
  const reqs = item.requests;
  return (
    <div class="share-layout">
      <div class="share-main">
        <div class="share-stage" ref={stage} data-player>
          {!events ? <div class="share-loading">Loading replay…</div> : null}
        </div>
        {caption ? <div class="share-note" data-note-caption>{caption.text}</div> : null}
        {total ? (
          <div class="markers" aria-label="Timeline">
            <div class="markers-track" />
            <div class="markers-now" style={{ left: `${(now / total) * 100}%` }} />
            {items.map((m, i) => (
              <button key={i} class={'marker marker-' + m.kind} style={{ left: `${Math.min(100, (m.at / total) * 100)}%` }}
                title={`${clock(m.at + item.start_ms)} ${kindLabel[m.kind]}: ${m.label}`} onClick={() => seek(m.at)} data-marker={m.kind} />
            ))}
          </div>
        ) : null}
      </div>
      <aside class="share-side">
        <div class="tabs" role="tablist">
          {(['events', 'console', 'network'] as Tab[]).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)} data-tab={t}>
              {t[0].toUpperCase() + t.slice(1)} <span class="tab-count">{t === 'events' ? items.length : t === 'console' ? logs.length : reqs.length}</span>
            </button>
          ))}
        </div>
        <ol class="list" data-list={tab}>
          {tab === 'events' && items.map((m, i) => (
            <li key={i} class={'item' + (m.at > now ? ' future' : '')} onClick={() => seek(m.at)} data-kind={m.kind}>
              <span class="item-time">{clock(m.at + item.start_ms)}</span><span class={'dot dot-' + m.kind} />
              <span class="item-body"><b>{kindLabel[m.kind]}</b> {m.label}</span>
            </li>
          ))}
          {tab === 'console' && logs.map((l, i) => (
            <li key={i} class={'item level-' + l.level + (l.at > now ? ' future' : '')} onClick={() => seek(l.at)}>
              <span class="item-time">{clock(l.at + item.start_ms)}</span><span class="item-body mono">{l.text}</span>
            </li>
          ))}
          {tab === 'network' && reqs.map((r, i) => (
            <li key={i} class={'item' + (r.failed ? ' failed' : '') + (r.offset_ms > now ? ' future' : '')} onClick={() => seek(r.offset_ms)}>
              <span class="item-time">{clock(r.offset_ms + item.start_ms)}</span>
              <span class="item-body mono">{r.status || 'ERR'} {r.method} {r.url}</span>
            </li>
          ))}
        </ol>
      </aside>
    </div>
  );
}

const el = document.getElementById('loupe-share');
const root = document.getElementById('share')!;
try {
  const data = JSON.parse(el?.textContent ?? '') as Payload;
  if (!data.items?.length) throw new Error('this file holds no replay');
  if (data.compare && data.items.length !== 2) throw new Error('a side-by-side file holds two replays');
  render(data.compare ? <Pair data={data} /> : <App data={data} />, root);
} catch (e) {
  root.textContent = `This file cannot be played: ${(e as Error)?.message ?? e}`;
}
