// Probability calibration and operating-threshold choice, both fitted on rows the model did not
// train on (a forest's out-of-bag rows), never on the rows a figure is reported on.

/**
 * Platt scaling (Platt 1999, with the target smoothing and Newton iteration of Lin, Lin & Weng
 * 2007): a, b minimising the log loss of 1 / (1 + exp(a s + b)). A monotone map, so it changes no
 * ranking (AUC, average precision) as long as a < 0; when the scores carry no signal the fit is
 * flat and a falls back to a tiny negative slope around the base rate.
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
  const neg = n - pos;
  const hiT = (pos + 1) / (pos + 2);
  const loT = 1 / (neg + 2);
  let a = 0;
  let b = Math.log((neg + 1) / (pos + 1));
  const fval = (aa: number, bb: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hiT : loT;
      const z = scores[i]! * aa + bb;
      f += z >= 0 ? t * z + Math.log1p(Math.exp(-z)) : (t - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let f = fval(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hiT : loT;
      const z = scores[i]! * a + b;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = 1 - p;
      const d2 = p * q;
      const s = scores[i]!;
      h11 += s * s * d2;
      h22 += d2;
      h21 += s * d2;
      const d1 = t - p;
      g1 += s * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-7 && Math.abs(g2) < 1e-7) break;
    const det = h11 * h22 - h21 * h21;
    const da = -(h22 * g1 - h21 * g2) / det;
    const db = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * da + g2 * db;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const na = a + step * da;
      const nb = b + step * db;
      const nf = fval(na, nb);
      if (nf < f + 1e-4 * step * gd) {
        a = na;
        b = nb;
        f = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  if (!(a < 0) || !Number.isFinite(a) || !Number.isFinite(b)) return { a: -1e-6, b: Math.log((neg + 1) / (pos + 1)) };
  return { a, b };
}

/**
 * The probability threshold maximising F1 over (probability, label) pairs: a row is positive when
 * its probability >= the threshold. Ties are kept together (a threshold never splits equal scores).
 */
export function bestF1Threshold(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => probabilities[y]! - probabilities[x]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
  if (pos === 0) return 1;
  let tp = 0;
  let best = -1;
  let threshold = 1;
  for (let i = 0; i < n; ) {
    const p = probabilities[order[i]!]!;
    let j = i;
    for (; j < n && probabilities[order[j]!] === p; j++) tp += labels[order[j]!] ? 1 : 0;
    const f1 = (2 * tp) / (j + pos);
    if (f1 > best) {
      best = f1;
      threshold = p;
    }
    i = j;
  }
  return threshold;
}
