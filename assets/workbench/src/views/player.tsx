// The player: rrweb-player (its Replayer rebuilds the recording in an
// iframe sandboxed without allow-scripts), a timeline with markers, and
// side panels for events, console, network and notes that seek the player
// and follow it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import RRPlayer from 'rrweb-player';
import 'rrweb-player/dist/style.css';
import { Note, Notes, Player, Replay, RrwebEvent, Session, Sessions } from '../api';
import { ErrorNotice, Empty } from '../components/notice';
import { BindingError } from '../bridge';
import { clock, dateTime, duration } from '../format';
import { navigate, sessionLink } from '../router';
import { typing } from '../keys';
import { prepareEvents } from '../replay';
import { ConsoleLine, Moment, consoleLines, kindLabel, moments } from './timeline';
import { DeleteSessionButton, EraseVisitorButton } from '../components/tidy';
import type { AssetCompleteness, Facts, Playlist } from '../api';
import { Playlists } from '../api';
import { VisitorTraits } from '../components/traits';
import { ShareButton } from '../components/share';
import { PlaylistButton, playlistLink } from '../components/playlist';

type Tab = 'events' | 'console' | 'network' | 'notes' | 'visitor';
const CONTROLLER_HEIGHT = 80;

export function PlayerView({ id, at, present = false, playlist = [], list = '', item = 0 }: { id: string; at: number; present?: boolean; playlist?: string[]; list?: string; item?: number }) {
  const [replay, setReplay] = useState<(Replay & { events: RrwebEvent[] }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notes, setNotes] = useState<Note[]>([]);
  const [now, setNow] = useState(at);
  const [playing, setPlaying] = useState(false);
  const [tab, setTab] = useState<Tab>('events');
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState(false);
  const [presenting, setPresenting] = useState(present);
  const stage = useRef<HTMLDivElement>(null);
  const presentingRef = useRef(presenting);
  presentingRef.current = presenting;
  const player = useRef<RRPlayer | null>(null);
  // A saved playlist being presented (from the workspace, so a reload keeps it).
  const [saved, setSaved] = useState<Playlist | null>(null);
  const savedRef = useRef<Playlist | null>(null);
  savedRef.current = saved;
  useEffect(() => { if (list) Playlists.get(list).then(setSaved, () => setSaved(null)); }, [list]);
  const goItem = (k: number) => {
    const p = savedRef.current;
    if (!p || k < 0 || k >= (p.items ?? []).length) return false;
    navigate(playlistLink(p.name, k, p.items![k]));
    return true;
  };
  const current = saved?.items?.[item];

  const load = () => {
    setError(null);
    Player.load(id).then((r) => setReplay({ ...r, events: r.events ?? [] }), setError);
    Notes.list(id).then((n) => setNotes(n ?? []), () => setNotes([]));
  };
  useEffect(load, [id]);

  const total = useMemo(() => {
    const ev = replay?.events ?? [];
    return ev.length ? ev[ev.length - 1].timestamp - ev[0].timestamp : 0;
  }, [replay]);
  const items = useMemo(() => withFeedback(moments(replay?.facts ?? null, notes), replay?.facts ?? null), [replay, notes]);
  const logs = useMemo(() => consoleLines(replay?.events ?? []), [replay]);

  // Mount rrweb-player once the events are here; size it to the stage.
  useEffect(() => {
    const el = stage.current;
    if (!el || !replay || replay.events.length < 2) return;
    el.innerHTML = '';
    const size = () => ({ width: Math.max(320, el.clientWidth), height: Math.max(200, el.clientHeight - CONTROLLER_HEIGHT) });
    let p: RRPlayer;
    try {
      p = new RRPlayer({
        target: el,
        props: {
          events: prepareEvents(replay.events),
          ...size(),
          autoPlay: false,
          skipInactive: true,
          speedOption: [1, 2, 4, 8],
          showController: true,
          mouseTail: { strokeStyle: '#6366f1', lineWidth: 2 },
          // Recorded pages may not load anything from the network.
          insertStyleRules: [],
        } as any,
      });
    } catch (e) {
      // A recording the player cannot rebuild gets a notice, not a blank stage.
      el.innerHTML = '';
      setError(new BindingError('invalid', `This recording cannot be replayed: ${(e as Error)?.message ?? e}`));
      return;
    }
    player.current = p;
    p.addEventListener('ui-update-current-time', (e: any) => setNow(e.payload));
    p.addEventListener('ui-update-player-state', (e: any) => setPlaying(e.payload === 'playing'));
    // A playlist moves on to its next session when a replay finishes.
    p.addEventListener('finish', () => {
      if (presentingRef.current && goItem(item + 1)) return;
      if (!presentingRef.current || !playlist.length) return;
      const [next, ...rest] = playlist;
      navigate(`#/sessions/${encodeURIComponent(next)}?present=1` + (rest.length ? `&playlist=${rest.map(encodeURIComponent).join(',')}` : ''));
    });
    if (presentingRef.current) setTimeout(() => p.play(), 300);
    if (at > 0) p.goto(Math.min(at, total), false);
    const ro = new ResizeObserver(() => {
      (p as any).$set(size());
      p.triggerResize();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      player.current = null;
      (p as any).$destroy?.();
    };
  }, [replay]);

  // Presenter mode: full screen, no chrome; Esc or leaving full screen ends it.
  useEffect(() => {
    document.body.classList.toggle('presenting', presenting);
    if (presenting && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
    if (!presenting && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
    const onFs = () => { if (!document.fullscreenElement) setPresenting(false); };
    document.addEventListener('fullscreenchange', onFs);
    return () => { document.removeEventListener('fullscreenchange', onFs); document.body.classList.remove('presenting'); };
  }, [presenting]);

  // A moment of a saved playlist ends at its end: on to the next item.
  useEffect(() => {
    if (presenting && current?.to_ms && now >= current.to_ms && playing) goItem(item + 1);
  }, [now]);

  const seek = (ms: number) => {
    const p = player.current;
    if (!p) return;
    p.goto(Math.max(0, Math.min(total, ms)), playing);
    setNow(ms);
  };

  // Keyboard: space toggles, arrows seek, shift+arrows jump between moments.
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey || !player.current) return;
      if (e.key === 'Escape' && presenting) {
        setPresenting(false);
      } else if ((e.key === 'PageDown' || e.key === 'PageUp') && presenting && saved) {
        e.preventDefault();
        goItem(item + (e.key === 'PageDown' ? 1 : -1));
      } else if ((e.key === 'n' || e.key === 'N') && presenting) {
        // Next moment of the playlist: bookmarks first, else any note.
        const marks = items.filter((m) => m.kind === 'bookmark');
        const list = marks.length ? marks : items.filter((m) => m.kind === 'note');
        const next = list.find((m) => m.at > now + 50) ?? list[0];
        if (next) seek(next.at);
      } else if (e.key === ' ') {
        e.preventDefault();
        player.current.toggle();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        const dir = e.key === 'ArrowRight' ? 1 : -1;
        if (e.shiftKey) {
          const next = dir > 0 ? items.find((m) => m.at > now + 50) : [...items].reverse().find((m) => m.at < now - 50);
          if (next) seek(next.at);
        } else seek(now + dir * 5000);
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  });

  const copyLink = () => {
    const url = location.href.split('#')[0] + sessionLink(id, now);
    navigator.clipboard?.writeText(url).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500); }, () => {});
    history.replaceState(null, '', sessionLink(id, now));
  };

  const s = replay?.session;
  return (
    <div class="view view-player">
      <header class="view-head">
        <div class="head-left">
          <a class="btn btn-ghost btn-small" href="#/sessions">← Sessions</a>
          <div>
            <h1 class="mono">{s?.user_id || s?.visitor || id}</h1>
            {s && (
              <p class="sub">
                {dateTime(s.started_at)} · {duration(s.duration_ms)} · {s.pageviews} page{s.pageviews === 1 ? '' : 's'} · {s.device || 'unknown device'}
                {s.browser ? ` · ${s.browser}` : ''}{s.os ? ` on ${s.os}` : ''}{s.viewport?.w ? ` · ${s.viewport.w}×${s.viewport.h}` : ''}
                {replay?.assets?.total ? <> · <AssetBadge assets={replay.assets} /></> : null}
              </p>
            )}
          </div>
        </div>
        <div class="head-right">
          {s && <TagEditor session={s} onChange={(x) => setReplay(replay ? { ...replay, session: x } : replay)} />}
          <ShareButton id={id} now={now} total={total} />
          <PlaylistButton id={id} now={now} total={total} />
          <button class="btn" onClick={copyLink} title="Copy a link that opens this session at this moment">{copied ? 'Link copied' : `Link at ${clock(now)}`}</button>
          <button class="btn" onClick={() => setPresenting(true)} title="Presenter mode: full screen, no chrome; N jumps to the next bookmark" data-present>Present</button>
          <DeleteSessionButton id={id} done={() => navigate('#/sessions')} />
        </div>
      </header>
      {error ? <ErrorNotice error={error} onRetry={load} /> : null}
      {!error && !replay ? <div class="loading">Loading replay…</div> : null}
      {replay && replay.events.length < 2 ? <Empty title="Nothing to replay">This session holds fewer than two recorded events.</Empty> : null}
      {replay && replay.events.length >= 2 ? (
        <div class="player-layout">
          <div class="player-main">
            <div class="stage" ref={stage} data-player />
            <Markers items={items} total={total} now={now} onSeek={seek} />
            {presenting && current && (current.title || current.caption) ? (
              <div class="present-caption" data-present-caption><h2>{current.title}</h2>{current.caption ? <p>{current.caption}</p> : null}</div>
            ) : null}
            {presenting && saved && <div class="present-hint" data-present-position>{item + 1} / {saved.items?.length ?? 0} · PageDown next · PageUp previous · Esc to leave</div>}
            {presenting && !saved && <div class="present-hint">Esc to leave · N next bookmark{playlist.length ? ` · ${playlist.length} more in the playlist` : ''}</div>}
          </div>
          <aside class="side">
            <div class="tabs tabs-small" role="tablist">
              {(['events', 'console', 'network', 'notes', 'visitor'] as Tab[]).map((t) => (
                <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)} data-tab={t}>
                  {t[0].toUpperCase() + t.slice(1)}
                  {t !== 'visitor' && <span class="tab-count">{t === 'events' ? items.length : t === 'console' ? logs.length : t === 'network' ? replay.facts?.requests?.length ?? 0 : notes.length}</span>}
                </button>
              ))}
            </div>
            <label class="check follow"><input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> Follow playback</label>
            {tab === 'events' && <MomentList items={items} now={now} follow={follow} onSeek={seek} />}
            {tab === 'console' && <ConsoleList lines={logs} now={now} follow={follow} onSeek={seek} />}
            {tab === 'network' && <NetworkList replay={replay} now={now} follow={follow} onSeek={seek} />}
            {tab === 'notes' && <NotesPanel id={id} now={now} notes={notes} setNotes={setNotes} onSeek={seek} />}
            {tab === 'visitor' && <><VisitorTraits session={replay.session} /><VisitorPanel id={id} visitor={replay.session.visitor} /></>}
          </aside>
        </div>
      ) : null}
    </div>
  );
}

