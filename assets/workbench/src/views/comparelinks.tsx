// The ways into a side-by-side comparison from other views: a drop-off's
// "Compare with a converter" in the funnels view, and picking two rows in
// the sessions list. Kept apart from the comparison view itself so these
// views do not load the replayer.
import { useState } from 'preact/hooks';
import { Funnels } from '../api';
import type { FunnelQuery } from '../api';
import { navigate } from '../router';

/** The address of a side-by-side view of sessions a and b aligned at align ("start" or a funnel step). */
export function compareLink(a: string, b: string, align = 'start'): string {
  return `#/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}&align=${encodeURIComponent(align || 'start')}`;
}

/**
 * Opens a drop-off beside a session that went through the whole funnel,
 * both aligned where they last agreed: the step the drop-off reached.
 */
export function CompareWithConverter({ query, step, dropped }: { query: FunnelQuery; step: number; dropped: string }) {
  const [none, setNone] = useState<string | null>(null);
  const open = () => Funnels.convertedSessions(query, 1).then((ids) => {
    const conv = (ids ?? []).find((id) => id !== dropped);
    if (!conv) { setNone('No session went through every step.'); return; }
    navigate(compareLink(conv, dropped, (query.steps ?? [])[step]));
  }, (e) => setNone(String(e?.message ?? e)));
  return (
    <>
      <button class="btn btn-ghost btn-small" onClick={open} title="Watch this drop-off beside a session that converted, both at this step" data-compare-converter={dropped}>Compare with a converter</button>
      {none ? <span class="muted small" role="status">{none}</span> : null}
    </>
  );
}

/**
 * Picking two sessions in the list to compare: while picking, a click on
 * a row selects it instead of opening it; the second pick opens the view.
 */
export function useComparePick() {
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const onClickCapture = (e: MouseEvent) => {
    if (!picking) return;
    const row = (e.target as Element | null)?.closest?.('[data-session]');
    const id = row?.getAttribute('data-session');
    if (!id) return;
    e.preventDefault();
    e.stopPropagation();
    const next = picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id];
    if (next.length === 2) { setPicking(false); setPicked([]); navigate(compareLink(next[0], next[1])); return; }
    setPicked(next);
  };
  const bar = (
    <div class="compare-pick" data-compare-pick>
      <button class={'btn' + (picking ? ' btn-primary' : '')} aria-pressed={picking} data-compare-pick-toggle
        onClick={() => { setPicking(!picking); setPicked([]); }} title="Pick two sessions to watch side by side">
        {picking ? `Cancel compare (${picked.length}/2)` : 'Compare…'}
      </button>
      {picking ? <span class="muted small">{picked.length ? 'Pick a second session' : 'Pick two sessions'}</span> : null}
      {/* Marks the picked rows; the list's rows are not ours to restyle. */}
      {picked.length ? <style>{picked.map((id) => `[data-session="${CSS.escape(id)}"]`).join(',') + '{outline:2px solid var(--accent);outline-offset:-2px}'}</style> : null}
    </div>
  );
  return { onClickCapture, bar };
}
