// Converts between the browser's batch (validated JSON) and the proto messages of proto/cadence/v1,
// in both directions, so the core can run the very same validation the edge ran.
import type { EventBatch as WireBatch, EventBatchInit as WireBatchInit } from '../gen/proto/cadence/v1/EventBatch.ts';
import type { Event as WireEvent, EventInit as WireEventInit } from '../gen/proto/cadence/v1/Event.ts';
import type { RiskAssessment, RiskAssessmentInit } from '../gen/proto/cadence/v1/RiskAssessment.ts';
import type { Decision as WireDecision } from '../gen/proto/cadence/v1/Decision.ts';
import type { EventBatch, BatchEvent, EventType, KeyClass } from '../scoring/batch.ts';
import { EVENT_TYPES, KEY_CLASSES } from '../scoring/batch-limits.ts';
import type { Assessment } from '../scoring/prescore.ts';
import type { Decision } from '../scoring/policy.ts';
import type { SessionStandingInit } from '../gen/proto/cadence/v1/SessionStanding.ts';
import { requiredActionOf, STANDINGS, type Standing } from '../scoring/session-standing.ts';

const upper = (s: string) => s.toUpperCase();
// The wire names of the enums, built once: per event they are looked up, not concatenated.
const WIRE_TYPE = new Map(EVENT_TYPES.map((t) => [t, `EVENT_TYPE_${upper(t)}` as WireEventInit['type']]));
const WIRE_KEY_CLASS = new Map(KEY_CLASSES.map((k) => [k, `KEY_CLASS_${upper(k)}` as WireEventInit['keyClass']]));

export function toWireEvent(e: BatchEvent): WireEventInit {
  const w: WireEventInit = { type: WIRE_TYPE.get(e.type)!, t: e.t };
  if (e.keyClass !== undefined) w.keyClass = WIRE_KEY_CLASS.get(e.keyClass)!;
  if (e.field !== undefined) w.field = e.field;
  if (e.position !== undefined) w.position = e.position;
  if (e.x !== undefined) w.x = e.x;
  if (e.y !== undefined) w.y = e.y;
  if (e.dx !== undefined) w.dx = e.dx;
  if (e.dy !== undefined) w.dy = e.dy;
  if (e.button !== undefined) w.button = e.button;
  if (e.pressure !== undefined) w.pressure = e.pressure;
  if (e.pointerType !== undefined) w.pointerType = e.pointerType;
  if (e.state !== undefined) w.state = e.state;
  return w;
}

export function toWireBatch(b: EventBatch): WireBatchInit {
  const w: WireBatchInit = { sessionId: b.sessionId, batchId: b.batchId, seq: b.seq, consent: b.consent, events: b.events.map(toWireEvent) };
  if (b.context) w.context = { ...b.context };
  return w;
}

/** The proto batch back in the browser's JSON shape, to be validated by parseBatch. */
export function fromWireBatch(w: WireBatch): unknown {
  const out: Record<string, unknown> = {
    sessionId: w.sessionId,
    batchId: w.batchId,
    seq: w.seq,
    consent: w.consent,
    events: w.events.map(fromWireEvent),
  };
  if (w.context) {
    const c: Record<string, unknown> = {};
    if (w.context.page) c.page = w.context.page;
    if (w.context.deviceId) c.deviceId = w.context.deviceId;
    if (w.context.language) c.language = w.context.language;
    if (w.context.screen) c.screen = { width: w.context.screen.width, height: w.context.screen.height };
    out.context = c;
  }
  return out;
}

const enumName = (value: string, prefix: string) => (value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value);

function fromWireEvent(w: WireEvent): Record<string, unknown> {
  const e: Record<string, unknown> = { type: enumName(String(w.type), 'EVENT_TYPE_') as EventType, t: w.t };
  if (w.keyClass && w.keyClass !== 'KEY_CLASS_UNSPECIFIED') e.keyClass = enumName(String(w.keyClass), 'KEY_CLASS_') as KeyClass;
  if (w.field) e.field = w.field;
  // proto3 `optional` fields say whether they were set through their synthetic oneofs.
  if (w._position) e.position = w.position;
  if (w._x) e.x = w.x;
  if (w._y) e.y = w.y;
  if (w._dx) e.dx = w.dx;
  if (w._dy) e.dy = w.dy;
  if (w._button) e.button = w.button;
  if (w._pressure) e.pressure = w.pressure;
  if (w.pointerType) e.pointerType = w.pointerType;
  if (w.state) e.state = w.state;
  return e;
}

export const toWireDecision = (d: Decision): WireDecision => `DECISION_${upper(d)}` as WireDecision;
export const fromWireDecision = (d: string): Decision | undefined => {
  const name = enumName(d, 'DECISION_');
  return name === 'allow' || name === 'monitor' || name === 'challenge' || name === 'block' ? name : undefined;
};

export function toWireAssessment(a: Assessment): RiskAssessmentInit {
  return { score: a.score, decision: toWireDecision(a.decision), modelVersion: a.modelVersion, reasons: a.reasons, judged: a.judged };
}

export function fromWireAssessment(w: RiskAssessment | null | undefined): Assessment | undefined {
  if (!w) return undefined;
  const decision = fromWireDecision(String(w.decision));
  if (!decision) return undefined;
  return { score: w.score, decision, modelVersion: w.modelVersion, reasons: [...w.reasons], judged: w.judged };
}

/** A session's standing on the wire (SessionStanding in proto/cadence/v1/risk.proto). */
export interface StandingView {
  level: Standing;
  reasons: readonly string[];
  atMs: number | null;
}

export function toWireStanding(s: StandingView): SessionStandingInit {
  return {
    level: `STANDING_LEVEL_${upper(s.level)}` as SessionStandingInit['level'],
    requiredAction: requiredActionOf(s.level),
    reasons: [...s.reasons],
    changedAtMs: s.atMs ?? 0,
    severity: STANDING_SEVERITY[s.level],
  };
}

/** Seed 000's grading, for standings: a lock is as severe as a block. */
export const STANDING_SEVERITY: Record<Standing, 'none' | 'low' | 'medium' | 'high'> = { allow: 'none', monitor: 'low', challenge: 'medium', block: 'high', locked: 'high' };

export const fromWireStanding = (level: string): Standing | undefined => {
  const name = enumName(level, 'STANDING_LEVEL_') as Standing;
  return (STANDINGS as readonly string[]).includes(name) ? name : undefined;
};
