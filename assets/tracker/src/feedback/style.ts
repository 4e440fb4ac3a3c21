// The prompt's look. It lives in a shadow root, so the page's CSS cannot
// reach it and this CSS cannot reach the page. System colours (Canvas,
// CanvasText, GrayText) follow the color-scheme set on the box, which
// matches the page's own background, so the prompt looks native on light
// and dark sites without a palette of its own.

/** CSS inside the shadow root. */
export const CSS =
  "*{box-sizing:border-box;margin:0;font:inherit;color:inherit}" +
  ".box{position:relative;width:min(360px,calc(100vw - 32px));padding:16px;border:1px solid GrayText;border-radius:10px;" +
  "background:Canvas;color:CanvasText;font-size:14px;line-height:1.4;box-shadow:0 6px 24px rgba(0,0,0,.2)}" +
  "p{padding-right:28px;font-weight:600}" +
  ".scale{display:flex;gap:4px;margin:12px 0 4px}" +
  "button{border:1px solid GrayText;border-radius:6px;background:Canvas;cursor:pointer}" +
  ".scale button{flex:1;min-width:0;height:32px;padding:0}" +
  "[aria-checked=true],.send{background:CanvasText;color:Canvas;border-color:CanvasText}" +
  ".ends{display:flex;justify-content:space-between;font-size:12px;opacity:.75}" +
  "label{display:block;margin-top:12px;font-size:13px}" +
  "input{display:block;width:100%;margin-top:4px;padding:6px 8px;border:1px solid GrayText;border-radius:6px;background:Canvas}" +
  ".send{margin-top:12px;padding:6px 16px;font-weight:600}" +
  ".x{position:absolute;top:8px;right:8px;width:28px;height:28px;border:0;background:none;font-size:18px;line-height:1}" +
  ":focus-visible{outline:2px solid CanvasText;outline-offset:2px}";

/** Inline style of the host element: inline !important beats page rules. */
export const HOST_STYLE =
  "all:initial!important;display:block!important;position:fixed!important;right:16px!important;bottom:16px!important;" +
  "z-index:2147483647!important;font-family:inherit!important";

/** Light or dark, from the page's background (or its declared scheme). */
export function pageScheme(win: Window): "light" | "dark" {
  const doc = win.document;
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(win.getComputedStyle(el).backgroundColor);
    if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
      return 0.299 * Number(m[1]) + 0.587 * Number(m[2]) + 0.114 * Number(m[3]) < 128 ? "dark" : "light";
    }
  }
  // Transparent everywhere: the canvas is dark only if the page opted into a dark scheme.
  const declared = win.getComputedStyle(doc.documentElement).colorScheme || "";
  const prefersDark = !!win.matchMedia && win.matchMedia("(prefers-color-scheme: dark)").matches;
  return /dark/.test(declared) && (prefersDark || !/light/.test(declared)) ? "dark" : "light";
}
