// Reaches and movements together: a session whose pointer is too clean for a hand when neither of
// its two tests holds alone. uncorrected_reaches (scoring/features/submovements.ts) counts reaches
// made of one sub-movement, flat_speed (scoring/features/flat-speed.ts) movements at a constant
// speed; each needs its own count to cross its bound (six clean reaches of six, two flat movements
// of two), and a short session of a program that shows both (WindMouse: every reach one
// sub-movement, every movement flat, four of each in ten windows) may end before either does.
//
// The joint test adds the two counts: under H0 (a person) X = Bin(reaches, p_reach) + Bin(moves,
// p_flat) with each p at its own test's bound (REACH_TEST.p0 = 0.4, FLAT_TEST.p0 = 0.05, both fitted
// leave-users-out on Balabit and far above any person's rate), and the session is raised while
// P(X >= single + flat) <= alpha. Three clean reaches and one flat movement: 0.064 x 0.05 = 0.0032.
// The same bounds as the two tests, so no new fit; a person's session that stays under both rates
// stays under the sum's mean and is never computed further (the first return below).
import { FLAT_TEST } from './flat-speed.ts';
import { REACH_TEST, type Reaches } from './submovements.ts';

export const CLEAN_POINTER_TEST = { alpha: 0.01 } as const;

/** P(Bin(n, p) = k) for k = 0..n, from logs (no underflow at thousands of trials). */
function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  const lr = Math.log(p / (1 - p));
  let log = n * Math.log(1 - p);
  for (let k = 0; k <= n; k++) {
    pmf[k] = Math.exp(log);
    log += Math.log((n - k) / (k + 1)) + lr;
  }
  return pmf;
}

/** The joint tail P(Bin(n, p0_reach) + Bin(moves, p0_flat) >= single + flat) (see the header). */
export function cleanPointerTail(r: Reaches): number {
  const n = r.n, m = r.moves ?? 0, s = r.single + (r.flat ?? 0);
  if (s <= REACH_TEST.p0 * n + FLAT_TEST.p0 * m) return 1; // at or under a person's rates
  const reach = binomialPmf(n, REACH_TEST.p0);
  // tailR[k] = P(Bin(n, p) >= k), 0 past n.
  const tailR = new Float64Array(n + 2);
  for (let k = n; k >= 0; k--) tailR[k] = tailR[k + 1]! + reach[k]!;
  const flat = binomialPmf(m, FLAT_TEST.p0);
  let tail = 0;
  for (let j = 0; j <= m; j++) {
    const need = s - j;
    tail += flat[j]! * (need <= 0 ? 1 : need > n ? 0 : tailR[need]!);
  }
  return Math.min(1, tail);
}

/** Whether the session's reaches and movements together are too clean for a hand; needs both kinds. */
export function pointerTooClean(r: Reaches, test = CLEAN_POINTER_TEST): boolean {
  if (r.n === 0 || !r.moves) return false; // one kind alone is its own test's business
  return cleanPointerTail(r) <= test.alpha;
}
