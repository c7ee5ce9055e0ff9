// Pointer dynamics: the move stream split into actions at pauses and clicks (as in the Balabit
// challenge literature), per-action shape and kinematics, summarised per window; plus seed 001's
// six (mean/sd/max speed, mean/sd time between events, total distance). All values finite.
import type { BatchEvent } from '../batch.ts';
import { finite, maxOf, meanOf, sdOf, sumOf } from './numeric.ts';

export const POINTER_RULES = {
  /** A gap between moves longer than this ends an action (ms). */
  pauseMs: 300,
  /** Actions with fewer points than this are not measured. */
  minPoints: 3,
  /** Fewer actions than this and the window is not judged. */
  minActions: 2,
} as const;

export const POINTER_FEATURES = [
  'actions', 'action_duration_mean', 'action_distance_mean', 'straightness_mean', 'straightness_sd',
  'velocity_mean', 'velocity_sd', 'velocity_max', 'acceleration_mean', 'acceleration_sd', 'jerk_mean',
  'curvature_mean', 'angle_change_mean', 'direction_mean_cos', 'direction_mean_sin', 'click_hold_mean', 'click_hold_sd',
  'speed_mean', 'speed_sd', 'speed_max', 'event_gap_mean', 'event_gap_sd', 'total_distance',
] as const;

export interface PointerAction {
  start: number;
  end: number;
  points: { t: number; x: number; y: number }[];
  /** The action ended with a press (point-and-click) rather than a pause. */
  endsInClick: boolean;
}

export interface PointerWindow {
  judged: boolean;
  reason?: 'too_few_actions';
  actions: PointerAction[];
  vector: Float64Array;
}

const MOVE = new Set(['pointermove']);

/** Splits pointer moves into actions at pauses and at presses. */
export function pointerActions(events: readonly BatchEvent[], rules = POINTER_RULES): PointerAction[] {
  const actions: PointerAction[] = [];
  let current: PointerAction['points'] = [];
  const close = (endsInClick: boolean) => {
    if (current.length >= rules.minPoints) actions.push({ start: current[0]!.t, end: current[current.length - 1]!.t, points: current, endsInClick });
    current = [];
  };
  for (const e of events) {
    if (e.pointerType === 'touch') continue;
    if (e.type === 'pointerdown') close(true);
    if (!MOVE.has(e.type) || !Number.isFinite(e.t) || !Number.isFinite(e.x) || !Number.isFinite(e.y)) continue;
    const last = current[current.length - 1];
    if (last && (e.t - last.t > rules.pauseMs || e.t < last.t)) close(false);
    current.push({ t: e.t, x: e.x!, y: e.y! });
  }
  close(false);
  return actions;
}

/** Hold times of clicks: pointerdown to the next pointerup (ms). */
export function clickHolds(events: readonly BatchEvent[]): number[] {
  const holds: number[] = [];
  let down: number | undefined;
  for (const e of events) {
    if (e.pointerType === 'touch') continue;
    if (e.type === 'pointerdown') down = e.t;
    else if (e.type === 'pointerup' && down !== undefined) {
      const h = e.t - down;
      if (h >= 0 && Number.isFinite(h)) holds.push(h);
      down = undefined;
    }
  }
  return holds;
}

interface Kinematics {
  duration: number;
  distance: number;
  straightness: number;
  velocities: number[];
  accelerations: number[];
  jerks: number[];
  curvatures: number[];
  angleChanges: number[];
  direction: number;
}

