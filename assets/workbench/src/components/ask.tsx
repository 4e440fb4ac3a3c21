// "Describe the sessions…": a sentence read by Go against the workspace's
// own vocabulary. The reading is shown with the words it did not
// understand marked; a segment goes to the caller, a question opens the
// view that answers it.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { Ask, AskReading } from '../api';
import { navigate } from '../router';
import { ErrorNotice } from './notice';
import { lastDayBefore } from './period';
import { count } from '../format';

/** Splits a sentence into runs, marking the ones Go did not understand. */
export function markUnknown(sentence: string, unknown: string[] | null): { text: string; unknown: boolean }[] {
  const out: { text: string; unknown: boolean }[] = [];
  let rest = sentence;
  for (const word of unknown ?? []) {
    const at = rest.toLowerCase().indexOf(word.toLowerCase());
    if (at < 0) continue;
    if (at > 0) out.push({ text: rest.slice(0, at), unknown: false });
    out.push({ text: rest.slice(at, at + word.length), unknown: true });
    rest = rest.slice(at + word.length);
  }
  if (rest) out.push({ text: rest, unknown: false });
  return out;
}

const viewNames: Record<string, string> = { funnels: 'Funnels', heatmaps: 'Heatmaps', insights: 'Insights' };

export function AskBox({ onSegment, placeholder }: { onSegment: (segment: string, reading: AskReading) => void; placeholder?: string }) {
  const [sentence, setSentence] = useState('');
  const [asked, setAsked] = useState('');
  const [reading, setReading] = useState<AskReading | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const read = () => {
    const s = sentence.trim();
    if (!s) return;
    setBusy(true);
    setError(null);
    Ask.read(s).then((r) => {
      setReading(r);
      setAsked(s);
      if (r.route) navigate(r.route);
      else onSegment(r.segment, r);
    }, (e) => { setReading(null); setError(e); }).finally(() => setBusy(false));
  };
  const routeView = reading?.route?.replace(/^#\/([a-z]+).*$/, '$1') ?? '';

  return (
    <div class="ask" data-ask>
      <form class="ask-row" onSubmit={(e) => { e.preventDefault(); read(); }}>
        <input class="input" value={sentence} placeholder={placeholder ?? 'Describe the sessions… e.g. mobile users from Germany who reached checkout but did not pay'}
          aria-label="Describe the sessions" onInput={(e) => setSentence((e.target as HTMLInputElement).value)} data-ask-input />
        <button class="btn btn-primary" type="submit" disabled={busy || !sentence.trim()} data-ask-go>{busy ? 'Reading…' : 'Read'}</button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {reading && (
        <div class="ask-reading" data-ask-reading>
          <div class="ask-sentence">
            “{markUnknown(asked, reading.unknown).map((p, i) => p.unknown ? <mark key={i} title="Not understood" data-unknown>{p.text}</mark> : <span key={i}>{p.text}</span>)}”
          </div>
          <div data-ask-says>{reading.reading}</div>
          {(reading.unknown ?? []).length > 0 && (
            <div class="muted small">Not understood, so left out: {(reading.unknown ?? []).map((w, i) => <Code key={i}>{w}</Code>)}</div>
          )}
          {reading.route
            ? <div class="muted small">Opened in {viewNames[routeView] ?? routeView}.</div>
            : <div class="muted small">{reading.segment ? <>Segment: <code>{reading.segment}</code> · </> : null}{reading.range ? <>{reading.range.from.slice(0, 10)} to {lastDayBefore(reading.range.to)} · </> : null}{count(reading.count)} of {count(reading.total)} sessions
                {' '}<a href={sessionsLink(reading)} data-ask-open>Open these sessions →</a></div>}
        </div>
      )}
    </div>
  );
}

// sessionsLink opens the sessions list on the reading: its segment and the
// period it named.
function sessionsLink(r: AskReading): string {
  const p = new URLSearchParams();
  if (r.segment) p.set('segment', r.segment);
  if (r.range) { p.set('from', r.range.from.slice(0, 10)); p.set('to', lastDayBefore(r.range.to)); }
  const q = p.toString();
  return '#/sessions' + (q ? `?${q}` : '');
}

function Code({ children }: { children: ComponentChildren }) {
  return <><code>{children}</code>{' '}</>;
}
