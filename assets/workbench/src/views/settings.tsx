// Settings: theme, the definitions that turn events into facts, privacy
// facts and where the data lives.
import { useEffect, useState } from 'preact/hooks';
import { DefinitionsView, Settings, SettingsView as Current } from '../api';
import { ErrorNotice } from '../components/notice';
import { RederivePanel, RetentionPanel, SharePanel, WorkspacesPanel } from '../components/tidy';
import { applyTheme, savedTheme, Theme } from '../theme';

const defs: [keyof DefinitionsView, string, string][] = [
  ['rage_clicks', 'Rage click: clicks in a burst', 'clicks'],
  ['rage_radius_px', 'Rage click: radius around the first click', 'px'],
  ['rage_window_ms', 'Rage click: first to last click within', 'ms'],
  ['dead_click_window_ms', 'Dead click: no reaction within', 'ms'],
  ['error_click_window_ms', 'Error click: a JS error within', 'ms'],
  ['quick_back_ms', 'Quick back: previous page again within', 'ms'],
  ['excessive_scroll_reversals', 'Excessive scroll: direction reversals', 'reversals'],
  ['excessive_scroll_window_ms', 'Excessive scroll: within', 'ms'],
  ['session_idle_ms', 'Session ends after inactivity of', 'ms'],
  ['session_max_ms', 'Session ends at most after', 'ms'],
  ['funnel_window_ms', 'Funnel conversion window', 'ms'],
];

export function SettingsView() {
  const [view, setView] = useState<Current | null>(null);
  const [draft, setDraft] = useState<DefinitionsView | null>(null);
  const [theme, setTheme] = useState<Theme>(savedTheme());
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    Settings.get().then((v) => { setView(v); setDraft(v.definitions); }, setError);
  }, []);

  const pickTheme = (t: Theme) => {
    setTheme(t);
    applyTheme(t);
    Settings.setTheme(t).catch(setError);
  };
  const save = (d: DefinitionsView) => {
    setError(null);
    Settings.setDefinitions(d).then((v) => { setDraft(v); setSaved(true); setTimeout(() => setSaved(false), 1500); }, setError);
  };

  return (
    <div class="view">
      <header class="view-head"><div><h1>Settings</h1><p class="sub">Saved in this workspace.</p></div></header>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="settings">
        <section class="panel">
          <div class="panel-title">Appearance</div>
          <div class="tabs" role="radiogroup" aria-label="Theme">
            {(['light', 'dark'] as Theme[]).map((t) => (
              <button key={t} role="radio" aria-checked={theme === t} class={theme === t ? 'tab active' : 'tab'} onClick={() => pickTheme(t)} data-theme-choice={t}>
                {t === 'light' ? 'Light' : 'Dark'}
              </button>
            ))}
          </div>
        </section>
        <section class="panel">
          <div class="panel-title">Definitions</div>
          <p class="muted small">How events become facts. Sessions imported from now on use these values; re-derive below to apply them to the sessions already here.</p>
          {draft && view && (
            <form class="defs" onSubmit={(e) => { e.preventDefault(); save(draft); }}>
              {defs.map(([k, label, unit]) => (
                <label key={k} class="def">
                  <span>{label}</span>
                  <span class="def-input">
                    <input class="input" type="number" min="0" value={String(draft[k])} data-def={k}
                      onInput={(e) => setDraft({ ...draft, [k]: Number((e.target as HTMLInputElement).value) })} />
                    <span class="muted small">{unit}</span>
                  </span>
                  {draft[k] !== view.defaults[k] && <span class="muted small">default {view.defaults[k]}</span>}
                </label>
              ))}
              <div class="row-actions">
                <button class="btn btn-primary" type="submit" data-save-defs>{saved ? 'Saved' : 'Save definitions'}</button>
                <button class="btn" type="button" onClick={() => save(view.defaults)}>Reset to defaults</button>
              </div>
            </form>
          )}
        </section>
        <RederivePanel />
        <RetentionPanel />
        <SharePanel />
        <section class="panel">
          <div class="panel-title">Privacy</div>
          <ul class="facts">
            <li>Every input is masked in the browser before it is recorded; <code>rr-block</code>, <code>rr-mask</code> and <code>loupe-no-capture</code> are honoured.</li>
            <li>No raw IP address is stored: the collector derives a country and drops the address.</li>
            <li>Replays run in a sandboxed frame without scripts, and recorded scripts, event handlers and <code>javascript:</code> links are removed before replay.</li>
            <li>The workbench makes no request off this machine.</li>
          </ul>
        </section>
        <section class="panel">
          <div class="panel-title">Data location</div>
          <code class="mono" data-workspace-path>{view?.workspace ?? '…'}</code>
        </section>
        <WorkspacesPanel />
      </div>
    </div>
  );
}
