// Loads a view's code on first use, so the sessions list does not wait for
// the player, the heatmap replayer or the chart library.
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { ErrorNotice } from './notice';

export function lazyView<P extends object>(load: () => Promise<FunctionComponent<P>>): FunctionComponent<P> {
  let loaded: FunctionComponent<P> | null = null;
  let pending: Promise<FunctionComponent<P>> | null = null;
  return (props: P) => {
    const [, setReady] = useState(0);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then((c) => { loaded = c; setReady(1); }, setError);
    }, []);
    if (error) return <div class="view"><ErrorNotice error={error} /></div>;
    if (!loaded) return <div class="loading">Loading…</div>;
    const C = loaded;
    return <C {...props} />;
  };
}
