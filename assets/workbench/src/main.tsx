import { render } from 'preact';
import './style.css';
import { Settings, Startup } from './api';
import { inWindow, installBrowserShim } from './bridge';
import { App } from './app';
import { interceptLinks, navigate } from './router';
import { applyTheme, savedTheme } from './theme';

installBrowserShim();
interceptLinks();
applyTheme(savedTheme());
// In the window, `loupe open --view` names the first view.
if (inWindow() && (!location.hash || location.hash === '#/')) {
  // The bindings may appear a moment after this script runs.
  const open = (tries: number) => {
    if (!window.go?.desktop?.Startup && tries > 0) { setTimeout(() => open(tries - 1), 100); return; }
    Startup.view().then((v) => { if (v) navigate(v); }, () => {});
  };
  open(30);
}
// #/frame/{id} is one replay frame with no workbench around it (videos).
const frame = location.hash.match(/^#\/frame\/([^?]+)/);
if (frame) {
  import('./views/frame').then(({ FrameView }) => render(<FrameView id={decodeURIComponent(frame[1])} />, document.getElementById('app')!));
} else {
  render(<App />, document.getElementById('app')!);
}
// The workspace remembers the theme too, for a fresh window or browser.
Settings.get().then((v) => {
  if ((v.theme === 'light' || v.theme === 'dark') && v.theme !== document.documentElement.dataset.theme) applyTheme(v.theme);
}, () => {});
