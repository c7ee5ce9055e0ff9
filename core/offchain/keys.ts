// The off-chain endpoint's ed25519 key pair: created at first start, kept in libSQL (private key
// sealed with CADENCE_KEY_SECRET when set), loaded once. Neither the private key nor the secret is ever logged.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { sealSecret, unsealSecret } from '../crypto/seal.ts';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { offchainSigningKeys } from '../../db/schema.ts';
import { toHex } from './encoding.ts';

export interface OffchainSigner {
  /** Raw public key, 0x hex (32 bytes). */
  publicKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
}

export function createOffchainKeys(db: Db, options: { secret?: string; now: () => number; onPlaintextKey?: () => void }) {
  let loading: Promise<OffchainSigner> | undefined;

  async function load(): Promise<OffchainSigner> {
    // The oldest key signs, so cores that race to create one on first start converge on the same key.
    const first = () => db.select().from(offchainSigningKeys).orderBy(asc(offchainSigningKeys.createdAtMs), asc(offchainSigningKeys.id)).limit(1);
    let [row] = await first();
    if (!row) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      await db.insert(offchainSigningKeys).values({
        id: randomBytes(8).toString('hex'),
        publicKey: toHex(rawPublicKey(publicKey)),
        privateKey: sealSecret(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, options.secret),
        createdAtMs: options.now(),
      });
      [row] = await first();
    }
    if (row!.privateKey.startsWith('plain:')) options.onPlaintextKey?.();
    const privateKey = createPrivateKey(unsealSecret(row!.privateKey, options.secret, 'the off-chain signing key'));
    const publicKey = toHex(rawPublicKey(createPublicKey(privateKey)));
    if (publicKey !== row!.publicKey) throw new Error('the stored off-chain public key does not match its private key');
    return { publicKey, sign: (message) => new Uint8Array(sign(null, message, privateKey)) };
  }

  return {
    /** Loads (or creates) the key once; a failure is retried on the next call. */
    ready(): Promise<OffchainSigner> {
      loading ??= load().catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      return loading;
    },
  };
}

