import { render } from 'preact';
import 'rrweb-player/dist/style.css';
import './style.css';
import { installBrowserShim } from './bridge';
import { App } from './app';
import { applyTheme, savedTheme } from './theme';

installBrowserShim();
applyTheme(savedTheme());
render(<App />, document.getElementById('app')!);
