// test/helpers/typed-core.ts, which most tests read the core's answers through: a typed answer as
// the plain object the assertions were written for, and a proto3 JSON request as a typed message.
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { IngestBatchErrorSchema, IngestBatchesResponseSchema, IngestBatchResultSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { GetModelResponseSchema, ModelInfoSchema, ModelKind } from '../../client/gen/cadence/v1/models_pb.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { callError, fromPlain, plain } from '../helpers/typed-core.ts';

describe('plain', () => {
  it('gives 64-bit integers as strings, enums by full name, maps, bytes as Buffer, implicit fields, unset messages null', () => {
    const model = create(ModelInfoSchema, { id: 'm', kind: ModelKind.SESSION_FOREST, trainedAtMs: 2n ** 60n, metrics: { auc: 0.9 } });
    const got = plain(GetModelResponseSchema, create(GetModelResponseSchema, { model, binary: new Uint8Array([1, 2]) }));
    expect(got.model).toMatchObject({ id: 'm', kind: 'MODEL_KIND_SESSION_FOREST', trainedAtMs: '1152921504606846976', metrics: { auc: 0.9 }, scope: '', featureSchema: [] });
    expect(Buffer.isBuffer(got.binary) && [...got.binary]).toEqual([1, 2]);
    expect(plain(GetModelResponseSchema, create(GetModelResponseSchema)).model).toBeNull();
  });

  it('names the case of a oneof and leaves the other members out', () => {
    const error = create(IngestBatchErrorSchema, { code: 'failed_precondition', field: 'batch.consent' });
    const got = plain(IngestBatchesResponseSchema, create(IngestBatchesResponseSchema, { results: [create(IngestBatchResultSchema, { outcome: { case: 'error', value: error } })] }));
    expect(got.results).toEqual([{ outcome: 'error', error: { code: 'failed_precondition', message: '', field: 'batch.consent' } }]);
  });
});

describe('fromPlain and callError', () => {
  it('reads proto3 JSON (enum names, int64 strings, Buffers) and refuses a field the message does not have', () => {
    const m = fromPlain(GetModelResponseSchema, { model: { kind: 'MODEL_KIND_OFFCHAIN_PAIR', trained_at_ms: '7' }, binary: Buffer.from([9]) });
    expect([m.model?.kind, m.model?.trainedAtMs, [...m.binary]]).toEqual([ModelKind.OFFCHAIN_PAIR, 7n, [9]]);
    expect(() => fromPlain(GetModelResponseSchema, { nope: 1 })).toThrow(/nope/);
  });

  it('keeps the code, the message as written, trailers and the field violations', () => {
    const err = new ConnectError('email: email is required', Code.InvalidArgument, { 'cadence-field': 'email' }, [
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: 'email', description: 'email is required' }] } },
    ]);
    const got = callError(err);
    expect([got.code, got.details, got.metadata.get('cadence-field'), got.fieldViolations]).toEqual([3, 'email: email is required', ['email'], [{ field: 'email', description: 'email is required' }]]);
  });
});
