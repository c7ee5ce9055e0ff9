// ModelService: train, list, fetch (the binary model-format file, for edges), activate and roll back
// models. Training runs in the background job queue; the call waits for it, scoring never does.
import type { Hono } from 'hono';
import type { ModelInfoInit } from '../../gen/proto/cadence/v1/ModelInfo.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { UserModels } from '../enrolment/service.ts';
import type { ServiceHandlers } from '../transport/rpc.ts';
import { GLOBAL_SCOPE, type ModelKind, type ModelRegistry, type ModelRow } from './registry.ts';

const KINDS: Record<string, ModelKind> = {
  MODEL_KIND_USER_KEYSTROKE: 'user-keystroke',
  MODEL_KIND_POPULATION_KEYSTROKE_FOREST: 'population-keystroke-forest',
  MODEL_KIND_SESSION_FOREST: 'session-forest',
  MODEL_KIND_OFFCHAIN_PAIR: 'offchain-pair',
  MODEL_KIND_USER_POINTER: 'user-pointer',
};
const WIRE_KINDS = Object.fromEntries(Object.entries(KINDS).map(([w, k]) => [k, w]));
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function modelInfo(row: ModelRow): ModelInfoInit {
  const metrics = Object.fromEntries(Object.entries(row.metrics).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
  return {
    id: row.id,
    kind: WIRE_KINDS[row.kind] as ModelInfoInit['kind'],
    scope: row.scope,
    version: row.version,
    sha256: row.sha256,
    featureSchema: row.featureSchema,
    metrics,
    trainedAtMs: row.trainedAtMs,
    active: row.active,
    activatedAtMs: row.activatedAtMs ?? 0,
    sizeBytes: row.binary.byteLength,
    pinned: row.pinned,
  };
}

function kindOf(wire: unknown, scope: string | undefined): ModelKind | undefined {
  const k = KINDS[String(wire)];
  if (k) return k;
  if (scope === undefined || scope === '') return undefined;
  return scope === GLOBAL_SCOPE ? 'population-keystroke-forest' : 'user-keystroke';
}

function scopeOf(scope: string): string {
  if (!scope) throw new CadenceError(Code.INVALID_ARGUMENT, 'scope is required: "global" or a user id', 'scope');
  if (!ID.test(scope)) throw new CadenceError(Code.INVALID_ARGUMENT, 'scope must be "global" or a user id', 'scope');
  return scope;
}

export function modelService(deps: { registry: ModelRegistry; users: UserModels; pointerUsers?: UserModels; userExists: (id: string) => Promise<boolean>; onActivated?: (row: ModelRow) => void }): ServiceHandlers {
  const { registry } = deps;
  async function train(req: { scope: string }, mustExist: boolean) {
    const scope = scopeOf(req.scope);
    if (scope !== GLOBAL_SCOPE && !(await deps.userExists(scope))) throw new CadenceError(Code.NOT_FOUND, `no user ${scope}`, 'scope');
    if (mustExist && !(await registry.active(kindOf(undefined, scope)!, scope))) {
      throw new CadenceError(Code.FAILED_PRECONDITION, `scope ${scope} has no model yet: call Train`, 'scope');
    }
    return { model: modelInfo(await deps.users.train(scope)) };
  }
  return {
    Train: (req: { scope: string }) => train(req, false),
    Retrain: (req: { scope: string }) => train(req, true),

    async ListModels(req: { scope: string; kind: string; activeOnly: boolean; pageSize: number; pageToken: string }) {
      if (req.scope) scopeOf(req.scope);
      const limit = req.pageSize === 0 ? 50 : req.pageSize;
      if (limit > 500) throw new CadenceError(Code.INVALID_ARGUMENT, 'pageSize must be at most 500', 'pageSize');
      let after: number | undefined;
      if (req.pageToken) {
        after = Number(Buffer.from(req.pageToken, 'base64url').toString());
        if (!Number.isSafeInteger(after) || after <= 0) throw new CadenceError(Code.INVALID_ARGUMENT, 'pageToken is not one this server issued', 'pageToken');
      }
      const rows = await registry.list({ scope: req.scope || undefined, kind: KINDS[String(req.kind)], activeOnly: req.activeOnly, limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        models: page.map((r) => modelInfo(r.row)),
        nextPageToken: rows.length > limit && last ? Buffer.from(String(last.rowid)).toString('base64url') : '',
      };
    },

    async GetModel(req: { id: string; scope: string; kind: string }) {
      const row = await find(registry, req);
      return { model: modelInfo(row), binary: row.binary };
    },

    async Activate(req: { id: string }) {
      if (!req.id) throw new CadenceError(Code.INVALID_ARGUMENT, 'id is required', 'id');
      const row = await registry.byId(req.id);
      if (!row) throw new CadenceError(Code.NOT_FOUND, `no model ${req.id}`, 'id');
      const active = await registry.activate(row, true);
      if (row.kind === 'user-keystroke') deps.users.forget(row.scope);
      if (row.kind === 'user-pointer') deps.pointerUsers?.forget(row.scope);
      deps.onActivated?.(active);
      return { model: modelInfo(active) };
    },

    async Rollback(req: { scope: string; kind: string }) {
      const scope = scopeOf(req.scope);
      const kind = kindOf(req.kind, scope)!;
      const current = await registry.active(kind, scope);
      if (!current) throw new CadenceError(Code.FAILED_PRECONDITION, `scope ${scope} has no active ${kind} model`, 'scope');
      const previous = await registry.previous(current);
      if (!previous) throw new CadenceError(Code.FAILED_PRECONDITION, `version ${current.version} is the first ${kind} model of ${scope}: nothing to roll back to`, 'scope');
      const now = await registry.activate(previous, true);
      if (kind === 'user-keystroke') deps.users.forget(scope);
      if (kind === 'user-pointer') deps.pointerUsers?.forget(scope);
      deps.onActivated?.(now);
      return { model: modelInfo(now), previous: modelInfo({ ...current, active: false }) };
    },
  };
}

async function find(registry: ModelRegistry, req: { id?: string; scope?: string; kind?: string }): Promise<ModelRow> {
  if (req.id) {
    if (!ID.test(req.id)) throw new CadenceError(Code.INVALID_ARGUMENT, 'id is not a model id', 'id');
    const row = await registry.byId(req.id);
    if (!row) throw new CadenceError(Code.NOT_FOUND, `no model ${req.id}`, 'id');
    return row;
  }
  const scope = scopeOf(req.scope ?? '');
  const kind = kindOf(req.kind, scope)!;
  const row = await registry.active(kind, scope);
  if (!row) throw new CadenceError(Code.NOT_FOUND, `scope ${scope} has no active ${kind} model`, 'scope');
  return row;
}

/**
 * GET /v1/models/<id> (or /v1/models/active/<scope>): the binary model for edges, with ETag = its
 * sha256 (quoted) so an edge revalidates with If-None-Match and gets 304 while it is current.
 */
/** `x-cadence-calibration: mid,edge` of a user's forest, for edges (see core/enrolment/fusion.ts). */
function calibrationHeader(row: ModelRow): Record<string, string> {
  const f = (row.state as { forest?: { mid?: unknown; edge?: unknown } } | null)?.forest;
  return typeof f?.mid === 'number' && typeof f.edge === 'number' ? { 'x-cadence-calibration': `${f.mid},${f.edge}` } : {};
}

export function addModelRoutes(http: Hono, registry: ModelRegistry): void {
  const serve = async (row: ModelRow, ifNoneMatch: string | undefined): Promise<Response> => {
    const etag = `"${row.sha256}"`;
    const headers = {
      etag,
      'cache-control': 'no-cache',
      'content-type': 'application/octet-stream',
      'x-cadence-model-id': row.id,
      'x-cadence-model-version': row.version,
      'x-cadence-model-kind': row.kind,
      'x-cadence-model-sha256': row.sha256,
      ...calibrationHeader(row),
    };
    if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(row.binary), { status: 200, headers });
  };
  const refuse = (e: unknown) => {
    const err = CadenceError.from(e);
    return new Response(JSON.stringify(err.toJSON()), { status: err.httpStatus, headers: { 'content-type': 'application/json' } });
  };
  http.get('/v1/models/active/:scope', async (c) => {
    try {
      return await serve(await find(registry, { scope: c.req.param('scope'), kind: c.req.query('kind') }), c.req.header('if-none-match'));
    } catch (e) {
      return refuse(e);
    }
  });
  http.get('/v1/models/:id', async (c) => {
    try {
      return await serve(await find(registry, { id: c.req.param('id') }), c.req.header('if-none-match'));
    } catch (e) {
      return refuse(e);
    }
  });
}
