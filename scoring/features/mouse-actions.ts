// Mouse actions as in the Balabit literature (Antal & Egyed-Zsigmond 2019): mouse move (MM, ends at
// a pause), point-click (PC, a move ended by a press) and drag-drop (DD, press, moves, release);
// one feature vector per action, built on scoring/features/pointer.ts's kinematics.
import type { BatchEvent } from '../batch.ts';
import { actionKinematics, type PointerAction } from './pointer.ts';
import { finite, maxOf, meanOf, sdOf } from './numeric.ts';

export const MOUSE_ACTION_RULES = {
  /** A gap between moves longer than this ends a movement (ms). */
  pauseMs: 300,
  /** Actions with fewer points carry no kinematics worth scoring (the literature drops < 4). */
  minPoints: 4,
  /** Longer holds than this are not clicks but an idle press (ms). */
  maxHoldMs: 5000,
} as const;

export type ActionKind = 'move' | 'click' | 'drag';

export interface MouseAction extends PointerAction {
  kind: ActionKind;
  /** Press-to-release time of the click or drag ending the action (ms); NaN for a plain move. */
  hold: number;
  /** Idle time before the action started (ms), capped. */
  before: number;
}

export const MOUSE_ACTION_FEATURES = [
  'is_click', 'is_drag', 'duration', 'distance', 'chord', 'straightness', 'points', 'dir_cos', 'dir_sin',
  'v_mean', 'v_sd', 'v_max', 'vx_mean', 'vy_mean', 'a_mean', 'a_sd', 'a_max', 'a_min', 'jerk_mean', 'jerk_sd',
  'curvature_mean', 'curvature_sd', 'angle_change_sum', 'angular_v_mean', 'max_deviation', 'peak_v_at',
  'accel_time_share', 'hold', 'idle_before',
] as const;

/** Splits a session's pointer events into MM, PC and DD actions. */
export function mouseActions(events: readonly BatchEvent[], rules = MOUSE_ACTION_RULES): MouseAction[] {
  const out: MouseAction[] = [];
  let points: PointerAction['points'] = [];
  let pressedAt: number | undefined;
  let lastEnd = 0;
  let pendingClick: MouseAction | undefined;
  const close = (kind: ActionKind, hold = Number.NaN) => {
    if (points.length >= rules.minPoints) {
      const start = points[0]!.t;
      const a: MouseAction = { start, end: points[points.length - 1]!.t, points, endsInClick: kind !== 'move', kind, hold, before: Math.min(10_000, Math.max(0, start - lastEnd)) };
      out.push(a);
      lastEnd = a.end;
      points = [];
      return a;
    }
    if (points.length) lastEnd = points[points.length - 1]!.t;
    points = [];
    return undefined;
  };
  for (const e of events) {
    if (e.pointerType === 'touch') continue;
    if (e.type === 'pointermove' && Number.isFinite(e.x) && Number.isFinite(e.y)) {
      const last = points[points.length - 1];
      if (last && e.t - last.t > rules.pauseMs) close(pressedAt !== undefined ? 'drag' : 'move');
      points.push({ t: e.t, x: e.x!, y: e.y! });
    } else if (e.type === 'pointerdown') {
      pendingClick = close('click');
      pressedAt = e.t;
      // A drag starts where the press happened.
      if (Number.isFinite(e.x) && Number.isFinite(e.y)) points.push({ t: e.t, x: e.x!, y: e.y! });
    } else if (e.type === 'pointerup') {
      const hold = pressedAt !== undefined && e.t - pressedAt <= rules.maxHoldMs ? e.t - pressedAt : Number.NaN;
      if (points.length > 1) {
        if (Number.isFinite(e.x) && Number.isFinite(e.y)) points.push({ t: e.t, x: e.x!, y: e.y! });
        close('drag', hold);
      } else {
        points = [];
        if (pendingClick) pendingClick.hold = hold;
      }
      pendingClick = undefined;
      pressedAt = undefined;
    } else if (e.type === 'wheel') {
      close(pressedAt !== undefined ? 'drag' : 'move');
    }
  }
  close(pressedAt !== undefined ? 'drag' : 'move');
  return out;
}

/** One finite feature vector per action, in MOUSE_ACTION_FEATURES order. */
export function actionVector(a: MouseAction): Float64Array {
  const k = actionKinematics(a);
  const p = a.points;
  const vx: number[] = [];
  const vy: number[] = [];
  const angularV: number[] = [];
  let prevAngle: number | undefined;
  for (let i = 1; i < p.length; i++) {
    const dt = p[i]!.t - p[i - 1]!.t;
    const dx = p[i]!.x - p[i - 1]!.x;
    const dy = p[i]!.y - p[i - 1]!.y;
    if (dt > 0) {
      vx.push(Math.abs(dx) / dt);
      vy.push(Math.abs(dy) / dt);
    }
    if (dx !== 0 || dy !== 0) {
      const angle = Math.atan2(dy, dx);
      if (prevAngle !== undefined && dt > 0) {
        let da = angle - prevAngle;
        while (da > Math.PI) da -= 2 * Math.PI;
        while (da < -Math.PI) da += 2 * Math.PI;
        angularV.push(Math.abs(da) / dt);
      }
      prevAngle = angle;
    }
  }
  // Largest perpendicular distance of the path from the chord: how far the hand strays.
  const first = p[0]!;
  const last = p[p.length - 1]!;
  const chord = Math.hypot(last.x - first.x, last.y - first.y);
  let deviation = 0;
  if (chord > 0) {
    for (const q of p) deviation = Math.max(deviation, Math.abs((last.x - first.x) * (first.y - q.y) - (first.x - q.x) * (last.y - first.y)) / chord);
  }
  const v = k.velocities;
  let peak = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[peak]!) peak = i;
  const accelerating = k.accelerations.filter((x) => x > 0).length;
  return Float64Array.of(
    a.kind === 'click' ? 1 : 0,
    a.kind === 'drag' ? 1 : 0,
    k.duration,
    k.distance,
    chord,
    k.straightness,
    p.length,
    Math.cos(k.direction),
    Math.sin(k.direction),
    meanOf(v),
    sdOf(v),
    maxOf(v),
    meanOf(vx),
    meanOf(vy),
    meanOf(k.accelerations.map(Math.abs)),
    sdOf(k.accelerations),
    maxOf(k.accelerations),
    -Math.min(0, ...k.accelerations.filter(Number.isFinite)),
    meanOf(k.jerks.map(Math.abs)),
    sdOf(k.jerks),
    meanOf(k.curvatures),
    sdOf(k.curvatures),
    k.angleChanges.reduce((s, x) => s + x, 0),
    meanOf(angularV),
    deviation,
    v.length > 1 ? peak / (v.length - 1) : 0,
    k.accelerations.length ? accelerating / k.accelerations.length : 0,
    finite(a.hold, 0),
    a.before,
  ).map((x) => finite(x));
}
