// Hands accepted batches to the core through the typed client (edge/core-clients.ts: Connect
// binary). With several core instances (one shared database), calls go round-robin and fail over to
// the next instance when one is away.
import { create, fromBinary, fromJson, toBinary, type JsonValue } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import type { BytesPost } from '../client/unary-transport.ts';
import { IngestBatchesRequestSchema, IngestBatchRequestSchema, type IngestBatchRequest } from '../client/gen/cadence/v1/ingest_pb.ts';
import { StandingLevel, type SessionStanding } from '../client/gen/cadence/v1/risk_pb.ts';
import { CadenceError, Code, codeFromName } from '../lib/errors.ts';
import { fromWireStanding } from '../lib/wire.ts';
import type { Standing } from '../scoring/session-standing.ts';
import { createCoreClients } from './core-clients.ts';
import { encodeIngestBatchRequest } from '../lib/ingest-encode.ts';

/**
 * The core's standing of a session after one of its batches (replay index, the user's model, the
 * stored evidence): what the edge alone cannot see, handed to the edge's mirror so that the
 * session's later answers carry it, with or without a stream open.
 */
export type OnCoreStanding = (sessionId: string, level: Standing, reasons: readonly string[]) => void;

/** An IngestBatchRequest as a durable delivery keeps it: its binary encoding, and its session. */
export interface StoredRequest {
  sessionId: string;
  bytes: Uint8Array;
}

export interface Forwarder {
  /** Calls IngestBatch on a core; rejects with a CadenceError carrying the core's code. */
  send(request: IngestBatchRequest): Promise<{ duplicate: boolean }>;
  /** The same with the request already encoded (as the spool keeps it): sent as stored. */
  sendStored(request: StoredRequest): Promise<{ duplicate: boolean }>;
  /**
   * Several stored requests in one IngestBatches call, answered one by one (a CadenceError for
   * each refused); the call as a whole rejects only when no core answered it. Without it, a
   * spool sends its batches one call each.
   */
  sendManyStored?(requests: readonly StoredRequest[]): Promise<({ duplicate: boolean } | CadenceError)[]>;
  /** True when at least one core answers its health check. */
  reachable(): Promise<boolean>;
}

/** The binary encoding a delivery stores (the bytes sendStored sends): toBinary's bytes, written without reflection (lib/ingest-encode.ts). */
export const encodeRequest = (request: IngestBatchRequest): Uint8Array => encodeIngestBatchRequest(request);

/** The same from the proto3 JSON that spool rows and queue messages held before; throws when it is not an IngestBatchRequest. */
export const encodeJsonRequest = (json: unknown): Uint8Array => encodeRequest(fromJson(IngestBatchRequestSchema, json as JsonValue));

/** A level of the core's standing as the edge names it (undefined for UNSPECIFIED). */
export const standingOf = (level: StandingLevel): Standing | undefined => fromWireStanding(`STANDING_LEVEL_${StandingLevel[level] ?? ''}`);

// Stored requests are spliced into the messages the typed client encodes as protobuf-es's unknown
// fields, which toBinary writes back byte for byte: no decode and re-encode per batch. A request's
// top-level fields are read (each skipped by its length, the events never decoded) as the unknown
// fields of an empty message; a repeated message field is the concatenation of its elements, each
// tagged and length-prefixed.
function storedBatch(bytes: Uint8Array): IngestBatchRequest {
  const message = create(IngestBatchRequestSchema);
  message.$unknown = fromBinary(EmptySchema, bytes).$unknown;
  return message;
}
const REQUESTS = IngestBatchesRequestSchema.field.requests.number;
function storedBatches(requests: readonly StoredRequest[]) {
  const message = create(IngestBatchesRequestSchema);
  message.$unknown = requests.map((r) => ({ no: REQUESTS, wireType: WireType.LengthDelimited, data: new BinaryWriter().bytes(r.bytes).finish() }));
  return message;
}

export function createCoreForwarder(options: { coreUrls: readonly string[]; timeoutMs: number; post?: BytesPost; apiKey?: string; onStanding?: OnCoreStanding }): Forwarder {
  const cores = createCoreClients({ coreUrls: options.coreUrls, timeoutMs: options.timeoutMs, apiKey: options.apiKey, post: options.post });
  /** Hands the core's standing of the request's session to the mirror; never throws. */
  const heard = (sessionId: string | undefined, standing: SessionStanding | undefined) => {
    if (!options.onStanding || !standing || !sessionId) return;
    const level = standingOf(standing.level);
    if (level) options.onStanding(sessionId, level, [...standing.reasons]);
  };
  async function ingest(request: IngestBatchRequest, sessionId: string | undefined): Promise<{ duplicate: boolean }> {
    const res = await cores.call((core) => core.ingest.ingestBatch(request));
    heard(sessionId, res.standing);
    return { duplicate: res.duplicate };
  }
  const sendStored = (r: StoredRequest) => ingest(storedBatch(r.bytes), r.sessionId);
  const settle = (p: Promise<{ duplicate: boolean }>) => p.catch((err: unknown) => CadenceError.from(err));
  // A core from before IngestBatches answers UNIMPLEMENTED: then batches go one by one.
  let many = true;
  async function sendManyStored(requests: readonly StoredRequest[]): Promise<({ duplicate: boolean } | CadenceError)[]> {
    if (requests.length === 1 || !many) return Promise.all(requests.map((r) => settle(sendStored(r))));
    let results;
    try {
      results = (await cores.call((core) => core.ingest.ingestBatches(storedBatches(requests)))).results;
    } catch (err) {
      if (CadenceError.from(err).code !== Code.UNIMPLEMENTED) throw err;
      many = false;
      return sendManyStored(requests);
    }
    return requests.map((request, i) => {
      const outcome = results[i]?.outcome;
      if (outcome?.case === 'response') {
        heard(request.sessionId, outcome.value.standing);
        return { duplicate: outcome.value.duplicate };
      }
      if (outcome?.case === 'error') return new CadenceError(codeFromName(outcome.value.code) ?? Code.UNKNOWN, outcome.value.message || 'refused by the core', outcome.value.field || undefined);
      return new CadenceError(Code.UNAVAILABLE, 'the core gave no answer for this batch');
    });
  }
  return {
    send: (request) => ingest(request, request.batch?.sessionId),
    sendStored,
    sendManyStored,
    async reachable() {
      // The core's /healthz (it also says whether the core's database answers), not an RPC.
      const probes = options.coreUrls.map(async (url) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), 1000);
        try {
          const res = await fetch(`${url.replace(/\/+$/, '')}/healthz`, { signal: abort.signal });
          await res.body?.cancel();
          return res.ok;
        } catch {
          return false;
        } finally {
          clearTimeout(timer);
        }
      });
      return (await Promise.all(probes)).some(Boolean);
    },
  };
}
