// Signals of automation in one window: near-zero variance of key timings, superhuman typing or
// pointer speed, perfectly straight or teleporting pointer paths, more than 10 clicks per second
// (seed 002's rapid_clicks), and timings replayed exactly. Each is a flag with its measured value.
import type { BatchEvent } from '../batch.ts';
import { pointerActions, actionKinematics } from './pointer.ts';
import { strokesOf } from './free-text.ts';
import { cvOf, finite, meanOf } from './numeric.ts';

export const AUTOMATION_RULES = {
  /** Key hold and interval coefficient of variation below this is machine-like (humans: ~0.2-0.6). */
  minTimingCv: 0.03,
  /** Mean keydown interval below this is faster than any human typist (ms; ~200+ WPM). */
  minKeyIntervalMs: 25,
  /** Pointer speed above this (px/ms) is not a hand on a mouse. */
  maxPointerSpeed: 20,
  /** An action this straight with this many points was drawn by a program. */
  straightness: 0.9999,
  straightMinPoints: 6,
  /** A jump this far (px) between consecutive moves within this time (ms) is a teleport. */
  teleportPx: 400,
  teleportMs: 16,
  maxClicksPerSecond: 10,
  /** Share of identical consecutive intervals (to 0.1 ms) above which timings look replayed. */
  replayShare: 0.5,
  minSamples: 5,
} as const;

export const AUTOMATION_SIGNALS = ['zero_variance_timing', 'superhuman_typing', 'superhuman_pointer', 'straight_path', 'teleport', 'rapid_clicks', 'replayed_timing'] as const;
export type AutomationSignal = (typeof AUTOMATION_SIGNALS)[number];

export interface AutomationReport {
  signals: AutomationSignal[];
  /** Values behind each signal, all finite. */
  measures: Record<AutomationSignal, number>;
  /** Share of signals raised, in [0, 1]. */
  score: number;
}

export function automationSignals(events: readonly BatchEvent[], rules = AUTOMATION_RULES): AutomationReport {
  const strokes = strokesOf(events);
  const holds = strokes.map((s) => s.up - s.down).filter((h) => h >= 0);
  const intervals: number[] = [];
  for (let i = 1; i < strokes.length; i++) intervals.push(strokes[i]!.down - strokes[i - 1]!.down);
  const enoughKeys = intervals.length >= rules.minSamples;
  const timingCv = Math.min(enoughKeys ? cvOf(intervals, 1) : 1, holds.length >= rules.minSamples ? cvOf(holds, 1) : 1);
  const meanInterval = meanOf(intervals, Infinity);

  const moves = events.filter((e) => e.type === 'pointermove' && Number.isFinite(e.x) && Number.isFinite(e.y));
  let maxSpeed = 0;
  let teleports = 0;
  for (let i = 1; i < moves.length; i++) {
    const p = moves[i - 1]!;
    const q = moves[i]!;
    const d = Math.hypot(q.x! - p.x!, q.y! - p.y!);
    const dt = q.t - p.t;
    if (d >= rules.teleportPx && dt <= rules.teleportMs) teleports++;
    else if (dt > 0) maxSpeed = Math.max(maxSpeed, d / dt);
  }
  const straight = pointerActions(events)
    .filter((a) => a.points.length >= rules.straightMinPoints)
    .map(actionKinematics)
    .filter((k) => k.distance > 50 && k.straightness >= rules.straightness).length;

  const clicks = events.filter((e) => e.type === 'pointerdown').map((e) => e.t);
  let maxClickRate = 0;
  for (let i = 0, j = 0; i < clicks.length; i++) {
    while (clicks[i]! - clicks[j]! > 1000) j++;
    maxClickRate = Math.max(maxClickRate, i - j + 1);
  }

  const all = [...intervals, ...moves.slice(1).map((e, i) => e.t - moves[i]!.t)].filter((v) => v > 0);
  let same = 0;
  for (let i = 1; i < all.length; i++) if (Math.abs(all[i]! - all[i - 1]!) < 0.1) same++;
  const replayShare = all.length > rules.minSamples ? same / (all.length - 1) : 0;

  const measures: Record<AutomationSignal, number> = {
    zero_variance_timing: finite(timingCv, 1),
    superhuman_typing: finite(enoughKeys ? meanInterval : 0),
    superhuman_pointer: finite(maxSpeed),
    straight_path: straight,
    teleport: teleports,
    rapid_clicks: maxClickRate,
    replayed_timing: finite(replayShare),
  };
  const raised: Record<AutomationSignal, boolean> = {
    zero_variance_timing: (enoughKeys || holds.length >= rules.minSamples) && timingCv < rules.minTimingCv,
    superhuman_typing: enoughKeys && meanInterval < rules.minKeyIntervalMs,
    superhuman_pointer: maxSpeed > rules.maxPointerSpeed,
    straight_path: straight > 0,
    teleport: teleports > 0,
    rapid_clicks: maxClickRate > rules.maxClicksPerSecond,
    replayed_timing: replayShare >= rules.replayShare,
  };
  const signals = AUTOMATION_SIGNALS.filter((s) => raised[s]);
  return { signals, measures, score: signals.length / AUTOMATION_SIGNALS.length };
}
