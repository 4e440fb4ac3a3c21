// Side by side: two sessions (or two stretches of one) on one timeline,
// aligned at their start or at the moment each first reached a funnel
// step, played by one control that drives two rrweb Replayers.
//
// The shared clock runs in shared time s: each side sits `lead` ms after
// the timeline's start, so at s = max(align) both are at their aligned
// moment. A side before its lead shows its first frame, after its end its
// last. Each Replayer plays on its own timer; the loop below re-seeks a side
// that drifts from the shared clock, so the two stay aligned.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Replayer } from '@rrweb/replay';
import '@rrweb/replay/dist/style.css';
import './compare.css';
import { Player, Session } from '../api';
import type { Comparison, Replay } from '../api';
import { ErrorNotice, Empty } from '../components/notice';
import { clock, dateTime, duration } from '../format';
import { navigate, sessionLink } from '../router';
import { typing } from '../keys';
import { prepareEvents } from '../replay';
import { Moment, kindLabel, moments } from './timeline';

// A side more than this far from the shared clock is re-seeked.
const DRIFT_MS = 200;
const SPEEDS = [1, 2, 4, 8];

interface Side { key: 'a' | 'b'; replay: Replay; align: number; lead: number; dur: number; items: Moment[] }

function durationOf(r: Replay): number {
  const ev = r.events ?? [];
  return ev.length > 1 ? ev[ev.length - 1].timestamp - ev[0].timestamp : 0;
}

export function CompareView({ params }: { params: URLSearchParams }) {
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const align = params.get('align') || 'start';
  // ta/tb (ms) line up two chosen moments instead, e.g. two stretches of
  // one session: #/compare?a=ID&b=ID&ta=0&tb=60000.
  const ta = params.get('ta'), tb = params.get('tb');
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    setCmp(null);
    if (!a || !b) { setError(new Error('A comparison needs two sessions: #/compare?a=ID&b=ID')); return; }
    Player.compare(a, b, align).then((c) => setCmp(ta !== null || tb !== null
      ? { ...c, align: `${clock(Number(ta) || 0)} / ${clock(Number(tb) || 0)}`, align_a_ms: Math.max(0, Number(ta) || 0), align_b_ms: Math.max(0, Number(tb) || 0) }
      : c), setError);
  };
  useEffect(load, [a, b, align, ta, tb]);

  return (
    <div class="view view-compare" data-compare>
      <header class="view-head">
        <div class="head-left">
          <a class="btn btn-ghost btn-small" href="#/sessions">← Sessions</a>
          <div>
            <h1>Side by side</h1>
            <p class="sub">{ta !== null || tb !== null ? <>Aligned at A {clock(Number(ta) || 0)} and B {clock(Number(tb) || 0)}</>
              : align === 'start' ? 'Aligned at their start' : <>Aligned where each first reached <code>{cmp?.align ?? align}</code></>}</p>
          </div>
        </div>
      </header>
      {error ? <ErrorNotice error={error} onRetry={a && b ? load : undefined} /> : null}
      {!error && !cmp ? <div class="loading">Loading replays…</div> : null}
      {cmp ? <Stages cmp={cmp} /> : null}
    </div>
  );
}

