// Alerts: rules on a metric (sessions, funnel conversion, error rate,
// rage-click rate, sessions in a segment) with a threshold or a change
// versus the previous period, checked after every sync and on a schedule;
// the history of what fired and resolved; and the switch for system
// notifications in the browser.
import { useEffect, useState } from 'preact/hooks';
import { AlertEntry, AlertRule, AlertRuleView, Alerts, SavedSegment, Segments } from '../api';
import { pokeAlerts, systemNotifications, toastedUpTo } from '../components/alertwatch';
import { Empty, ErrorNotice } from '../components/notice';
import { dateTime } from '../format';

const metrics: [string, string][] = [
  ['sessions', 'Sessions'], ['conversion', 'Funnel conversion (%)'], ['error_rate', 'Error rate (%)'],
  ['rage_rate', 'Rage-click rate (%)'], ['segment_count', 'Sessions in a segment'],
];
const conditions: [string, string][] = [
  ['above', 'is above'], ['below', 'is below'], ['rises_by', 'rises by (% vs previous period)'], ['falls_by', 'falls by (% vs previous period)'],
];
const periods: [number, string][] = [[1, 'hour'], [6, '6 hours'], [24, 'day'], [168, '7 days'], [720, '30 days'], [8760, 'year']];

// The rule being edited: every field the form shows is set.
type RuleForm = AlertRule & Required<Pick<AlertRule, 'name' | 'metric' | 'condition' | 'threshold' | 'enabled'>>;

const blank: RuleForm = { name: '', metric: 'sessions', segment: '', funnel: [], condition: 'above', threshold: 0, period: '24h', enabled: true };

/** Hours in a Go duration such as "24h0m0s" or "90m". */
export function periodHours(p?: string): number {
  if (!p) return 24;
  const h = /(\d+)h/.exec(p);
  const m = /(\d+)m(?!s)/.exec(p);
  return (h ? Number(h[1]) : 0) + (m ? Number(m[1]) / 60 : 0) || 24;
}

function describe(r: RuleForm): string {
  const metric = metrics.find(([m]) => m === r.metric)?.[1] ?? r.metric;
  const cond = conditions.find(([c]) => c === r.condition)?.[1] ?? r.condition;
  const unit = r.condition === 'rises_by' || r.condition === 'falls_by' || r.metric.endsWith('rate') || r.metric === 'conversion' ? '%' : '';
  const hours = periodHours(r.period);
  const over = periods.find(([h]) => h === hours)?.[1] ?? `${hours} hours`;
  const scope = [r.funnel?.length ? r.funnel.join(' → ') : '', r.segment ? `in ${r.segment}` : ''].filter(Boolean).join(' ');
  return `${metric}${scope ? ` (${scope})` : ''} ${cond.replace(/ \(.*\)/, '')} ${r.threshold}${unit} over the last ${over}`;
}

