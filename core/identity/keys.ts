// Ed25519 signing keys for access tokens: created at first start, kept in libSQL (private key
// encrypted when a secret is configured), served as a JWKS; the newest unretired key signs.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sealSecret, unsealSecret } from '../crypto/seal.ts';
import { desc, isNull } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { Db } from '../../db/client.ts';
import { signingKeys } from '../../db/schema.ts';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface KeyStoreOptions {
  /** Key-encryption secret (CADENCE_KEY_SECRET); without it the private key is stored as plain PKCS#8. */
  secret?: string;
  now: () => number;
  onPlaintextKey?: () => void;
}

export function createKeyStore(db: Db, options: KeyStoreOptions) {
  let current: Promise<{ signing: SigningKey; jwks: { keys: JWK[] } }> | undefined;
  let loadedAt = 0;
  let warned = false;
  const plaintextWarning = () => {
    if (!warned) options.onPlaintextKey?.();
    warned = true;
  };
  // Other core instances may rotate keys in the shared database; re-read them now and then.
  const RELOAD_MS = 60_000;

  async function generate(): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    if (!options.secret) plaintextWarning();
    await db
      .insert(signingKeys)
      .values({
        kid,
        alg: 'EdDSA',
        publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } as Record<string, unknown>,
        privateKey: sealSecret(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, options.secret),
        createdAtMs: options.now(),
      })
      .onConflictDoNothing();
  }

  async function load() {
    let rows = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAtMs)).orderBy(desc(signingKeys.createdAtMs), desc(signingKeys.kid));
    if (rows.length === 0) {
      await generate();
      rows = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAtMs)).orderBy(desc(signingKeys.createdAtMs), desc(signingKeys.kid));
    }
    const newest = rows[0]!;
    if (newest.privateKey.startsWith('plain:')) plaintextWarning();
    const signing = { kid: newest.kid, privateKey: createPrivateKey(unsealSecret(newest.privateKey, options.secret, `signing key ${newest.kid}`)) };
    return { signing, jwks: { keys: rows.map((r) => r.publicJwk as JWK) } };
  }

  const loaded = () => {
    if (current && options.now() - loadedAt > RELOAD_MS) current = undefined;
    if (!current) {
      loadedAt = options.now();
      const p = load();
      current = p;
      p.catch(() => {
        if (current === p) current = undefined; // a failed load is retried by the next caller
      });
    }
    return current;
  };

  return {
    /** Loads (or, the first time, creates) the keys. */
    ready: () => loaded().then(() => undefined),
    signingKey: async () => (await loaded()).signing,
    /** Public keys only: what edges need to verify access tokens offline. */
    jwks: async () => (await loaded()).jwks,
    /** Adds a new signing key; the previous ones keep verifying until retired. */
    async rotate(): Promise<string> {
      await generate();
      current = undefined;
      return (await loaded()).signing.kid;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
