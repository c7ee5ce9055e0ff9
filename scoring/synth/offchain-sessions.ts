// Synthetic labelled sessions for seed 003's model pair (its generator and data are not public):
// each row is a fresh DID with its own typing profile, a history of its genuine sessions (none for
// about a third: the population case) and the session to judge. Genuine: the owner typing as usual.
// Anomalous: someone else typing against the owner's history (only where there is one), a script
// (superhuman speed, tiny holds and gaps, no errors), an automation that types at human-like but
// too even pace without errors, or a tampered vector whose speed contradicts its own key timings.
// Rows are independent people, so any split of them holds whole people out. Only for training the
// shipped default and for tests: the figures that count need real labelled sessions.
import { Rng } from '../models/rng.ts';

export interface OffchainSample {
  /** Typing speed (wpm), key hold (ms), transition (ms), error rate (%): seed 003's measured four. */
  session: [number, number, number, number];
  hour: number;
  history: [number, number, number, number][];
  label: 0 | 1;
  kind: 'genuine' | 'impostor' | 'script' | 'automation' | 'tampered';
}

interface Profile {
  speed: number;
  hold: number;
  gap: number;
  error: number;
  hour: number;
  hourSd: number;
  sd: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number) => Math.round(v * 100) / 100;

function profile(rng: Rng): Profile {
  const speed = clamp(Math.exp(Math.log(48) + 0.35 * rng.normal()), 12, 140);
  const hold = clamp(Math.exp(Math.log(105) + 0.18 * rng.normal()), 50, 250);
  // A character every 12000 / wpm ms is one hold and one transition (rollover makes it negative).
  const gap = 12000 / speed - hold + 15 * rng.normal();
  return { speed, hold, gap, error: clamp(Math.exp(Math.log(3) + 0.5 * rng.normal()), 0.2, 20), hour: 6 + 17 * rng.float(), hourSd: 1 + 2 * rng.float(), sd: 0.05 + 0.07 * rng.float() };
}

function typed(p: Profile, rng: Rng): [number, number, number, number] {
  const speed = clamp(p.speed * Math.exp(p.sd * rng.normal()), 5, 300);
  const hold = clamp(p.hold * Math.exp(0.7 * p.sd * rng.normal()), 20, 2000);
  const gap = clamp(p.gap + (12000 / speed - 12000 / p.speed) * 0.8 + 8 * rng.normal(), -200, 5000);
  return [round(speed), round(hold), round(gap), round(clamp(p.error * Math.exp(0.3 * rng.normal()), 0, 100))];
}

const hourOf = (p: Profile, rng: Rng) => (((p.hour + p.hourSd * rng.normal()) % 24) + 24) % 24;

function script(rng: Rng): [number, number, number, number] {
  return [round(150 + 150 * rng.float()), round(1 + 29 * rng.float()), round(30 * rng.float()), round(rng.float() < 0.8 ? 0 : 0.2 * rng.float())];
}

function automation(rng: Rng): [number, number, number, number] {
  const hold = 10 + 40 * rng.float();
  const gap = 5 + 55 * rng.float();
  return [round(clamp((12000 / (hold + gap)) * (0.9 + 0.2 * rng.float()), 5, 300)), round(hold), round(gap), 0];
}

/** `n` rows, about `anomalyShare` anomalous, reproducible from `seed`. */
export function synthOffchainSamples(n: number, options: { anomalyShare?: number; seed?: number; historyShare?: number } = {}): OffchainSample[] {
  const rng = new Rng(options.seed ?? 0);
  const anomalyShare = options.anomalyShare ?? 0.45;
  const historyShare = options.historyShare ?? 0.67;
  const out: OffchainSample[] = [];
  for (let i = 0; i < n; i++) {
    const owner = profile(rng);
    const windows = rng.float() < historyShare ? 5 + rng.int(26) : 0;
    const history = Array.from({ length: windows }, () => typed(owner, rng));
    if (rng.float() >= anomalyShare) {
      out.push({ session: typed(owner, rng), hour: hourOf(owner, rng), history, label: 0, kind: 'genuine' });
      continue;
    }
    const u = rng.float();
    const kind: OffchainSample['kind'] = windows > 0 && u < 0.5 ? 'impostor' : u < 0.7 ? 'script' : u < 0.85 ? 'automation' : 'tampered';
    let session: [number, number, number, number];
    let hour = 24 * rng.float();
    if (kind === 'impostor') {
      const other = profile(rng);
      session = typed(other, rng);
      hour = hourOf(other, rng);
    } else if (kind === 'script') session = script(rng);
    else if (kind === 'automation') session = automation(rng);
    else {
      // The owner's timings with a speed three times too high or too low for them.
      session = typed(owner, rng);
      session[0] = round(clamp(session[0] * (rng.float() < 0.5 ? 3 : 1 / 3) * (0.9 + 0.2 * rng.float()), 5, 300));
    }
    out.push({ session, hour, history, label: 1, kind });
  }
  return out;
}
