// The bridge to the Go bindings. In the Wails window, window.go.desktop.*
// is defined by the Wails runtime; in browser mode (`loupe serve`) there is
// no window.runtime, so the same names are defined here as fetch calls to
// POST /api/<Struct>/<Method> with a JSON array of arguments.

/** The one error shape that crosses from Go into the UI. */
export class BindingError extends Error {
  constructor(public code: string, message: string) {
    super(message);
    this.name = 'BindingError';
  }
}

type Method = (...args: unknown[]) => Promise<unknown>;
type Bindings = Record<string, Record<string, Method>>;

declare global {
  interface Window {
    go?: { desktop?: Bindings };
    runtime?: unknown;
  }
}

/**
 * True inside the Wails window: its runtime, its bindings or its IPC
 * channel (WebKitGTK's message handler, WebView2's webview) is present,
 * even before the runtime script has defined window.go.
 */
export function inWindow(): boolean {
  if (shimmed) return false;
  const w = window as any;
  return !!(w.runtime || w.go?.desktop || w.webkit?.messageHandlers?.external || w.chrome?.webview);
}

// shimmed is set once browser mode has defined window.go itself, after
// which window.go no longer tells the window apart.
let shimmed = false;

/** Defines window.go.desktop as fetch calls when not inside the window. */
export function installBrowserShim(): void {
  if (inWindow()) return;
  shimmed = true;
  const structs: Bindings = new Proxy({} as Bindings, {
    get(cache, struct: string) {
      if (!(struct in cache)) {
        cache[struct] = new Proxy({} as Record<string, Method>, {
          get(_m, method: string) {
            return (...args: unknown[]) => post(struct, method, args);
          },
        });
      }
      return cache[struct];
    },
  });
  window.go = { desktop: structs };
}

async function post(struct: string, method: string, args: unknown[]): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`./api/${encodeURIComponent(struct)}/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
  } catch (e) {
    throw new BindingError('unavailable', 'The workbench server is not reachable. Is `loupe serve` still running?');
  }
  const text = await res.text();
  if (!res.ok) throw parseError(text, res.status);
  return text ? JSON.parse(text) : null;
}

/** Turns whatever a binding rejected with into a BindingError. */
export function parseError(raw: unknown, status = 0): BindingError {
  if (raw instanceof BindingError) return raw;
  let text = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : JSON.stringify(raw);
  try {
    const obj = typeof raw === 'object' && raw && 'code' in raw ? (raw as any) : JSON.parse(text);
    if (obj && typeof obj.code === 'string') return new BindingError(obj.code, String(obj.message ?? ''));
  } catch {
    /* not JSON: keep the text as the message */
  }
  return new BindingError(status === 404 ? 'not_found' : 'internal', text || 'Something went wrong.');
}

/** Calls Struct.Method on the Go side and normalises errors. */
export async function call<T>(struct: string, method: string, ...args: unknown[]): Promise<T> {
  const fn = window.go?.desktop?.[struct]?.[method];
  if (typeof fn !== 'function') throw new BindingError('not_found', `${struct}.${method} is not available in this build.`);
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    throw parseError(e);
  }
}
