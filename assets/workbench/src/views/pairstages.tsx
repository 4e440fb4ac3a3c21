// Two rrweb Replayers on one clock: the stages, shared controls and both
// marker rows of the side-by-side view, used by the workbench's compare
// view and by the one-file player's side-by-side mode alike.
//
// The shared clock runs in shared time s: each side sits `lead` ms after
// the timeline's start, so at s = max(align) both are at their aligned
// moment. A side before its lead shows its first frame, after its end its
// last. Each Replayer plays on its own timer; the loop below re-seeks a side
// that drifts from the shared clock, so the two stay aligned.
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Replayer } from '@rrweb/replay';
import './compare.css';
import { clock } from '../format';
import { typing } from '../keys';
import { prepareEvents } from '../replay';
import { Moment, kindLabel } from './timeline';

// A side more than this far from the shared clock is re-seeked.
const DRIFT_MS = 200;
const SPEEDS = [1, 2, 4, 8];

/**
 * The Replayer class to play with, passed in so the one-file player can
 * use the copy rrweb-player already carries rather than ship a second.
 */
export type ReplayerClass = typeof Replayer;

/** One side of a comparison: its events, the moment that lines up, its markers. */
export interface PairSide {
  key: 'a' | 'b';
  id: string;
  events: any[];
  viewport?: { w: number; h: number };
  align: number;
  items: Moment[];
}

interface Placed extends PairSide { lead: number; dur: number }

function durationOf(ev: any[]): number {
  return ev.length > 1 ? ev[ev.length - 1].timestamp - ev[0].timestamp : 0;
}

/** The two stages under one clock; head renders a side's heading at its position. */
export function PairStages({ replayer, pair, alignLabel, head, failure }: {
  replayer: ReplayerClass;
  pair: [PairSide, PairSide];
  alignLabel: string;
  head: (side: PairSide, pos: number) => ComponentChildren;
  failure: (error: unknown) => VNode;
}) {
  const sides: Placed[] = useMemo(() => {
    const l = Math.max(pair[0].align, pair[1].align);
    return pair.map((p) => ({ ...p, lead: l - p.align, dur: durationOf(p.events) }));
  }, [pair]);
  const aligned = Math.max(pair[0].align, pair[1].align);
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
        const r = new replayer(prepareEvents(side.events) as any, {
          root: el, skipInactive: false, showWarning: false, showDebug: false, triggerFocus: false,
          mouseTail: { strokeStyle: '#6366f1', lineWidth: 2 } as any,
          // Recorded pages may not load anything from the network.
          insertStyleRules: [],
        });
        made.push(r);
        players.current[i] = r;
        const fit = () => {
          const w = Number(r.iframe.width) || side.viewport?.w || 1280;
          const h = Number(r.iframe.height) || side.viewport?.h || 800;
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

  if (failed) return failure(failed);
  return (
    <div class="compare" data-compare-now={Math.round(now)} data-compare-playing={playing ? 'true' : 'false'} data-compare-aligned={aligned}>
      <div class="compare-stages">
        {sides.map((side, i) => (
          <section key={side.key} class="compare-side" data-compare-side={side.key} data-session-id={side.id}
            data-time={times[i]} data-align={side.align} data-lead={side.lead} data-duration={side.dur}>
            {head(side, times[i])}
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
        {aligned > 0 && <div class="compare-aligned" style={{ left: `${(aligned / total) * 100}%` }} title={`Aligned: ${alignLabel}`} />}
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
