// Side by side: two sessions (or two stretches of one) on one timeline,
// aligned at their start or at the moment each first reached a funnel
// step, played by one control that drives two rrweb Replayers
// (views/pairstages.tsx, shared with the one-file player), and written as
// one HTML file by "Download as file".
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Replayer } from '@rrweb/replay';
import '@rrweb/replay/dist/style.css';
import { Player, Session } from '../api';
import type { Comparison, Replay } from '../api';
import { ErrorNotice, Empty } from '../components/notice';
import { shareFile } from '../components/share';
import { clock, dateTime, duration } from '../format';
import { navigate, sessionLink } from '../router';
import { PairSide, PairStages } from './pairstages';
import { moments } from './timeline';

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
        {cmp ? <DownloadPair cmp={cmp} moments={ta !== null || tb !== null} align={align} /> : null}
      </header>
      {error ? <ErrorNotice error={error} onRetry={a && b ? load : undefined} /> : null}
      {!error && !cmp ? <div class="loading">Loading replays…</div> : null}
      {cmp ? <Stages cmp={cmp} /> : null}
    </div>
  );
}

function sideOf(key: 'a' | 'b', r: Replay, align: number): PairSide {
  return { key, id: r.session.id, events: (r.events ?? []) as any[], viewport: r.session.viewport, align, items: moments(r.facts ?? null, []) };
}

function Stages({ cmp }: { cmp: Comparison }) {
  const pair = useMemo(() => [sideOf('a', cmp.a, cmp.align_a_ms), sideOf('b', cmp.b, cmp.align_b_ms)] as [PairSide, PairSide], [cmp]);
  if (pair.some((s) => s.events.length < 2)) return <Empty title="Nothing to replay">One of the sessions holds fewer than two recorded events.</Empty>;
  const session = (side: PairSide) => (side.key === 'a' ? cmp.a : cmp.b).session;
  return (
    <PairStages replayer={Replayer} pair={pair} alignLabel={cmp.align} failure={(e) => <ErrorNotice error={e} />}
      head={(side, pos) => <SideHead session={session(side)} align={side.align} aligned={side.align > 0 || cmp.align !== 'start'} label={side.key.toUpperCase()} pos={pos} />} />
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

/** Writes the comparison, as aligned on screen, as one HTML file that plays offline. */
function DownloadPair({ cmp, moments: chosen, align }: { cmp: Comparison; moments: boolean; align: string }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = () => {
    setBusy(true); setDone(''); setError(null);
    shareFile(chosen
      ? { compare: [cmp.a.session.id, cmp.b.session.id], align: 'moments', align_a_ms: cmp.align_a_ms, align_b_ms: cmp.align_b_ms }
      : { compare: [cmp.a.session.id, cmp.b.session.id], align })
      .then(setDone, setError).finally(() => setBusy(false));
  };
  return (
    <div class="share-action">
      <button class="btn" onClick={run} disabled={busy} data-compare-download title="One HTML file that plays both replays side by side, offline">{busy ? 'Building…' : 'Download as file'}</button>
      {done && <div class="muted small" data-share-done>{done}</div>}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
