// Paints heatmap layers on a canvas laid over the rebuilt page: clicks and
// movement as a heat field, scroll depth as bands. Points are placed on
// their element when the replayed page has it (so a click lands on the
// button at any viewport width), else scaled from their viewport.
import type { HeatmapData, HeatPoint } from '../api';

/** Maps 0..1 to a cold→hot colour ramp. */
export function ramp(v: number): [number, number, number] {
  const stops: [number, number, number, number][] = [
    [0, 59, 130, 246], [0.35, 34, 197, 94], [0.6, 250, 204, 21], [0.8, 249, 115, 22], [1, 220, 38, 38],
  ];
  const t = Math.max(0, Math.min(1, v));
  for (let i = 1; i < stops.length; i++) {
    if (t <= stops[i][0]) {
      const [a, b] = [stops[i - 1], stops[i]];
      const k = (t - a[0]) / (b[0] - a[0]);
      return [a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k, a[3] + (b[3] - a[3]) * k].map(Math.round) as [number, number, number];
    }
  }
  return [220, 38, 38];
}

/** Where a point lands on the rebuilt page, in page pixels. boxes keeps
 * each selector's element box: the page is still while a layer is
 * painted, and a box looked up per point was most of a busy layer. */
export function place(p: HeatPoint, width: number, doc: Document | null, boxes: Map<string, DOMRect | null>): [number, number] {
  if (doc && p.selector && p.rel_x >= 0 && p.rel_y >= 0) {
    let r = boxes.get(p.selector);
    if (r === undefined) {
      let el: Element | null = null;
      try { el = doc.querySelector(p.selector); } catch { el = null; }
      r = el ? el.getBoundingClientRect() : null;
      boxes.set(p.selector, r);
    }
    if (r && r.width > 0 && r.height > 0) return [r.left + p.rel_x * r.width, r.top + p.rel_y * r.height];
  }
  const k = p.vw > 0 ? width / p.vw : 1;
  return [p.x * k, p.y];
}

/** The most points a layer stamps: drawing a stamp costs about 5 µs in a
 * browser without a GPU, and a busy page has hundreds of thousands of
 * clicks (1.5 s of painting for 196,746). */
const MAX_STAMPS = 60_000;

/** One point's heat: a radial fade from opaque to clear, drawn once and
 * stamped at every point (a gradient made per point took seconds for the
 * hundreds of thousands of clicks of a busy page). */
function stamp(radius: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = c.height = radius * 2;
  const ctx = c.getContext('2d')!;
  const g = ctx.createRadialGradient(radius, radius, 0, radius, radius, radius);
  g.addColorStop(0, 'rgba(0,0,0,1)');
  g.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, radius * 2, radius * 2);
  return c;
}

/** Draws the layer for data onto canvas (sized width × height page px). */
export function paint(canvas: HTMLCanvasElement, data: HeatmapData, doc: Document | null): number {
  const w = canvas.width, h = canvas.height;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, w, h);
  if (data.kind === 'scroll') return paintScroll(ctx, data, w, h);
  const pts = data.points ?? [];
  if (!pts.length) return 0;
  // The field is built at half the page's resolution and drawn scaled
  // up: it is a blur anyway, and a stamp then covers a quarter of the
  // pixels (stamping was most of a busy layer's time).
  const half = document.createElement('canvas');
  half.width = Math.ceil(w / 2);
  half.height = Math.ceil(h / 2);
  const hctx = half.getContext('2d')!;
  const radius = data.kind === 'move' ? 9 : 13;
  const boxes = new Map<string, DOMRect | null>();
  // Accumulate intensity in the alpha channel, then colour it.
  const heat = stamp(radius);
  const strength = Math.max(0.04, Math.min(0.5, 6 / Math.sqrt(pts.length)));
  // Past MAX_STAMPS points an even sample is stamped, each stamp standing
  // for `per` points: k stamps of alpha s laid on one spot darken it to
  // 1 - (1 - s)^k, so one of that alpha keeps the field as it was.
  const per = Math.max(1, pts.length / MAX_STAMPS);
  hctx.globalAlpha = 1 - Math.pow(1 - strength, per);
  for (let i = 0; i < pts.length; i += per) {
    const [x, y] = place(pts[Math.floor(i)], w, doc, boxes);
    hctx.drawImage(heat, x / 2 - radius, y / 2 - radius);
  }
  hctx.globalAlpha = 1;
  // Colour by a table of the 256 alpha values: the ramp per pixel of a
  // tall page was millions of small arrays.
  const colours = new Uint8ClampedArray(256 * 4);
  for (let v = 1; v < 256; v++) {
    const a = v / 255;
    const [r, g, b] = ramp(a);
    colours.set([r, g, b, Math.round(Math.min(1, a * 1.6) * 190)], v * 4);
  }
  const img = hctx.getImageData(0, 0, half.width, half.height);
  const px = img.data;
  for (let i = 0; i < px.length; i += 4) {
    const v = px[i + 3];
    if (v === 0) continue;
    px[i] = colours[v * 4]; px[i + 1] = colours[v * 4 + 1]; px[i + 2] = colours[v * 4 + 2]; px[i + 3] = colours[v * 4 + 3];
  }
  hctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(half, 0, 0, w, h);
  return pts.length;
}

function paintScroll(ctx: CanvasRenderingContext2D, data: HeatmapData, w: number, h: number): number {
  const bands = data.scroll ?? [];
  if (!bands.length || bands.every((b) => b.pageviews === 0)) return 0;
  for (const b of bands) {
    const y0 = ((b.pct - 5) / 100) * h, y1 = (b.pct / 100) * h;
    const [r, g, bl] = ramp(b.share);
    ctx.fillStyle = `rgba(${r},${g},${bl},0.38)`;
    ctx.fillRect(0, y0, w, y1 - y0 + 1);
  }
  ctx.font = '600 13px sans-serif';
  for (const b of bands) {
    if (b.pct % 25 !== 0) continue;
    const y = (b.pct / 100) * h;
    ctx.fillStyle = 'rgba(17,17,20,0.75)';
    ctx.fillRect(8, y - 24, 150, 20);
    ctx.fillStyle = '#fff';
    ctx.fillText(`${Math.round(b.share * 100)}% reached ${b.pct}%`, 14, y - 9);
    ctx.fillStyle = 'rgba(17,17,20,0.5)';
    ctx.fillRect(0, y - 1, w, 2);
  }
  return bands.length;
}
