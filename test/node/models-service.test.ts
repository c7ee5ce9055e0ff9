// ModelService over real gRPC and GET /v1/models on the HTTP face: training, the registry, the binary
// model with its sha256 / ETag, activation and rollback, admin-key protection of the changes.
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREST_SCHEMA } from '../../core/enrolment/windows.ts';
import { createHash } from 'node:crypto';
import { parseModel } from '../../wasm/model-format.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { enrolledUser } from '../helpers/enrolled.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'models-admin-key-0123456789';
let h: Harness;
let c: ReturnType<typeof coreClients>;
let http: string;

beforeAll(async () => {
  // Registry mechanics, not model quality: the quality gate would (rightly) refuse some 10-window models.
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: ADMIN, CADENCE_ENROL_MIN_WINDOWS: '10', CADENCE_MODEL_QUALITY_GATE: 'off', CADENCE_RETRAIN_EVERY: '1000' });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
  http = `http://127.0.0.1:${h.core.httpPort}`;
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

describe('ModelService', () => {
  it('refuses changes without the admin key, and training without enough windows', async () => {
    const u = await enrolledUser(h, 'few@example.com', 3);
    expect((await rejection(c.train({ scope: u.userId }, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.train({ scope: u.userId }, 'not-the-admin-key-at-all'))).code).toBe(status.UNAUTHENTICATED);
    const few = await rejection(c.train({ scope: u.userId }));
    expect(few.code).toBe(status.FAILED_PRECONDITION);
    expect(few.details).toMatch(/3 enrolment windows; a model needs 10/);
    expect((await rejection(c.train({ scope: 'no-such-user' }))).code).toBe(status.NOT_FOUND);
    expect((await rejection(c.retrain({ scope: u.userId }))).code).toBe(status.FAILED_PRECONDITION);
    expect((await rejection(c.train({ scope: '' }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await rejection(c.getModel({ id: 'nope' }))).code).toBe(status.NOT_FOUND);
  });

  it('trains, lists, serves the binary (sha256, ETag), activates and rolls back', async () => {
    const u = await enrolledUser(h, 'models@example.com', 10);
    const auto = await eventually(async () => (await c.listModels({ scope: u.userId })).models[0]);
    expect(auto).toMatchObject({ version: '1.0.0', active: true, kind: 'MODEL_KIND_USER_KEYSTROKE' });

    const second = (await c.retrain({ scope: u.userId })).model;
    expect(second).toMatchObject({ version: '1.1.0', active: true });
    const third = (await c.train({ scope: u.userId })).model;
    expect(third.version).toBe('1.2.0');
    const listed = await c.listModels({ scope: u.userId });
    expect(listed.models.map((m: any) => [m.version, m.active])).toEqual([['1.2.0', true], ['1.1.0', false], ['1.0.0', false]]);
    const page1 = await c.listModels({ scope: u.userId, pageSize: 2 });
    const page2 = await c.listModels({ scope: u.userId, pageSize: 2, pageToken: page1.nextPageToken });
    expect([...page1.models, ...page2.models].map((m: any) => m.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    expect(page2.nextPageToken).toBe('');

    // The binary over gRPC: a model-format file whose sha256 is the registry's.
    const got = await c.getModel({ id: third.id });
    const bytes = new Uint8Array(got.binary);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(third.sha256);
    const parsed = await parseModel(bytes, { schema: FOREST_SCHEMA, kind: 'iforest' });
    expect(parsed.ok).toBe(true);
    expect((await c.getModel({ scope: u.userId })).model.id).toBe(third.id); // the active one

    // The same over HTTP, with the sha256 as ETag; a revalidation is a 304.
    const res = await fetch(`${http}/v1/models/${third.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${third.sha256}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect((await fetch(`${http}/v1/models/${third.id}`, { headers: { 'if-none-match': `"${third.sha256}"` } })).status).toBe(304);
    expect((await fetch(`${http}/v1/models/active/${u.userId}`)).headers.get('x-cadence-model-version')).toBe('1.2.0');
    expect((await fetch(`${http}/v1/models/nope`)).status).toBe(404);

    // Rollback: back to 1.1.0, then 1.0.0, then nothing older; Activate picks any version.
    const back = await c.rollback({ scope: u.userId });
    expect([back.model.version, back.previous.version]).toEqual(['1.1.0', '1.2.0']);
    await u.send();
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).latest.modelVersion).toMatch(/^user-keystroke@1\.1\.0\+population-keystroke-/);
    expect((await c.rollback({ scope: u.userId })).model.version).toBe('1.0.0');
    expect((await rejection(c.rollback({ scope: u.userId }))).code).toBe(status.FAILED_PRECONDITION);
    expect((await c.activate({ id: third.id })).model).toMatchObject({ version: '1.2.0', active: true });
    expect((await c.listModels({ scope: u.userId, activeOnly: true })).models.map((m: any) => m.version)).toEqual(['1.2.0']);
    await u.send();
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).latest.modelVersion).toMatch(/^user-keystroke@1\.2\.0\+population-keystroke-/);
  }, 60_000);

  it('trains a global population forest from every user\'s windows', async () => {
    const g = (await c.train({ scope: 'global' })).model;
    expect(g).toMatchObject({ kind: 'MODEL_KIND_POPULATION_KEYSTROKE_FOREST', scope: 'global', version: '1.0.0', active: true });
    expect(g.metrics.trained_windows).toBeGreaterThanOrEqual(13);
    const res = await fetch(`${http}/v1/models/active/global`);
    expect((await parseModel(new Uint8Array(await res.arrayBuffer()), { schema: FOREST_SCHEMA })).ok).toBe(true);
  });
});
