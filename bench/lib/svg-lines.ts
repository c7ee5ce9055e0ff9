// A dependency-free SVG line chart (x: seconds, y: MB), one polyline per series, with optional
// vertical markers: used by `cadence bench load` for memory over a run.

export interface LineSeries {
  name: string;
  color: string;
  /** [x, y] points in order of x. */
  points: [number, number][];
  dashed?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A step of 1, 2 or 5 x 10^k giving about `n` ticks over `span`. */
function tickStep(span: number, n: number): number {
  const raw = span / Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

export function lineChartSvg(
  title: string,
  series: readonly LineSeries[],
  opts: { subtitle?: string; xLabel: string; yLabel: string; markers?: { x: number; label: string }[] },
): string {
  const W = 760;
  const H = 420;
  const left = 60;
  const right = 20;
  const top = 56 + 16 * Math.ceil(series.length / 3);
  const bottom = 46;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = Math.max(1, ...ys) * 1.08;
  const X = (x: number) => left + (x / xMax) * (W - left - right);
  const Y = (y: number) => H - bottom - (y / yMax) * (H - top - bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`);
  if (opts.subtitle) out.push(`<text x="10" y="38" fill="#555">${esc(opts.subtitle)}</text>`);
  series.forEach((s, i) => {
    const lx = 10 + (i % 3) * 250;
    const ly = 52 + 16 * Math.floor(i / 3);
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly}">${esc(s.name)}</text>`);
  });
  const yStep = tickStep(yMax, 6);
  for (let y = 0; y <= yMax; y += yStep) {
    out.push(`<line x1="${left}" y1="${Y(y)}" x2="${W - right}" y2="${Y(y)}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${Y(y) + 4}" text-anchor="end">${y}</text>`);
  }
  const xStep = tickStep(xMax, 10);
  for (let x = 0; x <= xMax; x += xStep) out.push(`<text x="${X(x)}" y="${H - bottom + 16}" text-anchor="middle">${x}</text>`);
  out.push(`<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>`);
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 8}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  out.push(`<text x="14" y="${(top + H - bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(top + H - bottom) / 2})">${esc(opts.yLabel)}</text>`);
  for (const m of opts.markers ?? []) {
    out.push(`<line x1="${X(m.x)}" y1="${top}" x2="${X(m.x)}" y2="${H - bottom}" stroke="#999" stroke-dasharray="3,3"/>`);
    out.push(`<text x="${X(m.x) + 4}" y="${top + 12}" fill="#666">${esc(m.label)}</text>`);
  }
  for (const s of series) {
    if (!s.points.length) continue;
    const d = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5,3"' : ''} points="${d}"/>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
