// Light/dark theme. The choice is kept in localStorage so the first paint
// already has it; Settings also saves it in the workspace.
export type Theme = 'light' | 'dark';

export function savedTheme(): Theme {
  const t = localStorage.getItem('loupe.theme');
  if (t === 'light' || t === 'dark') return t;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem('loupe.theme', t);
}
