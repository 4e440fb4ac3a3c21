// The workbench shell: a left navigation, the current view by hash
// address, global keyboard shortcuts and the shortcuts sheet.
import { useEffect, useState } from 'preact/hooks';
import { scopeParams, useRoute } from './router';
import { periodOf } from './components/period';
import { Icon, Logo } from './components/icons';
import { Shortcuts } from './components/shortcuts';
import { SessionsView } from './views/sessions';
import { SegmentsView } from './views/segments';
import { SyncView } from './views/sync';
import { SettingsView } from './views/settings';
import { AlertsView } from './views/alerts';
import { AlertToasts, useAlertWatch } from './components/alertwatch';
import { lazyView } from './components/lazy';
import { typing } from './keys';

// Views with heavy libraries (rrweb's replayer, echarts) load on first use.
const PlayerView = lazyView(() => import('./views/player').then((m) => m.PlayerView));
const FunnelsView = lazyView(() => import('./views/funnels').then((m) => m.FunnelsView));
const HeatmapsView = lazyView(() => import('./views/heatmaps').then((m) => m.HeatmapsView));
const DashboardsView = lazyView(() => import('./views/dashboards').then((m) => m.DashboardsView));
const InsightsView = lazyView(() => import('./views/insights').then((m) => m.InsightsView));
const FeedbackView = lazyView(() => import('./views/feedback').then((m) => m.FeedbackView));
const CompareView = lazyView(() => import('./views/compare').then((m) => m.CompareView));

const nav: [string, string][] = [
  ['dashboards', 'Dashboards'],
  ['sessions', 'Sessions'],
  ['funnels', 'Funnels'],
  ['heatmaps', 'Heatmaps'],
  ['segments', 'Segments'],
  ['insights', 'Insights'],
  ['feedback', 'Feedback'],
  ['alerts', 'Alerts'],
  ['sync', 'Sync'],
  ['settings', 'Settings'],
];

// The analysis views share the analyst's scope (period and segment): a
// move between them keeps it.
const scoped = new Set(['dashboards', 'sessions', 'funnels', 'heatmaps', 'insights']);

function navHref(view: string, params: URLSearchParams): string {
  if (!scoped.has(view)) return `#/${view}`;
  const carry = new URLSearchParams();
  for (const k of scopeParams) {
    const v = params.get(k);
    if (v) carry.set(k, v);
  }
  const q = carry.toString();
  return `#/${view}` + (q ? `?${q}` : '');
}

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const alerts = useAlertWatch();

  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setHelp(false);
        if (typing(e)) (e.target as HTMLElement).blur();
        return;
      }
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);

  useEffect(() => setHelp(false), [location.hash]);

  return (
    <div class="shell">
      <nav class="nav" aria-label="Views">
        <a class="brand" href="#/dashboards"><Logo /><span>Loupe</span></a>
        {nav.map(([view, label]) => (
          <a key={view} href={navHref(view, route.params)} class={'nav-item' + (route.view === view ? ' active' : '')} data-view={view}>
            <Icon name={view} />
            <span>{label}</span>
            {view === 'alerts' && alerts.unseen > 0 && (
              <span class="nav-badge" data-unseen={alerts.unseen} aria-label={`${alerts.unseen} unseen alerts`}>{alerts.unseen}</span>
            )}
          </a>
        ))}
        <div class="nav-foot">
          <button class="btn btn-ghost btn-small" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
            <kbd>?</kbd> Shortcuts
          </button>
        </div>
      </nav>
      <main class="main" data-route={route.view}>
        <View route={route} />
      </main>
      {help && <Shortcuts onClose={() => setHelp(false)} />}
      <AlertToasts toasts={alerts.toasts} onDismiss={alerts.dismiss} settled={alerts.settled} />
    </div>
  );
}

// withoutPeriod keys the funnel builder by everything in its address but
// the period, so picking a period reruns the funnel without rebuilding it.
function withoutPeriod(params: URLSearchParams): string {
  const p = new URLSearchParams(params);
  p.delete('from');
  p.delete('to');
  return p.toString();
}

function View({ route }: { route: ReturnType<typeof useRoute> }) {
  switch (route.view) {
    case 'sessions':
      return route.id ? <PlayerView key={route.id + ':' + (route.params.get('item') ?? '')} id={route.id} at={Number(route.params.get('t') ?? '') || 0} present={route.params.get('present') === '1'} playlist={(route.params.get('playlist') ?? '').split(',').filter(Boolean)} list={route.params.get('list') ?? ''} item={Number(route.params.get('item') ?? '') || 0} /> : <SessionsView segment={route.params.get('segment') ?? ''} period={periodOf(route.params)} />;
    case 'compare':
      return <CompareView key={route.params.toString()} params={route.params} />;
    case 'funnels':
      return <FunnelsView key={withoutPeriod(route.params)} params={route.params} period={periodOf(route.params)} />;
    case 'heatmaps':
      return <HeatmapsView page={route.params.get('page') ?? ''} segment={route.params.get('segment') ?? ''} period={periodOf(route.params)} />;
    case 'segments':
      return <SegmentsView />;
    case 'dashboards':
      return <DashboardsView period={periodOf(route.params)} />;
    case 'insights':
      return <InsightsView key={route.params.getAll('step').join('\n')} segment={route.params.get('segment') ?? ''} period={periodOf(route.params)} steps={route.params.getAll('step')} />;
    case 'feedback':
      return <FeedbackView />;
    case 'alerts':
      return <AlertsView />;
    case 'sync':
      return <SyncView />;
    case 'settings':
      return <SettingsView />;
  }
  return (
    <div class="view">
      <div class="notice notice-error" role="alert"><strong>Unknown address</strong><span>There is no view at #/{route.view}.</span></div>
    </div>
  );
}
