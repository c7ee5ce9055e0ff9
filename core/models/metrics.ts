// Verification metrics of a trained model on held-back windows: ROC AUC and the equal-error rate
// (genuine windows should score low, impostor windows high), plus the share of genuine windows the
// policy would not allow (false rejects at the monitor threshold), which needs no impostors.

export interface TrainingMetrics {
  [name: string]: number | null;
  trained_windows: number;
  held_back_genuine: number;
  held_back_impostor: number;
  eer: number | null;
  auc: number | null;
  frr_at_monitor: number | null;
}

/** P(impostor score > genuine score), ties counting half; null without both kinds. */
export function auc(genuine: ArrayLike<number>, impostor: ArrayLike<number>): number | null {
  if (genuine.length === 0 || impostor.length === 0) return null;
  let wins = 0;
  for (let i = 0; i < impostor.length; i++) {
    for (let j = 0; j < genuine.length; j++) wins += impostor[i]! > genuine[j]! ? 1 : impostor[i]! === genuine[j]! ? 0.5 : 0;
  }
  return wins / (impostor.length * genuine.length);
}

/** The error rate where false accepts (impostor below t) and false rejects (genuine at or above t) meet. */
export function eer(genuine: ArrayLike<number>, impostor: ArrayLike<number>): number | null {
  if (genuine.length === 0 || impostor.length === 0) return null;
  const ts = [...new Set([...Array.from(genuine), ...Array.from(impostor), Infinity])].sort((a, b) => a - b);
  let best = { gap: Infinity, rate: 1 };
  for (const t of ts) {
    const frr = Array.from(genuine).filter((g) => g >= t).length / genuine.length;
    const far = Array.from(impostor).filter((s) => s < t).length / impostor.length;
    const gap = Math.abs(frr - far);
    if (gap < best.gap) best = { gap, rate: (frr + far) / 2 };
  }
  return best.rate;
}

export function round4(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : Math.round(v * 1e4) / 1e4;
}
