// Server-rendered SVG charts for the dashboard (histogram, time series, horizontal bars): pure
// functions from numbers and labels to an SVG string, with axes, tick labels, units and a legend.
import { escape } from './html.ts';

export interface Threshold {
  value: number;
  label: string;
  color: string;
}

/** Decision colours, shared by charts, legends and tables (readable on white, distinct in greyscale order). */
export const DECISION_COLORS = { allow: '#2e7d32', monitor: '#b58100', challenge: '#e65100', block: '#c62828' } as const;

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 2 : 1));

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out.map((v) => Number(v.toPrecision(12)));
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A time tick label in UTC: clock time within a day, date and time beyond. */
export function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  if (spanMs < 5 * 60_000) return `${hm}:${pad2(d.getUTCSeconds())}`;
  if (spanMs < 86_400_000) return hm;
  return `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${hm}`;
}

/** Tick times on round boundaries (1 s ... 7 d) so labels read naturally. */
export function timeTicks(lo: number, hi: number, count = 5): number[] {
  if (hi <= lo) return [lo];
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 2 * 86_400, 7 * 86_400].map((s) => s * 1000);
  const step = steps.find((s) => (hi - lo) / s <= count) ?? steps.at(-1)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(t);
  return out;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const plotW = (f: Frame) => f.width - f.left - f.right;
const plotH = (f: Frame) => f.height - f.top - f.bottom;

function open(f: Frame, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${escape(label)}" ${FONT}><title>${escape(label)}</title>`;
}

/** Y axis with gridlines and an axis title (rotated). */
function yAxis(f: Frame, ticks: number[], y: (v: number) => number, title: string, tickText: (v: number) => string = fmt): string {
  let s = `<g class="axis y-axis">`;
  for (const t of ticks) {
    const py = y(t).toFixed(1);
    s += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${py}" y2="${py}" stroke="#e3e6ea"/>`;
    s += `<text x="${f.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" fill="#444">${escape(tickText(t))}</text>`;
  }
  s += `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#666"/>`;
  const cy = f.top + plotH(f) / 2;
  s += `<text class="axis-title" x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})" fill="#222">${escape(title)}</text></g>`;
  return s;
}

function xAxis(f: Frame, ticks: number[], x: (v: number) => number, title: string, tickText: (v: number) => string): string {
  const base = f.height - f.bottom;
  let s = `<g class="axis x-axis"><line x1="${f.left}" x2="${f.width - f.right}" y1="${base}" y2="${base}" stroke="#666"/>`;
  for (const t of ticks) {
    const px = x(t).toFixed(1);
    s += `<line x1="${px}" x2="${px}" y1="${base}" y2="${base + 4}" stroke="#666"/>`;
    s += `<text x="${px}" y="${base + 16}" text-anchor="middle" fill="#444">${escape(tickText(t))}</text>`;
  }
  s += `<text class="axis-title" x="${f.left + plotW(f) / 2}" y="${f.height - 6}" text-anchor="middle" fill="#222">${escape(title)}</text></g>`;
  return s;
}