export function AlertsView() {
  const [rules, setRules] = useState<AlertRuleView[] | null>(null);
  const [history, setHistory] = useState<AlertEntry[]>([]);
  const setHistoryList = (h: AlertEntry[] | null) => setHistory(h ?? []);
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  const [form, setForm] = useState<RuleForm>(blank);
  const [steps, setSteps] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState<string>('');
  const [permission, setPermission] = useState(systemNotifications());

  const loadHistory = () => Alerts.history(100).then(setHistoryList, setError);
  useEffect(() => {
    Alerts.rules().then(setRules, setError);
    Segments.saved().then((s) => setSegments(s ?? []), () => {});
    // Opening the view counts as seeing what was already announced.
    Alerts.history(100).then((list) => {
      const h = list ?? [];
      setHistory(h);
      const mark = toastedUpTo();
      if (h.some((x) => x.kind === 'fired' && !x.seen && x.id <= mark)) Alerts.markSeen(mark).then(() => { loadHistory(); pokeAlerts(); }, () => {});
    }, setError);
  }, []);

  const edit = (r: AlertRuleView) => {
    setForm({ ...r, period: `${periodHours(r.period)}h` });
    setSteps((r.funnel ?? []).join('\n'));
    setError(null);
  };
  const save = () => {
    setError(null);
    const rule: AlertRule = {
      ...form, name: form.name.trim(), threshold: Number(form.threshold),
      funnel: form.metric === 'conversion' ? steps.split(/\n|,/).map((s) => s.trim()).filter(Boolean) : [],
      segment: (form.segment ?? '').trim(),
    };
    Alerts.save(rule).then((r) => { setRules(r); setForm(blank); setSteps(''); }, setError);
  };
  const check = () => {
    setError(null);
    setChecked('Checking…');
    Alerts.check().then((list) => {
      const fired = list ?? [];
      setChecked(fired.length ? `${fired.length} alert${fired.length > 1 ? 's' : ''} fired.` : 'Checked: nothing new.');
      Alerts.rules().then(setRules, setError);
      loadHistory();
      pokeAlerts();
    }, (e) => { setChecked(''); setError(e); });
  };
  const markSeen = () => {
    const top = history[0]?.id;
    if (top) Alerts.markSeen(top).then(() => { loadHistory(); pokeAlerts(); }, setError);
  };
  const allow = () => {
    if (typeof Notification === 'undefined') return;
    Notification.requestPermission().then((p) => setPermission(p), () => {});
  };
  const set = (patch: Partial<RuleForm>) => setForm({ ...form, ...patch });
  const unseen = history.filter((h) => h.kind === 'fired' && !h.seen).length;

  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>Alerts</h1>
          <p class="sub">Rules are checked after every sync and every 5 minutes while Loupe runs; each fires once when its condition starts to hold.</p>
        </div>
        <div class="form-row">
          {permission === 'default' && <button class="btn" onClick={allow} data-allow-notifications>Allow system notifications</button>}
          {permission === 'granted' && <span class="muted small">System notifications on</span>}
          {permission === 'denied' && <span class="muted small">System notifications are blocked in this browser</span>}
          {permission === 'window' && <span class="muted small">Alerts also appear as desktop notifications</span>}
          <button class="btn btn-primary" onClick={check} disabled={!rules?.length} data-check-alerts>Check now</button>
        </div>
      </header>
      {error ? <ErrorNotice error={error} /> : null}
      {checked && <div class="muted small" data-checked>{checked}</div>}
      <div class="grid-2 alerts-layout">
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Rules</div>
            {rules === null ? <div class="muted small">Loading…</div> : rules.length === 0 ? <Empty title="No rules yet">Describe what should raise an alert in the form.</Empty> : (
              <ul class="rules" data-rules>
                {rules.map((r) => (
                  <li key={r.id} data-rule={r.name}>
                    <label class="check" title={r.enabled ? 'Switch off' : 'Switch on'}>
                      <input type="checkbox" checked={r.enabled} aria-label={`${r.name} enabled`}
                        onChange={(e) => Alerts.setEnabled(r.id ?? 0, (e.target as HTMLInputElement).checked).then(setRules, setError)} />
                    </label>
                    <div>
                      <div><strong>{r.name}</strong> {r.firing && <span class="badge badge-fired">firing</span>}</div>
                      <div class="muted rule-desc">{describe(r)}</div>
                    </div>
                    <span>
                      <button class="btn btn-ghost btn-small" onClick={() => edit(r)}>Edit</button>
                      <button class="btn btn-ghost btn-small" aria-label={`Delete ${r.name}`}
                        onClick={() => Alerts.delete(r.id ?? 0).then((x) => { setRules(x); loadHistory(); pokeAlerts(); }, setError)}>✕</button>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div class="panel">
            <div class="panel-title" style={{ display: 'flex', justifyContent: 'space-between' }}>
              <span>History</span>
              {unseen > 0 && <button class="btn btn-ghost btn-small" onClick={markSeen} data-mark-seen>Mark all as seen</button>}
            </div>
            {history.length === 0 ? <div class="muted small">Nothing has fired yet.</div> : (
              <ul class="history" data-history>
                {history.map((h) => (
                  <li key={h.id} class={h.kind === 'fired' && !h.seen ? 'unseen' : ''} data-history-kind={h.kind}>
                    <span class={'badge badge-' + h.kind}>{h.kind}</span>
                    <span>{h.message}</span>
                    <span class="muted small" title={`checked by ${h.trigger}`}>{dateTime(h.at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <form class="panel" onSubmit={(e) => { e.preventDefault(); save(); }} data-rule-form>
          <div class="panel-title">{form.id ? 'Edit rule' : 'New rule'}</div>
          <label class="field">Name
            <input class="input" value={form.name} placeholder="e.g. Checkout conversion drops" onInput={(e) => set({ name: (e.target as HTMLInputElement).value })} data-rule-name />
          </label>
          <label class="field">Metric
            <select class="input" value={form.metric} onChange={(e) => set({ metric: (e.target as HTMLSelectElement).value })} data-rule-metric>
              {metrics.map(([m, l]) => <option key={m} value={m}>{l}</option>)}
            </select>
          </label>
          {form.metric === 'conversion' && (
            <label class="field">Funnel steps, one a line
              <textarea class="input mono" rows={3} value={steps} placeholder={'page:/cart*\npage:/checkout*\npage:/thanks*'} onInput={(e) => setSteps((e.target as HTMLTextAreaElement).value)} data-rule-steps />
            </label>
          )}
          <label class="field">Segment {form.metric === 'segment_count' ? '' : '(optional)'}
            <input class="input mono" list="alert-segments" value={form.segment} placeholder='device = mobile' onInput={(e) => set({ segment: (e.target as HTMLInputElement).value })} data-rule-segment />
            <datalist id="alert-segments">{segments.map((s) => <option key={s.name} value={s.text}>{s.name}</option>)}</datalist>
          </label>
          <label class="field">Condition
            <select class="input" value={form.condition} onChange={(e) => set({ condition: (e.target as HTMLSelectElement).value })} data-rule-condition>
              {conditions.map(([c, l]) => <option key={c} value={c}>{l}</option>)}
            </select>
          </label>
          <div class="form-row">
            <label class="field">Threshold
              <input class="input" type="number" step="any" style={{ width: '110px' }} value={String(form.threshold)} onInput={(e) => set({ threshold: Number((e.target as HTMLInputElement).value) })} data-rule-threshold />
            </label>
            <label class="field grow">Over the last
              <select class="input" value={String(periodHours(form.period))} onChange={(e) => set({ period: `${(e.target as HTMLSelectElement).value}h` })} data-rule-period>
                {periods.map(([h, l]) => <option key={h} value={String(h)}>{l}</option>)}
              </select>
            </label>
          </div>
          <label class="check"><input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })} /> Enabled</label>
          <div class="form-row" style={{ marginTop: '10px' }}>
            <button class="btn btn-primary" type="submit" disabled={!form.name.trim()} data-save-rule>{form.id ? 'Save rule' : 'Add rule'}</button>
            {form.id ? <button class="btn btn-ghost" type="button" onClick={() => { setForm(blank); setSteps(''); }}>Cancel</button> : null}
          </div>
        </form>
      </div>
    </div>
  );
}
