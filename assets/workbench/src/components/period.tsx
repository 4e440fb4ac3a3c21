// The period picker every analysis view shares. The period lives in the
// address (?from=YYYY-MM-DD&to=YYYY-MM-DD, to inclusive) so a reload, a
// link or a move to another view keeps it.
import { useState } from 'preact/hooks';
import { navigate, withParams } from '../router';

/** A period as whole UTC days; "" leaves that end open. */
export interface Period { from: string; to: string }

export function periodOf(params: URLSearchParams): Period {
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  return { from: day(params.get('from')), to: day(params.get('to')) };
}

const dayMS = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const todayUTC = () => Date.parse(iso(Date.now()));

/** The quick choices, computed for today (UTC). */
export function quickPeriods(now = todayUTC()): [string, string, Period][] {
  const d = new Date(now);
  return [
    ['all', 'All time', { from: '', to: '' }],
    ['today', 'Today', { from: iso(now), to: iso(now) }],
    ['7d', 'Last 7 days', { from: iso(now - 6 * dayMS), to: iso(now) }],
    ['30d', 'Last 30 days', { from: iso(now - 29 * dayMS), to: iso(now) }],
    ['month', 'This month', { from: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), to: iso(now) }],
  ];
}

/**
 * periodTimes is the period as RFC 3339 instants, [from, to), for the
 * calls that take times (funnels, insights); open ends are left out.
 */
export function periodTimes(p: Period): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  if (p.from) out.from = `${p.from}T00:00:00Z`;
  if (p.to) out.to = new Date(Date.parse(p.to) + dayMS).toISOString().replace('.000Z', 'Z');
  return out;
}

/** previousPeriod is the period of the same length just before p (both ends needed). */
export function previousPeriod(p: Period): Period | null {
  if (!p.from || !p.to) return null;
  const len = Date.parse(p.to) - Date.parse(p.from) + dayMS;
  return { from: iso(Date.parse(p.from) - len), to: iso(Date.parse(p.from) - dayMS) };
}

/** Says a period in words for a heading. */
export function describePeriod(p: Period): string {
  if (!p.from && !p.to) return 'all time';
  if (p.from === p.to) return p.from;
  if (!p.to) return `since ${p.from}`;
  if (!p.from) return `until ${p.to}`;
  return `${p.from} to ${p.to}`;
}

/** lastDayBefore is the last whole day before an exclusive end time. */
export function lastDayBefore(to: string): string {
  return iso(Date.parse(to) - 1);
}

/** Writes a period into the current address. */
export function setPeriod(p: Period): void {
  navigate(withParams({ from: p.from, to: p.to }));
}

export function PeriodPicker({ value }: { value: Period }) {
  const quick = quickPeriods();
  const match = quick.find(([, , p]) => p.from === value.from && p.to === value.to)?.[0] ?? 'custom';
  const [custom, setCustom] = useState(match === 'custom');
  const choice = custom ? 'custom' : match;
  return (
    <span class="period-picker" data-period={choice} data-from={value.from} data-to={value.to}>
      <select class="input" aria-label="Period" data-period-choice value={choice} onChange={(e) => {
        const v = (e.target as HTMLSelectElement).value;
        if (v === 'custom') { setCustom(true); return; }
        setCustom(false);
        const p = quick.find(([k]) => k === v)?.[2];
        if (p) setPeriod(p);
      }}>
        {quick.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        <option value="custom">Custom…</option>
      </select>
      {choice === 'custom' && (
        <>
          <input class="input" type="date" aria-label="From" data-period-from value={value.from}
            onChange={(e) => setPeriod({ ...value, from: (e.target as HTMLInputElement).value })} />
          <span class="muted small">to</span>
          <input class="input" type="date" aria-label="To" data-period-to value={value.to}
            onChange={(e) => setPeriod({ ...value, to: (e.target as HTMLInputElement).value })} />
        </>
      )}
    </span>
  );
}