export function actionKinematics(a: PointerAction): Kinematics {
  const v: number[] = [];
  const ts: number[] = [];
  const angles: number[] = [];
  let distance = 0;
  for (let i = 1; i < a.points.length; i++) {
    const p = a.points[i - 1]!;
    const q = a.points[i]!;
    const d = Math.hypot(q.x - p.x, q.y - p.y);
    distance += d;
    const dt = q.t - p.t;
    // Same-timestamp samples (coalesced events) carry no speed information.
    if (dt > 0) {
      v.push(d / dt);
      ts.push((p.t + q.t) / 2);
    }
    if (d > 0) angles.push(Math.atan2(q.y - p.y, q.x - p.x));
  }
  const diff = (xs: number[], times: number[]) => {
    const out: number[] = [];
    for (let i = 1; i < xs.length; i++) {
      const dt = times[i]! - times[i - 1]!;
      if (dt > 0) out.push((xs[i]! - xs[i - 1]!) / dt);
    }
    return out;
  };
  const acc = diff(v, ts);
  const jerk = diff(acc, ts.slice(1));
  const angleChanges: number[] = [];
  const curvatures: number[] = [];
  for (let i = 1; i < angles.length; i++) {
    let da = angles[i]! - angles[i - 1]!;
    while (da > Math.PI) da -= 2 * Math.PI;
    while (da < -Math.PI) da += 2 * Math.PI;
    angleChanges.push(Math.abs(da));
  }
  const first = a.points[0]!;
  const last = a.points[a.points.length - 1]!;
  const chord = Math.hypot(last.x - first.x, last.y - first.y);
  if (distance > 0) for (const c of angleChanges) curvatures.push(c / (distance / Math.max(1, angleChanges.length)));
  return {
    duration: a.end - a.start,
    distance,
    // Chord over path: 1 for a perfectly straight movement.
    straightness: distance > 0 ? Math.min(1, chord / distance) : 1,
    velocities: v,
    accelerations: acc,
    jerks: jerk,
    curvatures,
    angleChanges,
    direction: Math.atan2(last.y - first.y, last.x - first.x),
  };
}

export function pointerFeatures(events: readonly BatchEvent[], rules = POINTER_RULES): PointerWindow {
  const actions = pointerActions(events, rules);
  const k = actions.map(actionKinematics);
  const holds = clickHolds(events);
  const moves = events.filter((e) => e.type === 'pointermove' && e.pointerType !== 'touch' && Number.isFinite(e.x) && Number.isFinite(e.y));
  const speeds: number[] = [];
  const gaps: number[] = [];
  let total = 0;
  for (let i = 1; i < moves.length; i++) {
    const p = moves[i - 1]!;
    const q = moves[i]!;
    const d = Math.hypot(q.x! - p.x!, q.y! - p.y!);
    const dt = q.t - p.t;
    if (dt >= 0) gaps.push(dt);
    if (dt > rules.pauseMs) continue;
    total += d;
    if (dt > 0) speeds.push(d / dt);
  }
  const all = (f: (x: Kinematics) => number[]) => k.flatMap(f);
  const vector = Float64Array.of(
    actions.length,
    meanOf(k.map((x) => x.duration)),
    meanOf(k.map((x) => x.distance)),
    meanOf(k.map((x) => x.straightness), 1),
    sdOf(k.map((x) => x.straightness)),
    meanOf(all((x) => x.velocities)),
    sdOf(all((x) => x.velocities)),
    maxOf(all((x) => x.velocities)),
    meanOf(all((x) => x.accelerations).map(Math.abs)),
    sdOf(all((x) => x.accelerations)),
    meanOf(all((x) => x.jerks).map(Math.abs)),
    meanOf(all((x) => x.curvatures)),
    meanOf(all((x) => x.angleChanges)),
    meanOf(k.map((x) => Math.cos(x.direction))),
    meanOf(k.map((x) => Math.sin(x.direction))),
    meanOf(holds),
    sdOf(holds),
    meanOf(speeds),
    sdOf(speeds),
    maxOf(speeds),
    meanOf(gaps),
    sdOf(gaps),
    sumOf([total]),
  ).map((v) => finite(v));
  const judged = actions.length >= rules.minActions;
  return judged ? { judged, actions, vector } : { judged, reason: 'too_few_actions', actions, vector };
}

