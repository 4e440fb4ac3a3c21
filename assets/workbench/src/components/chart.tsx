// An echarts chart that draws an option built in Go (core/chart, with
// go-echarts), follows its container's size and takes its colours from the
// workbench theme. No chart option is put together here: the bindings
// return it ready for setOption.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** An echarts option as the bindings return it. */
export type ChartOption = Record<string, unknown>;

export function Chart({ option, height = 260, onClick }: { option: ChartOption; height?: number; onClick?: (p: any) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useThemeName();
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, registerTheme(theme), { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option, theme]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    c.on('click', onClick);
    return () => c.off('click', onClick);
  }, [onClick, theme]);
  return <div class="chart" ref={el} style={{ height: `${height}px` }} data-chart />;
}

const themeName = () => `loupe-${document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'}`;

// useThemeName follows the page's light/dark switch, so a chart already on
// screen is drawn again in the new colours.
function useThemeName(): string {
  const [name, setName] = useState(themeName);
  useEffect(() => {
    const mo = new MutationObserver(() => setName(themeName()));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return name;
}

// registerTheme turns the workbench's CSS colours into an echarts theme
// called name, so the options from Go carry no colours and still match
// light and dark.
function registerTheme(name: string): string {
  const { accent, muted, border, text, error } = palette();
  const axis = {
    axisLine: { lineStyle: { color: border } },
    axisTick: { lineStyle: { color: border } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: border } },
  };
  echarts.registerTheme(name, {
    // The second colour (drop-offs, the previous period) sits between the
    // muted text and the borders: visible, yet quieter than the accent.
    color: [accent, mix(muted, border), error, text],
    backgroundColor: 'transparent',
    textStyle: { color: text },
    legend: { textStyle: { color: muted } },
    categoryAxis: { ...axis, splitLine: { show: false } },
    valueAxis: axis,
    bar: { label: { color: text } },
    animationDuration: 300,
  });
  return name;
}

// mix averages two #rrggbb colours; anything else falls back to the first.
function mix(a: string, b: string): string {
  const hex = /^#([0-9a-f]{6})$/i;
  const ma = hex.exec(a), mb = hex.exec(b);
  if (!ma || !mb) return a;
  const ch = (m: RegExpExecArray, i: number) => parseInt(m[1].slice(i, i + 2), 16);
  return '#' + [0, 2, 4].map((i) => Math.round((ch(ma, i) + ch(mb, i)) / 2).toString(16).padStart(2, '0')).join('');
}

/** Theme-aware colours read from the CSS variables. */
export function palette() {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string) => s.getPropertyValue(n).trim();
  return { accent: v('--accent'), muted: v('--muted'), border: v('--border'), text: v('--text'), error: v('--error'), page: v('--page') };
}