function Markers({ items, total, now, onSeek }: { items: PlayerMoment[]; total: number; now: number; onSeek: (ms: number) => void }) {
  if (!total) return null;
  return (
    <div class="markers" aria-label="Timeline">
      <div class="markers-track" />
      <div class="markers-now" style={{ left: `${(now / total) * 100}%` }} />
      {items.map((m, i) => (
        <button key={i} class={'marker marker-' + m.kind} style={{ left: `${Math.min(100, (m.at / total) * 100)}%`, ...kindStyle(m.kind) }}
          title={`${clock(m.at)} ${momentLabel[m.kind]}${m.kind === 'feedback' ? ' ' : ': '}${m.label}`} onClick={() => onSeek(m.at)} data-marker={m.kind} />
      ))}
    </div>
  );
}

/** A timeline moment, including responses to the feedback prompt. */
type PlayerMoment = Omit<Moment, 'kind'> & { kind: Moment['kind'] | 'feedback' };

const momentLabel: Record<PlayerMoment['kind'], string> = { ...kindLabel, feedback: 'Feedback' };

/** Feedback gets the accent colour: the shared stylesheet has no class for it. */
function kindStyle(kind: PlayerMoment['kind']): Record<string, string> | undefined {
  return kind === 'feedback' ? { background: 'var(--accent)' } : undefined;
}

