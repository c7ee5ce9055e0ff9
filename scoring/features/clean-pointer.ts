// The pointer's counts together: a session whose pointer is too clean for a hand when no test of
// one count holds alone. uncorrected_reaches (scoring/features/submovements.ts) counts reaches made
// of one sub-movement, flat_speed (scoring/features/flat-speed.ts) movements at a constant speed,
// scoring/features/fast-bends.ts movements whose sharpest turn is taken near full speed, and
// scoring/features/speed-curvature.ts reaches made of one sub-movement whose speed also ignores their
// bends (a hand's follows them: v ~ curvature^-1/3; session 19; both at once since session 20). Each
// alone needs its own count to cross its bound (six clean reaches of six, two flat movements of two),
// and a short session of a program that shows a little of each (WindMouse: every reach one
// sub-movement, every movement flat, four of each in ten windows; a Bezier: every reach clean, most
// bends fast) may end before any one does.
//
// The joint test adds the counts: under H0 (a person) X = Bin(reaches, p_reach) + Bin(moves, p_flat)
// + Bin(bends, p_bend) + Bin(curved reaches, p_su), each p at its own bound (REACH_TEST.p0 = 0.4,
// FLAT_TEST.p0 = 0.05, BEND_TEST.p0 = 0.15, SINGLE_UNSLOWED_TEST.p0 = 0.1, each fitted leave-users-out
// on Balabit and above any person's rate), and the session is raised while P(X >= clean outcomes)
// <= alpha. Three clean reaches and one flat movement: 0.064 x 0.05 = 0.0032. A person's session
// that stays under the rates stays under the sum's mean and is never computed further (the first
// return in cleanPointerTail).
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

/**
 * Under H0 a movement's bend is taken fast with probability at most p0. p0 = 0.15 is twice the
 * highest share among Balabit's ten users (0.070, user35; the others 0.030-0.068, coarse and fine
 * clocks alike); held out one user at a time (`npx cadence eval fast-bends`: p0 = 2 x the other
 * nine's largest, 0.137-0.140) no held-out user's session is raised, and one 1-minute stretch of
 * 1,009 once (a monitor), none twice.
 */
export const BEND_TEST = { p0: 0.15 } as const;

/**
 * Under H0 a judged reach is both one sub-movement and ignores its bends
 * (scoring/features/speed-curvature.ts) with probability at most p0. A hand's reach is rarely either
 * (one sub-movement: 4-25 %, ignoring its bends: 2-12 % of the reaches of Balabit's finely sampled
 * users at any clock) and more rarely both (0.3-2.3 % per user); a path eased along its length is
 * always the one and often the other, so the conjunction parts them further than either does
 * (Bezier 32.8 %, human-mix 31.8 %; `npx cadence eval speed-curvature`). p0 = 0.1 is twice the
 * highest share of any one session of those users in 3-s windows at any clock, recorded or modelled
 * (6 of 119 reaches, user20's first session modelled at an 8 ms mouse); held out one user at a time
 * (p0 = 2 x the other two users' largest, 0.017 for user20, 0.046 for the others) no held-out user's
 * session or 1-minute stretch is raised, at any clock. Until session 20 the count was of every
 * reach ignoring its bends, corrected or not, at p0 = 0.25 (2 x 0.123, user9 modelled at 1000 Hz).
 * These shares were measured with the sub-movement valley of 0.7; at 0.8 (later in session 20)
 * people's are lower still (at most 1.9 % per user) and the bots' the same.
 */
export const SINGLE_UNSLOWED_TEST = { p0: 0.1 } as const;

/** Each count's bound under H0 (the evaluation varies `bend` to hold users out). */
export interface CleanBounds {
  reach: number;
  flat: number;
  bend: number;
  singleUnslowed: number;
}
export const CLEAN_BOUNDS: CleanBounds = { reach: REACH_TEST.p0, flat: FLAT_TEST.p0, bend: BEND_TEST.p0, singleUnslowed: SINGLE_UNSLOWED_TEST.p0 };

/** The session's four counts: trials and "too clean" outcomes, each with its bound. */
function counts(r: Reaches, b: CleanBounds): [number, number, number][] {
  return [
    [r.n, r.single, b.reach],
    [r.moves ?? 0, r.flat ?? 0, b.flat],
    [r.bends ?? 0, r.fastBends ?? 0, b.bend],
    [r.curved ?? 0, r.singleUnslowed ?? 0, b.singleUnslowed],
  ];
}

/** The joint tail P(sum of Bin(trials, p0) >= sum of outcomes) over the three counts (see the header). */
export function cleanPointerTail(r: Reaches, bounds = CLEAN_BOUNDS): number {
  const parts = counts(r, bounds).filter(([n]) => n > 0);
  let s = 0, mean = 0;
  for (const [n, k, p] of parts) {
    s += k;
    mean += n * p;
  }
  if (s <= mean) return 1; // at or under a person's rates
  const trials = parts.reduce((t, [n]) => t + n, 0);
  if (trials > EXACT_UP_TO) return chernoff(parts, s);
  // The law of the sum: the pmfs convolved.
  let law = Float64Array.of(1);
  for (const [n, , p] of parts) {
    const pmf = binomialPmf(n, p);
    // Only the terms that can matter (a binomial's mass lies within a few sd of its mean): a long
    // session costs the product of two spreads, not of two counts.
    let lo = 0, hi = n;
    while (lo < hi && pmf[lo]! < 1e-18) lo++;
    while (hi > lo && pmf[hi]! < 1e-18) hi--;
    const next = new Float64Array(law.length + n);
    for (let i = 0; i < law.length; i++) {
      const li = law[i]!;
      if (li < 1e-18) continue;
      for (let j = lo; j <= hi; j++) next[i + j]! += li * pmf[j]!;
    }
    law = next;
  }
  let tail = 0;
  for (let k = s; k < law.length; k++) tail += law[k]!;
  return Math.min(1, tail);
}

/**
 * Past this many trials the tail is bounded, not summed: the exact law costs about 40 us at 100
 * trials of each kind and 400 us at 1,000 (a long session of a program just over the bounds), the
 * bound a few microseconds. The bound is above the exact tail, so it raises only sessions the exact
 * test would raise too.
 */
const EXACT_UP_TO = 150;

/** Chernoff's bound on P(X >= s): min over t >= 0 of exp(-t s) E[exp(t X)], the minimum by golden section. */
function chernoff(parts: readonly [number, number, number][], s: number): number {
  const logBound = (t: number) => parts.reduce((a, [n, , p]) => a + n * Math.log(1 - p + p * Math.exp(t)), -t * s);
  let lo = 0, hi = 20;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (logBound(a) < logBound(b)) hi = b;
    else lo = a;
  }
  return Math.min(1, Math.exp(logBound((lo + hi) / 2)));
}

/** Whether the session's pointer counts together are too clean for a hand; needs two kinds at least. */
export function pointerTooClean(r: Reaches, test = CLEAN_POINTER_TEST, bounds = CLEAN_BOUNDS): boolean {
  if (counts(r, bounds).filter(([n]) => n > 0).length < 2) return false; // one kind alone is its own test's business
  return cleanPointerTail(r, bounds) <= test.alpha;
}