function Stages({ cmp }: { cmp: Comparison }) {
  const sides: Side[] = useMemo(() => {
    const l = Math.max(cmp.align_a_ms, cmp.align_b_ms);
    return [
      { key: 'a', replay: cmp.a, align: cmp.align_a_ms, lead: l - cmp.align_a_ms, dur: durationOf(cmp.a), items: moments(cmp.a.facts ?? null, []) },
      { key: 'b', replay: cmp.b, align: cmp.align_b_ms, lead: l - cmp.align_b_ms, dur: durationOf(cmp.b), items: moments(cmp.b.facts ?? null, []) },
    ];
  }, [cmp]);
  const aligned = Math.max(cmp.align_a_ms, cmp.align_b_ms);
  const total = Math.max(...sides.map((s) => s.lead + s.dur));
  const stages = [useRef<HTMLDivElement>(null), useRef<HTMLDivElement>(null)];
  const players = useRef<(Replayer | null)[]>([null, null]);
  // The shared clock: position `base` at performance time `since`.
  const clk = useRef({ base: aligned, since: 0, playing: false, speed: 1, running: [false, false] });
  const [now, setNow] = useState(aligned);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [times, setTimes] = useState<number[]>([0, 0]);
  const [failed, setFailed] = useState<unknown>(null);

  const sharedNow = () => {
    const c = clk.current;
    return c.playing ? Math.min(total, c.base + (performance.now() - c.since) * c.speed) : c.base;
  };
  const posOf = (i: number, s: number) => Math.max(0, Math.min(sides[i].dur, s - sides[i].lead));
  const inside = (i: number, s: number) => s - sides[i].lead >= 0 && s - sides[i].lead < sides[i].dur;

  // Puts both sides where shared time s says, playing those inside their
  // stretch when the clock runs.
  const apply = (s: number) => {
    const c = clk.current;
    players.current.forEach((r, i) => {
      if (!r) return;
      const run = c.playing && inside(i, s);
      if (run) r.play(posOf(i, s)); else r.pause(posOf(i, s));
      c.running[i] = run;
    });
  };

  useEffect(() => {
    const made: Replayer[] = [];
    try {
      sides.forEach((side, i) => {
        const el = stages[i].current!;
        el.innerHTML = '';
        const r = new Replayer(prepareEvents((side.replay.events ?? []) as any[]) as any, {
          root: el, skipInactive: false, showWarning: false, showDebug: false, triggerFocus: false,
          mouseTail: { strokeStyle: '#6366f1', lineWidth: 2 } as any,
          // Recorded pages may not load anything from the network.
          insertStyleRules: [],
        });
        made.push(r);
        players.current[i] = r;
        const fit = () => {
          const w = Number(r.iframe.width) || side.replay.session.viewport?.w || 1280;
          const h = Number(r.iframe.height) || side.replay.session.viewport?.h || 800;
          const scale = Math.min(el.clientWidth / w, el.clientHeight / h) || 1;
          r.wrapper.style.transform = `scale(${scale})`;
          r.wrapper.style.left = `${Math.max(0, (el.clientWidth - w * scale) / 2)}px`;
        };
        r.on('resize', fit);
        const ro = new ResizeObserver(fit);
        ro.observe(el);
        (r as any).__ro = ro;
        fit();
      });
    } catch (e) {
      setFailed(e);
    }
    apply(clk.current.base);
    let frame = 0;
    const tick = () => {
      const c = clk.current;
      const s = sharedNow();
      if (c.playing) {
        players.current.forEach((r, i) => {
          if (!r) return;
          const want = posOf(i, s);
          const run = inside(i, s);
          if (run && (!c.running[i] || Math.abs(r.getCurrentTime() - want) > DRIFT_MS)) { r.play(want); c.running[i] = true; }
          if (!run && c.running[i]) { r.pause(want); c.running[i] = false; }
        });
        if (s >= total) { c.base = total; c.playing = false; setPlaying(false); apply(total); }
      }
      setNow(s);
      setTimes(players.current.map((r) => (r ? Math.round(Math.max(0, r.getCurrentTime())) : 0)));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      for (const r of made) { (r as any).__ro?.disconnect(); r.destroy(); }
      players.current = [null, null];
    };
  }, [sides]);

  const setPlay = (on: boolean) => {
    const c = clk.current;
    const s = sharedNow();
    c.base = on && s >= total ? 0 : s;
    c.since = performance.now();
    c.playing = on;
    setPlaying(on);
    apply(c.base);
  };
  const seek = (s: number) => {
    const c = clk.current;
    c.base = Math.max(0, Math.min(total, s));
    c.since = performance.now();
    apply(c.base);
    setNow(c.base);
  };
  const changeSpeed = (x: number) => {
    const c = clk.current;
    c.base = sharedNow();
    c.since = performance.now();
    c.speed = x;
    setSpeed(x);
    players.current.forEach((r) => r?.setConfig({ speed: x }));
    apply(c.base);
  };

  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') { e.preventDefault(); setPlay(!clk.current.playing); }
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') { e.preventDefault(); seek(sharedNow() + (e.key === 'ArrowRight' ? 5000 : -5000)); }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  });

  if (failed) return <ErrorNotice error={failed} />;
  if (sides.some((s) => (s.replay.events ?? []).length < 2)) return <Empty title="Nothing to replay">One of the sessions holds fewer than two recorded events.</Empty>;
  return (
    <div class="compare" data-compare-now={Math.round(now)} data-compare-playing={playing ? 'true' : 'false'} data-compare-aligned={aligned}>
      <div class="compare-stages">
        {sides.map((side, i) => (
          <section key={side.key} class="compare-side" data-compare-side={side.key} data-session-id={side.replay.session.id}
            data-time={times[i]} data-align={side.align} data-duration={side.dur}>
            <SideHead session={side.replay.session} align={side.align} aligned={side.align > 0 || cmp.align !== 'start'} label={side.key.toUpperCase()} pos={times[i]} />
            <div class="compare-stage" ref={stages[i]} />
          </section>
        ))}
      </div>
      <div class="compare-controls">
        <button class="btn btn-primary" onClick={() => setPlay(!playing)} data-compare-play aria-label={playing ? 'Pause both' : 'Play both'}>{playing ? 'Pause' : 'Play'}</button>
        <span class="mono small">{clock(now)} / {clock(total)}</span>
        <input class="compare-seek" type="range" min={0} max={total} step={100} value={Math.round(now)} aria-label="Position on the shared timeline"
          onInput={(e) => seek(Number((e.target as HTMLInputElement).value))} data-compare-seek />
        <select class="input" value={String(speed)} onChange={(e) => changeSpeed(Number((e.target as HTMLSelectElement).value))} aria-label="Speed" data-compare-speed>
          {SPEEDS.map((x) => <option key={x} value={String(x)}>{x}×</option>)}
        </select>
      </div>
      <div class="compare-markers">
        {aligned > 0 && <div class="compare-aligned" style={{ left: `${(aligned / total) * 100}%` }} title={`Aligned: ${cmp.align}`} />}
        <div class="markers-now" style={{ left: `${(now / total) * 100}%` }} />
        {sides.map((side) => (
          <div key={side.key} class="compare-row" data-compare-markers={side.key}>
            <span class="compare-row-label">{side.key.toUpperCase()}</span>
            <div class="compare-row-track">
              <div class="compare-span" style={{ left: `${(side.lead / total) * 100}%`, width: `${(side.dur / total) * 100}%` }} />
              {side.items.map((m, k) => (
                <button key={k} class={'marker marker-' + m.kind} style={{ left: `${Math.min(100, ((side.lead + m.at) / total) * 100)}%` }}
                  title={`${side.key.toUpperCase()} ${clock(m.at)} ${kindLabel[m.kind]}: ${m.label}`} onClick={() => seek(side.lead + m.at)} data-marker={m.kind} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

function SideHead({ session: s, align, aligned, label, pos }: { session: Session; align: number; aligned: boolean; label: string; pos: number }) {
  return (
    <div class="compare-head">
      <span class="chip">{label}</span>
      <a class="mono ellipsis" href={sessionLink(s.id, pos)} onClick={(e) => { e.preventDefault(); navigate(sessionLink(s.id, pos)); }} title="Open in the player at this moment">{s.user_id || s.visitor || s.id}</a>
      <span class="muted small">{dateTime(s.started_at)} · {duration(s.duration_ms)}{aligned ? ` · reached at ${clock(align)}` : ''}</span>
    </div>
  );
}