function legend(f: Frame, items: { label: string; color: string; dashed?: boolean }[]): string {
  let s = `<g class="legend">`;
  let x = f.left;
  for (const it of items) {
    s += `<line x1="${x}" x2="${x + 16}" y1="10" y2="10" stroke="${it.color}" stroke-width="3"${it.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    s += `<text x="${x + 20}" y="10" dominant-baseline="middle" fill="#222">${escape(it.label)}</text>`;
    x += 32 + it.label.length * 6.5;
  }
  return s + '</g>';
}

function thresholdLines(f: Frame, thresholds: readonly Threshold[], y: (v: number) => number): string {
  return thresholds
    .map((t) => {
      const py = y(t.value).toFixed(1);
      return `<g class="threshold"><line x1="${f.left}" x2="${f.width - f.right}" y1="${py}" y2="${py}" stroke="${t.color}" stroke-dasharray="6 4"/>` +
        `<text x="${f.width - f.right + 4}" y="${py}" dominant-baseline="middle" fill="${t.color}">${escape(t.label)}</text></g>`;
    })
    .join('');
}

export interface HistogramOptions {
  /** Counts per equal-width bin over [lo, hi]. */
  counts: readonly number[];
  lo: number;
  hi: number;
  title: string;
  xTitle: string;
  yTitle: string;
  /** Colour of the bin starting at a value (e.g. its decision band). */
  colorOf?: (binStart: number) => string;
  legend?: { label: string; color: string }[];
  /** X tick labels (default: shortest decimal). */
  tickText?: (v: number) => string;
  width?: number;
  height?: number;
}

export function histogram(o: HistogramOptions): string {
  const f: Frame = { width: o.width ?? 720, height: o.height ?? 300, left: 60, right: 20, top: 26, bottom: 46 };
  const n = o.counts.length;
  const max = Math.max(1, ...o.counts);
  const yTicks = niceTicks(0, max, 5).filter((t) => Number.isInteger(t));
  const top = Math.max(max, yTicks.at(-1) ?? max);
  const y = (v: number) => f.top + plotH(f) * (1 - v / top);
  const x = (v: number) => f.left + (plotW(f) * (v - o.lo)) / (o.hi - o.lo);
  const binW = (o.hi - o.lo) / Math.max(1, n);
  let s = open(f, o.title) + yAxis(f, yTicks, y, o.yTitle);
  s += '<g class="bars">';
  o.counts.forEach((c, i) => {
    const start = o.lo + i * binW;
    const x0 = x(start) + 1;
    const w = Math.max(1, x(start + binW) - x(start) - 2);
    const color = o.colorOf?.(start) ?? '#3f6fb5';
    s += `<rect class="bar" x="${x0.toFixed(1)}" y="${y(c).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(0) - y(c)).toFixed(1)}" fill="${color}" data-count="${c}">` +
      `<title>${fmt(start)}-${fmt(start + binW)}: ${c}</title></rect>`;
  });
  s += '</g>';
  s += xAxis(f, niceTicks(o.lo, o.hi, 10), x, o.xTitle, o.tickText ?? fmt);
  if (o.legend) s += legend(f, o.legend);
  return s + '</svg>';
}

export interface Point {
  x: number;
  y: number;
  /** Marker colour (e.g. the decision); the series colour when absent. */
  color?: string;
  /** Tooltip text. */
  note?: string;
}

export interface Series {
  name: string;
  color: string;
  points: readonly Point[];
  dashed?: boolean;
  markers?: boolean;
}

export interface TimeChartOptions {
  series: readonly Series[];
  title: string;
  yTitle: string;
  xTitle?: string;
  yMin?: number;
  yMax?: number;
  thresholds?: readonly Threshold[];
  width?: number;
  height?: number;
}

/** Lines over time (x in Unix ms, labelled in UTC), optionally with markers and threshold lines. */
export function timeChart(o: TimeChartOptions): string {
  const f: Frame = { width: o.width ?? 720, height: o.height ?? 280, left: 60, right: o.thresholds?.length ? 96 : 20, top: 28, bottom: 46 };
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  // At least 20 s across (batches of one burst arrive within a second), and a margin so markers clear the axes.
  if (hi - lo < 20_000) [lo, hi] = [(lo + hi) / 2 - 10_000, (lo + hi) / 2 + 10_000];
  const margin = (hi - lo) * 0.03;
  [lo, hi] = [lo - margin, hi + margin];
  const yMin = o.yMin ?? 0;
  const yMax = o.yMax ?? 1;
  const x = (v: number) => f.left + (plotW(f) * (v - lo)) / (hi - lo);
  const y = (v: number) => f.top + plotH(f) * (1 - (Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin));
  let s = open(f, o.title) + yAxis(f, niceTicks(yMin, yMax, 5), y, o.yTitle);
  s += xAxis(f, timeTicks(lo, hi, 6), x, o.xTitle ?? 'time (UTC)', (t) => timeLabel(t, hi - lo));
  s += thresholdLines(f, o.thresholds ?? [], y);
  for (const ser of o.series) {
    const pts = [...ser.points].sort((a, b) => a.x - b.x);
    s += `<g class="series" data-series="${escape(ser.name)}">`;
    if (pts.length > 1) {
      const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
      s += `<path class="line" d="${d}" fill="none" stroke="${ser.color}" stroke-width="2"${ser.dashed ? ' stroke-dasharray="5 4"' : ''}/>`;
    }
    if (ser.markers !== false || pts.length === 1) {
      for (const p of pts) {
        s += `<circle class="point" cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${p.color ?? ser.color}" stroke="#fff" stroke-width="1">` +
          `<title>${escape(p.note ?? `${timeLabel(p.x, 0)} UTC: ${fmt(p.y)}`)}</title></circle>`;
      }
    }
    s += '</g>';
  }
  s += legend(f, o.series.map((ser) => ({ label: ser.name, color: ser.color, dashed: ser.dashed })));
  return s + '</svg>';
}

export interface BarItem {
  label: string;
  value: number;
  color?: string;
}

/** Horizontal bars, largest first as given; for reason counts and feature deviations. */
export function barChart(o: { items: readonly BarItem[]; title: string; xTitle: string; width?: number; marker?: Threshold }): string {
  const rowH = 22;
  const labelW = Math.min(260, 20 + Math.max(40, ...o.items.map((i) => i.label.length * 7)));
  const f: Frame = { width: o.width ?? 720, height: 40 + 46 + rowH * Math.max(1, o.items.length), left: labelW, right: 50, top: 30, bottom: 46 };
  const max = Math.max(1e-9, o.marker?.value ?? 0, ...o.items.map((i) => i.value));
  const ticks = niceTicks(0, max, 5);
  const top = Math.max(max, ticks.at(-1) ?? max);
  const x = (v: number) => f.left + (plotW(f) * v) / top;
  let s = open(f, o.title);
  s += xAxis(f, ticks, x, o.xTitle, fmt);
  o.items.forEach((it, i) => {
    const py = f.top + i * rowH;
    s += `<g class="bar-row"><text x="${f.left - 8}" y="${py + rowH / 2}" text-anchor="end" dominant-baseline="middle" fill="#222">${escape(it.label)}</text>` +
      `<rect class="bar" x="${f.left}" y="${py + 3}" width="${Math.max(1, x(it.value) - f.left).toFixed(1)}" height="${rowH - 6}" fill="${it.color ?? '#3f6fb5'}"><title>${escape(it.label)}: ${fmt(it.value)}</title></rect>` +
      `<text x="${(x(it.value) + 4).toFixed(1)}" y="${py + rowH / 2}" dominant-baseline="middle" fill="#444">${fmt(it.value)}</text></g>`;
  });
  if (o.marker) {
    const px = x(o.marker.value).toFixed(1);
    s += `<g class="threshold"><line x1="${px}" x2="${px}" y1="${f.top - 4}" y2="${f.height - f.bottom}" stroke="${o.marker.color}" stroke-dasharray="6 4"/>` +
      `<text x="${px}" y="${f.top - 10}" text-anchor="middle" fill="${o.marker.color}">${escape(o.marker.label)}</text></g>`;
  }
  return s + '</svg>';
}
