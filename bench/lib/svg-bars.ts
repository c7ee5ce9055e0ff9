// A dependency-free SVG chart of horizontal grouped bars (percentages), one row per label: used by
// `cadence eval live` for sessions challenged and blocked per corpus and family.

export interface BarSeries {
  name: string;
  color: string;
}

export interface BarRow {
  label: string;
  /** One value per series, in percent (0-100); null draws nothing. */
  values: (number | null)[];
  /** Rows of the same section are drawn together under its heading. */
  section?: string;
  /** Text at the right of the row, e.g. the number of sessions. */
  note?: string;
  /** Colours for this row's bars instead of the series' (e.g. people and bots apart). */
  colors?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(title: string, series: readonly BarSeries[], rows: readonly BarRow[], subtitle = ''): string {
  const labelW = 230;
  const plotW = 420;
  const noteW = 110;
  const barH = 11;
  const rowH = series.length * barH + 10;
  const top = 58 + 18 * series.length;
  const width = labelW + plotW + noteW + 20;
  const out: string[] = [];
  let y = top;
  let section: string | undefined;
  const body: string[] = [];
  for (const row of rows) {
    if (row.section !== undefined && row.section !== section) {
      section = row.section;
      y += 6;
      body.push(`<text x="10" y="${y + 12}" font-weight="bold">${esc(section)}</text>`);
      y += 20;
    }
    body.push(`<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(row.label)}</text>`);
    row.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      const w = Math.max(v > 0 ? 1 : 0, (plotW * Math.min(100, Math.max(0, v))) / 100);
      const by = y + 5 + i * barH;
      body.push(`<rect x="${labelW}" y="${by}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${row.colors?.[i] ?? series[i]!.color}"><title>${esc(`${row.label}: ${series[i]!.name} ${v.toFixed(1)} %`)}</title></rect>`);
      body.push(`<text x="${labelW + w + 4}" y="${by + barH - 3}" font-size="9" fill="#444">${v.toFixed(1)}</text>`);
    });
    if (row.note) body.push(`<text x="${labelW + plotW + 40}" y="${y + rowH / 2 + 4}" fill="#555">${esc(row.note)}</text>`);
    y += rowH;
  }
  const height = y + 30;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  if (subtitle) out.push(`<text x="10" y="36" fill="#555">${esc(subtitle)}</text>`);
  series.forEach((s, i) => {
    const ly = 48 + 18 * i;
    out.push(`<rect x="${labelW}" y="${ly}" width="12" height="10" fill="${s.color}"/><text x="${labelW + 18}" y="${ly + 9}">${esc(s.name)}</text>`);
  });
  for (const pct of [0, 25, 50, 75, 100]) {
    const x = labelW + (plotW * pct) / 100;
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#ddd"/><text x="${x}" y="${y + 14}" text-anchor="middle" fill="#555">${pct} %</text>`);
  }
  out.push(...body, '</svg>');
  return `${out.join('\n')}\n`;
}