/** Adds feedback responses ("2/5: “too slow”") to the session's moments, in time order. */
function withFeedback(items: Moment[], facts: Facts | null): PlayerMoment[] {
  const fb = facts?.feedback ?? [];
  if (!fb.length) return items;
  const out: PlayerMoment[] = [...items];
  for (const f of fb) {
    const max = f.kind === 'nps' ? 10 : 5;
    const label = `${f.score}/${max}` + (f.comment ? `: “${f.comment.slice(0, 80)}”` : '');
    out.push({ at: f.offset_ms, kind: 'feedback', label, detail: `${f.kind.toUpperCase()} on ${f.path}` + (f.comment ? `: ${f.comment}` : '') });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Scrolls the current row into view while following playback. */
function useFollow(current: number, follow: boolean) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!follow || current < 0) return;
    list.current?.children[current]?.scrollIntoView({ block: 'nearest' });
  }, [current, follow]);
  return list;
}

function currentIndex(ats: number[], now: number): number {
  let cur = -1;
  for (let i = 0; i < ats.length && ats[i] <= now + 1; i++) cur = i;
  return cur;
}

function MomentList({ items, now, follow, onSeek }: { items: PlayerMoment[]; now: number; follow: boolean; onSeek: (ms: number) => void }) {
  const cur = currentIndex(items.map((m) => m.at), now);
  const list = useFollow(cur, follow);
  if (!items.length) return <Empty title="No events">No pages, clicks or errors were derived from this recording.</Empty>;
  return (
    <ol class="list" ref={list} data-list="events">
      {items.map((m, i) => (
        <li key={i} class={'item item-' + m.kind + (i === cur ? ' current' : '') + (m.at > now ? ' future' : '')} onClick={() => onSeek(m.at)} data-kind={m.kind} data-at={m.at}>
          <span class="item-time mono">{clock(m.at)}</span>
          <span class={'dot dot-' + m.kind} style={kindStyle(m.kind)} />
          <span class="item-body">
            <span class="item-kind">{momentLabel[m.kind]}</span>
            <span class="item-label" title={m.detail ?? m.label}>{m.label}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

function ConsoleList({ lines, now, follow, onSeek }: { lines: ConsoleLine[]; now: number; follow: boolean; onSeek: (ms: number) => void }) {
  const cur = currentIndex(lines.map((l) => l.at), now);
  const list = useFollow(cur, follow);
  if (!lines.length) return <Empty title="Console is empty">The recording holds no console output.</Empty>;
  return (
    <ol class="list list-console" ref={list} data-list="console">
      {lines.map((l, i) => (
        <li key={i} class={'item level-' + l.level + (i === cur ? ' current' : '') + (l.at > now ? ' future' : '')} onClick={() => onSeek(l.at)}>
          <span class="item-time mono">{clock(l.at)}</span>
          <span class="item-body mono">{l.text}</span>
        </li>
      ))}
    </ol>
  );
}

function NetworkList({ replay, now, follow, onSeek }: { replay: Replay; now: number; follow: boolean; onSeek: (ms: number) => void }) {
  const reqs = replay.facts?.requests ?? [];
  const cur = currentIndex(reqs.map((r) => r.offset_ms), now);
  const list = useFollow(cur, follow);
  if (!reqs.length) return <Empty title="No requests">The recording holds no fetch or XHR requests.</Empty>;
  return (
    <ol class="list list-network" ref={list} data-list="network">
      {reqs.map((r, i) => (
        <li key={i} class={'item' + (r.failed ? ' failed' : '') + (i === cur ? ' current' : '') + (r.offset_ms > now ? ' future' : '')} onClick={() => onSeek(r.offset_ms)}>
          <span class="item-time mono">{clock(r.offset_ms)}</span>
          <span class={'status mono' + (r.failed ? ' bad' : '')}>{r.status || 'ERR'}</span>
          <span class="item-body"><span class="mono">{r.method}</span> <span class="item-label" title={r.url}>{r.url}</span></span>
          <span class="muted mono">{r.duration_ms} ms</span>
        </li>
      ))}
    </ol>
  );
}

function NotesPanel({ id, now, notes, setNotes, onSeek }: { id: string; now: number; notes: Note[]; setNotes: (n: Note[]) => void; onSeek: (ms: number) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const add = (bookmark: boolean) => {
    setError(null);
    Notes.add(id, Math.round(now), text.trim(), bookmark).then((n) => {
      setNotes([...notes, n].sort((a, b) => a.offset_ms - b.offset_ms));
      setText('');
    }, setError);
  };
  const remove = (n: Note) => Notes.delete(n.id).then(() => setNotes(notes.filter((x) => x.id !== n.id)), setError);
  return (
    <div class="notes">
      <textarea class="input" rows={3} placeholder={`Note at ${clock(now)}…`} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-note-input />
      <div class="row-actions">
        <button class="btn btn-primary" disabled={!text.trim()} onClick={() => add(false)} data-add-note>Add note at {clock(now)}</button>
        <button class="btn" onClick={() => add(true)}>Bookmark</button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <ol class="list" data-list="notes">
        {notes.map((n) => (
          <li key={n.id} class="item" onClick={() => onSeek(n.offset_ms)}>
            <span class="item-time mono">{clock(n.offset_ms)}</span>
            <span class={'dot dot-' + (n.bookmark ? 'bookmark' : 'note')} />
            <span class="item-body"><span class="item-label">{n.text || 'Bookmark'}</span></span>
            <button class="btn btn-ghost btn-small" onClick={(e) => { e.stopPropagation(); remove(n); }} aria-label="Delete note">✕</button>
          </li>
        ))}
      </ol>
    </div>
  );
}

function VisitorPanel({ id, visitor }: { id: string; visitor: string }) {
  const [list, setList] = useState<Session[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!visitor) { setList([]); return; }
    Sessions.list({ visitor, limit: 200 }).then((p) => setList(p.sessions ?? []), setError);
  }, [visitor]);
  if (error) return <ErrorNotice error={error} />;
  if (!list) return <div class="muted small">Loading…</div>;
  const erase = visitor ? <EraseVisitorButton visitor={visitor} done={() => navigate('#/sessions')} /> : null;
  if (!visitor || list.length <= 1) return <>{erase}<Empty title="No other sessions">This visitor has no other recorded session.</Empty></>;
  return (
    <>{erase}
    <ol class="list" data-list="visitor">
      {list.map((s) => (
        <li key={s.id} class={'item' + (s.id === id ? ' current' : '')}>
          <a class="item-body" href={sessionLink(s.id)}>
            <span class="item-kind">{dateTime(s.started_at)} · {duration(s.duration_ms)}</span>
            <span class="item-label">{(s.pages ?? []).join(' → ') || '–'}</span>
          </a>
        </li>
      ))}
    </ol>
    </>
  );
}

function TagEditor({ session, onChange }: { session: Session; onChange: (s: Session) => void }) {
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<unknown>(null);
  const tags = session.tags ?? [];
  const flagged = tags.includes('flagged');
  const run = (p: Promise<Session>) => p.then((x) => { setError(null); onChange(x); }, setError);
  return (
    <div class="tag-editor">
      {tags.filter((t) => t !== 'flagged').map((t) => (
        <span key={t} class="chip tag-chip">{t}<button class="x" aria-label={`Remove tag ${t}`} onClick={() => run(Sessions.untag(session.id, t))}>×</button></span>
      ))}
      <form onSubmit={(e) => { e.preventDefault(); if (adding.trim()) run(Sessions.tag(session.id, adding)).then(() => setAdding('')); }}>
        <input class="input input-tag" placeholder="+ tag" value={adding} onInput={(e) => setAdding((e.target as HTMLInputElement).value)} aria-label="Add a tag" data-tag-input />
      </form>
      <button class={'btn' + (flagged ? ' btn-flagged' : '')} data-flag aria-pressed={flagged}
        onClick={() => run(flagged ? Sessions.untag(session.id, 'flagged') : Sessions.tag(session.id, 'flagged'))}>{flagged ? '⚑ Flagged' : '⚐ Flag'}</button>
      {error ? <span class="muted small" role="alert">{(error as any).message}</span> : null}
    </div>
  );
}

/** Short reasons for missing assets, most frequent first: "404", "timeout". */
function missingReasons(a: AssetCompleteness): string {
  const n = new Map<string, number>();
  for (const m of a.missing ?? []) n.set(m.reason, (n.get(m.reason) ?? 0) + 1);
  return [...n.entries()].sort((x, y) => y[1] - x[1]).map(([r, k]) => (n.size > 1 ? `${r.replace(/^http /, '')} (${k})` : r.replace(/^http /, ''))).join(', ');
}

/**
 * How many of the page's images, fonts and stylesheets are stored, so a
 * grey box in the replay is explained; the missing ones list on hover and
 * on click.
 */
function AssetBadge({ assets }: { assets: AssetCompleteness }) {
  const [open, setOpen] = useState(false);
  const missing = assets.missing ?? [];
  const text = `${assets.stored} of ${assets.total} assets stored` + (missing.length ? ` · ${missing.length} missing: ${missingReasons(assets)}` : '');
  const list = missing.map((m) => `${m.url} — ${m.reason}`).join('\n');
  return (
    <span class="asset-badge" data-assets>
      <button type="button" class={'linkish' + (missing.length ? ' warn' : '')} title={list || 'Every asset the page used is stored'}
        onClick={() => setOpen(!open)} aria-expanded={open} disabled={!missing.length} data-assets-summary>{text}</button>
      {open && missing.length ? (
        <ul class="asset-missing" data-assets-missing>
          {missing.map((m) => <li key={m.url}><code>{m.url}</code> {m.reason}</li>)}
        </ul>
      ) : null}
    </span>
  );
}
