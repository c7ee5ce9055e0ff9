// Self-made pointer fixtures (never ../shared): a "hand" reaches for targets with a bell-shaped
// speed profile, a main sub-movement then a small correction (as people aim), a bow in the path,
// and a click; two hands differ in speed, bow, timing of the correction and click holds. Each call
// is one 3-s window of three reaches, a fresh random sample of the hand.
import type { BatchEvent } from '../../scoring/batch.ts';

export interface Hand {
  /** Duration of the main sub-movement per 100 px (ms). */
  msPer100: number;
  /** Sideways bow of the path, as a share of the reach. */
  bow: number;
  /** Click hold (ms). */
  hold: number;
  /** Pause between reaches (ms). */
  pause: number;
}

export const ANA_HAND: Hand = { msPer100: 140, bow: 0.12, hold: 110, pause: 300 };
export const BEN_HAND: Hand = { msPer100: 60, bow: -0.02, hold: 60, pause: 180 };

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Minimum-jerk position share at time share u. */
const mj = (u: number) => 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5;

export function pointerWindow(hand: Hand, seed: number, start = 0): BatchEvent[] {
  const r = rng(seed);
  const vary = (v: number, share = 0.15) => v * (1 + share * (2 * r() - 1));
  const ev: BatchEvent[] = [];
  let t = start;
  let x = 200 + Math.round(400 * r());
  let y = 150 + Math.round(300 * r());
  for (let k = 0; k < 3; k++) {
    const dist = 100 + 150 * r();
    const angle = 2 * Math.PI * r();
    const tx = x + dist * Math.cos(angle);
    const ty = y + dist * Math.sin(angle);
    const bow = vary(hand.bow, 0.3) * dist;
    // The main sub-movement stops 20 % short; the correction covers the rest.
    const parts = [
      { from: [x, y], to: [x + 0.8 * (tx - x), y + 0.8 * (ty - y)], ms: vary((hand.msPer100 * dist) / 100), bow },
      { from: [x + 0.8 * (tx - x), y + 0.8 * (ty - y)], to: [tx, ty], ms: vary(150), bow: 0 },
    ];
    for (const p of parts) {
      const [fx, fy] = p.from as [number, number];
      const [gx, gy] = p.to as [number, number];
      const len = Math.hypot(gx - fx, gy - fy) || 1;
      const nx = -(gy - fy) / len;
      const ny = (gx - fx) / len;
      for (let el = 0; el < p.ms; el += 8 + Math.round(8 * r())) {
        const u = el / p.ms;
        const s = mj(u);
        const side = p.bow * Math.sin(Math.PI * s);
        ev.push({ type: 'pointermove', t: Math.round(t + el), x: Math.round(fx + (gx - fx) * s + nx * side), y: Math.round(fy + (gy - fy) * s + ny * side), pointerType: 'mouse' });
      }
      t += p.ms + 40 * r();
    }
    x = Math.round(tx);
    y = Math.round(ty);
    ev.push({ type: 'pointermove', t: Math.round(t), x, y, pointerType: 'mouse' });
    const hold = vary(hand.hold, 0.25);
    ev.push({ type: 'pointerdown', t: Math.round(t + 30), x, y, pointerType: 'mouse', button: 0 });
    ev.push({ type: 'pointerup', t: Math.round(t + 30 + hold), x, y, pointerType: 'mouse', button: 0 });
    t += 30 + hold + vary(hand.pause, 0.3);
  }
  return ev;
}
