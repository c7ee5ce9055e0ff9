// Touch and scroll statistics of a window: taps and swipes (duration, length, speed, pressure) and
// wheel scrolling (amounts, rate, direction changes). All values finite; empty windows say so.
import type { BatchEvent } from '../batch.ts';
import { finite, meanOf, ratio, sdOf } from './numeric.ts';

export const TOUCH_SCROLL_FEATURES = [
  'touches', 'tap_share', 'touch_duration_mean', 'touch_duration_sd', 'swipe_length_mean', 'swipe_speed_mean',
  'pressure_mean', 'pressure_sd',
  'scrolls', 'scroll_amount_mean', 'scroll_amount_sd', 'scroll_rate_per_s', 'scroll_reversal_share',
] as const;

export interface TouchScrollWindow {
  judged: boolean;
  reason?: 'no_touch_or_scroll';
  vector: Float64Array;
}

/** A touch shorter than this that barely moves is a tap (px). */
const TAP_MAX_PX = 10;

export function touchScrollFeatures(events: readonly BatchEvent[]): TouchScrollWindow {
  const durations: number[] = [];
  const lengths: number[] = [];
  const speeds: number[] = [];
  const pressures: number[] = [];
  let taps = 0;
  let open: { t: number; x: number; y: number; last: { x: number; y: number }; path: number } | undefined;
  for (const e of events) {
    if (Number.isFinite(e.pressure) && (e.type.startsWith('touch') || e.pointerType === 'touch')) pressures.push(e.pressure!);
    const x = finite(e.x ?? NaN);
    const y = finite(e.y ?? NaN);
    if (e.type === 'touchstart') open = { t: e.t, x, y, last: { x, y }, path: 0 };
    else if (e.type === 'touchmove' && open) {
      open.path += Math.hypot(x - open.last.x, y - open.last.y);
      open.last = { x, y };
    } else if (e.type === 'touchend' && open) {
      const d = e.t - open.t;
      const path = open.path + Math.hypot(x - open.last.x, y - open.last.y) * (e.x === undefined ? 0 : 1);
      if (d >= 0) durations.push(d);
      lengths.push(path);
      if (d > 0) speeds.push(path / d);
      if (path < TAP_MAX_PX) taps++;
      open = undefined;
    }
  }
  const wheels = events.filter((e) => e.type === 'wheel');
  // The dominant axis of each wheel step, signed, so reversals can be counted.
  const amounts = wheels.map((e) => (Math.abs(finite(e.dy ?? 0)) >= Math.abs(finite(e.dx ?? 0)) ? finite(e.dy ?? 0) : finite(e.dx ?? 0)));
  let reversals = 0;
  for (let i = 1; i < amounts.length; i++) if (Math.sign(amounts[i]!) * Math.sign(amounts[i - 1]!) < 0) reversals++;
  const span = wheels.length > 1 ? wheels[wheels.length - 1]!.t - wheels[0]!.t : 0;
  const vector = Float64Array.of(
    durations.length, ratio(taps, durations.length), meanOf(durations), sdOf(durations), meanOf(lengths), meanOf(speeds),
    meanOf(pressures), sdOf(pressures),
    wheels.length, meanOf(amounts.map(Math.abs)), sdOf(amounts.map(Math.abs)), ratio(wheels.length * 1000, span), ratio(reversals, amounts.length - 1),
  ).map((v) => finite(v));
  const judged = durations.length > 0 || wheels.length > 1;
  return judged ? { judged, vector } : { judged, reason: 'no_touch_or_scroll', vector };
}
