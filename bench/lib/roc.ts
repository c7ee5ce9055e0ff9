// Verification error rates of one subject from genuine and impostor scores (higher = less like the
// owner): EER, FRR at FAR 1 %, FAR at FRR 1 %, AUC, and the ROC curve for plotting.

export interface RocSummary {
  eer: number;
  frr_at_far_1: number;
  far_at_frr_1: number;
  /** P(impostor score > genuine score), ties half. */
  auc: number;
  /** (FAR, 1 - FRR) points from strictest to most lenient threshold. */
  curve: [number, number][];
}

/** A window is accepted as the owner when its score <= threshold; every distinct score is tried. */
export function rocSummary(genuine: readonly number[], impostor: readonly number[]): RocSummary {
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  const thresholds = [-Infinity, ...new Set([...g, ...im].sort((a, b) => a - b))];
  let eer = 1;
  let bestGap = Infinity;
  let frrAtFar = 1;
  let farAtFrr = 1;
  const curve: [number, number][] = [];
  let gi = 0;
  let ii = 0;
  for (const t of thresholds) {
    while (gi < g.length && g[gi]! <= t) gi++;
    while (ii < im.length && im[ii]! <= t) ii++;
    const frr = g.length ? 1 - gi / g.length : 0;
    const far = im.length ? ii / im.length : 0;
    curve.push([far, 1 - frr]);
    const gap = Math.abs(far - frr);
    if (gap < bestGap) {
      bestGap = gap;
      eer = (far + frr) / 2;
    }
    if (far <= 0.01) frrAtFar = Math.min(frrAtFar, frr);
    if (frr <= 0.01) farAtFrr = Math.min(farAtFrr, far);
  }
  return { eer, frr_at_far_1: frrAtFar, far_at_frr_1: farAtFrr, auc: aucOf(g, im), curve };
}

function aucOf(g: readonly number[], im: readonly number[]): number {
  if (g.length === 0 || im.length === 0) return 0.5;
  let wins = 0;
  let j = 0;
  let k = 0;
  // Sorted merge: for each impostor, genuine scores strictly below count 1, equal count 1/2.
  for (const s of im) {
    while (j < g.length && g[j]! < s) j++;
    k = Math.max(k, j);
    while (k < g.length && g[k]! <= s) k++;
    wins += j + (k - j) / 2;
  }
  return wins / (g.length * im.length);
}

/** Mean ROC over subjects (vertical averaging at fixed FAR steps), for one plot per detector. */
export function meanCurve(curves: readonly [number, number][][], steps = 100): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s <= steps; s++) {
    const far = s / steps;
    let sum = 0;
    for (const c of curves) {
      let tpr = 0;
      for (const [f, t] of c) if (f <= far) tpr = Math.max(tpr, t);
      sum += tpr;
    }
    out.push([far, curves.length ? sum / curves.length : 0]);
  }
  return out;
}

/** A small self-contained SVG of ROC curves (FAR on x, 1 - FRR on y). */
export function rocSvg(title: string, series: { name: string; curve: [number, number][] }[]): string {
  const w = 520;
  const h = 420;
  const m = { l: 50, r: 170, t: 30, b: 40 };
  const pw = w - m.l - m.r;
  const ph = h - m.t - m.b;
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const px = (x: number) => (m.l + x * pw).toFixed(1);
  const py = (y: number) => (m.t + (1 - y) * ph).toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<text x="${m.l}" y="18" font-size="13">${esc(title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`,
    `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#ccc" stroke-dasharray="4 3"/>`,
    `<text x="${m.l + pw / 2}" y="${h - 8}" text-anchor="middle">false accept rate</text>`,
    `<text x="14" y="${m.t + ph / 2}" transform="rotate(-90 14 ${m.t + ph / 2})" text-anchor="middle">1 - false reject rate</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = k / 4;
    parts.push(`<text x="${px(v)}" y="${m.t + ph + 14}" text-anchor="middle">${v}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${py(v)}" text-anchor="end" dy="4">${v}</text>`);
  }
  series.forEach((s, i) => {
    const colour = colours[i % colours.length];
    const d = s.curve.map(([x, y], j) => `${j ? 'L' : 'M'}${px(x)},${py(y)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    parts.push(`<line x1="${w - m.r + 10}" x2="${w - m.r + 30}" y1="${m.t + 10 + i * 16}" y2="${m.t + 10 + i * 16}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${w - m.r + 35}" y="${m.t + 14 + i * 16}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
