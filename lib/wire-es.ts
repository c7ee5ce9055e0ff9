// The edge's IngestBatch request built directly as protobuf-es messages (the typed client's types,
// client/gen): the counterpart of lib/wire.ts's protobufjs-shaped objects, for callers that send
// through client/. Literals with every field set, not create() or fromJson(): building the message
// is then no dearer than building lib/wire.ts's object, where converting that object with fromJson
// costs about twice JSON.stringify (`cadence bench edge-client --in-process`). The enums' numbers
// come from the generated code; test/node/wire-es.test.ts checks the result equals fromJson of
// lib/wire.ts's request for every event kind.
import type { IngestBatchRequest } from '../client/gen/cadence/v1/ingest_pb.ts';
import type { BatchContext, Event, EventBatch as EsBatch } from '../client/gen/cadence/v1/events_pb.ts';
import { EventType, KeyClass } from '../client/gen/cadence/v1/events_pb.ts';
import { Decision as EsDecision } from '../client/gen/cadence/v1/risk_pb.ts';
import type { Geo } from './geo.ts';
import type { BatchEvent, EventBatch } from '../scoring/batch.ts';
import { EVENT_TYPES, KEY_CLASSES } from '../scoring/batch-limits.ts';
import type { Assessment } from '../scoring/prescore.ts';
import type { Decision } from '../scoring/policy.ts';

const enumOf = <E extends Record<string, string | number>>(e: E, name: string) => e[name.toUpperCase() as keyof E] as number;
const TYPE = new Map(EVENT_TYPES.map((t) => [t, enumOf(EventType, t) as EventType]));
const KEY_CLASS = new Map(KEY_CLASSES.map((k) => [k, enumOf(KeyClass, k) as KeyClass]));
const DECISION: Record<Decision, EsDecision> = { allow: EsDecision.ALLOW, monitor: EsDecision.MONITOR, challenge: EsDecision.CHALLENGE, block: EsDecision.BLOCK };

function event(e: BatchEvent): Event {
  return {
    $typeName: 'cadence.v1.Event', type: TYPE.get(e.type)!, t: e.t, keyClass: e.keyClass === undefined ? KeyClass.UNSPECIFIED : KEY_CLASS.get(e.keyClass)!,
    field: e.field ?? '', position: e.position, x: e.x, y: e.y, dx: e.dx, dy: e.dy, button: e.button, pressure: e.pressure,
    pointerType: e.pointerType ?? '', state: e.state ?? '',
  };
}

function context(c: NonNullable<EventBatch['context']>): BatchContext {
  return {
    $typeName: 'cadence.v1.BatchContext', page: c.page ?? '', deviceId: c.deviceId ?? '', language: c.language ?? '',
    screen: c.screen && { $typeName: 'cadence.v1.Screen', width: c.screen.width, height: c.screen.height },
  };
}

export function esBatch(b: EventBatch): EsBatch {
  return { $typeName: 'cadence.v1.EventBatch', sessionId: b.sessionId, batchId: b.batchId, seq: b.seq, consent: b.consent, context: b.context && context(b.context), events: b.events.map(event) };
}

/** edge/delivery.ts's ingestRequest as a protobuf-es message. */
export function esIngestRequest(batch: EventBatch, a: Assessment, receivedAtMs: number, geo?: Geo): IngestBatchRequest {
  return {
    $typeName: 'cadence.v1.IngestBatchRequest',
    batch: esBatch(batch),
    edgeAssessment: { $typeName: 'cadence.v1.RiskAssessment', score: a.score, decision: DECISION[a.decision], modelVersion: a.modelVersion, reasons: [...a.reasons], judged: a.judged },
    receivedAtMs: BigInt(receivedAtMs),
    geo: geo && { $typeName: 'cadence.v1.RequestGeo', country: geo.country ?? '', city: geo.city ?? '' },
  };
}
