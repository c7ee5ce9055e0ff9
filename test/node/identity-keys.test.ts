// Signing keys and secrets at rest: encrypted private keys, JWKS across rotation and restarts, and
// logs that never carry a password, MPIN or token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '../helpers/typed-core.ts';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../core/identity/keys.ts';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, typing } from '../helpers/batches.ts';
import { rejection, startIdentityCore } from '../helpers/identity.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cadence-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signing keys', () => {
  it('encrypts the private key with CADENCE_KEY_SECRET and refuses to start signing with the wrong secret', async () => {
    const url = `file:${path.join(dir, 'enc.db')}`;
    const db = await createDb(url);
    const now = () => Date.now();
    const keys = createKeyStore(db, { secret: 'a long enough key secret', now });
    const { kid } = await keys.signingKey();
    const row = (await db.$client.execute('select private_key from signing_keys')).rows[0]!;
    expect(String(row.private_key)).toMatch(/^aes-256-gcm:/);
    expect(String(row.private_key)).not.toMatch(/PRIVATE KEY/);
    // The same key comes back after a restart, with the same secret only.
    expect((await createKeyStore(db, { secret: 'a long enough key secret', now }).signingKey()).kid).toBe(kid);
    await expect(createKeyStore(db, { secret: 'another secret entirely', now }).signingKey()).rejects.toThrow(/cannot be decrypted/);
    await expect(createKeyStore(db, { now }).signingKey()).rejects.toThrow(/set CADENCE_KEY_SECRET/);
    db.$client.close();
  });

  it('keeps old keys in the JWKS after rotation, so tokens signed before still verify', async () => {
    const h = await startIdentityCore({ CADENCE_KEY_SECRET: 'a long enough key secret' }, { dbUrl: `file:${path.join(dir, 'rot.db')}` });
    try {
      await h.identity.register({ email: 'rot@example.com', password: 'correct horse battery', mpin: '1234' });
      const before = await h.identity.login({ email: 'rot@example.com', password: 'correct horse battery', deviceId: 'd1' });
      const db = await createDb(h.dbUrl, { migrate: false });
      h.clock.advance(1000);
      const kid2 = await createKeyStore(db, { secret: 'a long enough key secret', now: () => h.clock.t }).rotate();
      db.$client.close();
      // The running core picks up a key rotated elsewhere (another instance) within a minute.
      h.clock.advance(61_000);
      const jwks = JSON.parse((await h.identity.getJwks({})).jwksJson) as { keys: { kid: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toContain(kid2);
      expect(jwks.keys).toHaveLength(2);
      await jwtVerify(before.tokens.accessToken, createLocalJWKSet(jwks as never), { currentDate: new Date(h.clock.t) });
      // New tokens are signed with the new key.
      const after = await h.identity.login({ email: 'rot@example.com', password: 'correct horse battery', deviceId: 'd1' });
      expect(JSON.parse(Buffer.from(after.tokens.accessToken.split('.')[0], 'base64url').toString()).kid).toBe(kid2);
    } finally {
      await h.stop();
    }
  });
});

describe('logs', () => {
  it('never contain a password, MPIN, refresh token or access token', async () => {
    const lines: string[] = [];
    const h = await startIdentityCore({}, { logLines: lines });
    const secrets = { password: 'Sup3r-secret-passphrase', mpin: '8642' };
    try {
      await h.identity.register({ email: 'log@example.com', ...secrets });
      await rejection(h.identity.login({ email: 'log@example.com', password: 'Wr0ng-secret-passphrase', deviceId: 'd1' }));
      const login = await h.identity.login({ email: 'log@example.com', password: secrets.password, deviceId: 'd1' });
      const auth = { accessToken: login.tokens.accessToken, deviceId: 'd1' };
      await rejection(h.identity.verifyMpin({ ...auth, mpin: '1111' }));
      await h.identity.verifyMpin({ ...auth, mpin: secrets.mpin });
      const r = await h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'd1' });
      expect((await rejection(h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'd1' }))).code).toBe(status.UNAUTHENTICATED);
      await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, events: typing(), context: { deviceId: 'd1' } })) });
      const text = lines.join('');
      expect(text).toMatch(/login/); // the log is there, with facts
      for (const s of [secrets.password, 'Wr0ng-secret-passphrase', secrets.mpin, '1111', login.tokens.refreshToken, login.tokens.accessToken, r.tokens.refreshToken, r.tokens.accessToken]) {
        expect(text).not.toContain(s);
      }
      expect(text).not.toMatch(/PRIVATE KEY/);
    } finally {
      await h.stop();
    }
  });
});
