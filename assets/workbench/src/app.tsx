// The workbench shell: a left navigation, the current view by hash
// address, global keyboard shortcuts and the shortcuts sheet.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from './router';
import { Icon, Logo } from './components/icons';
import { Shortcuts } from './components/shortcuts';
import { SessionsView } from './views/sessions';
import { PlayerView } from './views/player';
import { FunnelsView } from './views/funnels';
import { HeatmapsView } from './views/heatmaps';
import { SegmentsView } from './views/segments';
import { DashboardsView } from './views/dashboards';
import { InsightsView } from './views/insights';
import { SyncView } from './views/sync';
import { SettingsView } from './views/settings';

const nav: [string, string][] = [
  ['dashboards', 'Dashboards'],
  ['sessions', 'Sessions'],
  ['funnels', 'Funnels'],
  ['heatmaps', 'Heatmaps'],
  ['segments', 'Segments'],
  ['insights', 'Insights'],
  ['sync', 'Sync'],
  ['settings', 'Settings'],
];

/** True when a key press belongs to a text field, not to the shortcuts. */
export function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);

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
          <a key={view} href={`#/${view}`} class={'nav-item' + (route.view === view ? ' active' : '')} data-view={view}>
            <Icon name={view} />
            <span>{label}</span>
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
    </div>
  );
}

function View({ route }: { route: ReturnType<typeof useRoute> }) {
  switch (route.view) {
    case 'sessions':
      return route.id ? <PlayerView key={route.id} id={route.id} at={Number(route.params.get('t') ?? '') || 0} /> : <SessionsView segment={route.params.get('segment') ?? ''} />;
    case 'funnels':
      return <FunnelsView />;
    case 'heatmaps':
      return <HeatmapsView page={route.params.get('page') ?? ''} />;
    case 'segments':
      return <SegmentsView />;
    case 'dashboards':
      return <DashboardsView />;
    case 'insights':
      return <InsightsView />;
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
