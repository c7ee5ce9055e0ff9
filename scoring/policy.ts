// Risk policy: the thresholds that turn a calibrated score in [0, 1] into a decision (seed 002).

export const DECISIONS = ['allow', 'monitor', 'challenge', 'block'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Thresholds {
  monitor: number;
  challenge: number;
  block: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { monitor: 0.4, challenge: 0.7, block: 0.9 };

export function decide(score: number, t: Thresholds = DEFAULT_THRESHOLDS): Decision {
  if (score >= t.block) return 'block';
  if (score >= t.challenge) return 'challenge';
  if (score >= t.monitor) return 'monitor';
  return 'allow';
}

export function validThresholds(t: Thresholds): boolean {
  return 0 < t.monitor && t.monitor <= t.challenge && t.challenge <= t.block && t.block <= 1;
}
