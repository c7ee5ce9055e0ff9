// The off-chain endpoint's ed25519 key pair: created at first start, kept in libSQL (private key
// sealed with CADENCE_KEY_SECRET when set), loaded once. Neither the private key nor the secret is ever logged.
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, sign, type KeyObject } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { offchainSigningKeys } from '../../db/schema.ts';
import { toHex } from './encoding.ts';

export interface OffchainSigner {
  /** Raw public key, 0x hex (32 bytes). */
  publicKey: string;
  sign(message: Uint8Array): Uint8Array;
}

// The same sealing scheme as the identity keys: AES-256-GCM under a scrypt-derived key.
function seal(pem: string, secret: string | undefined): string {
  if (!secret) return `plain:${pem}`;
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(secret, salt, 32, { N: 1 << 14, r: 8, p: 1 }), iv);
  const ct = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return ['aes-256-gcm', salt, iv, cipher.getAuthTag(), ct].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join(':');
}

function unseal(stored: string, secret: string | undefined): string {
  if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
  const [scheme, salt, iv, tag, ct] = stored.split(':');
  if (scheme !== 'aes-256-gcm' || !salt || !iv || !tag || !ct) throw new Error('the off-chain signing key is stored in an unknown format');
  if (!secret) throw new Error('the off-chain signing key is encrypted: set CADENCE_KEY_SECRET to the secret it was created with');
  const b = (s: string) => Buffer.from(s, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', scryptSync(secret, b(salt), 32, { N: 1 << 14, r: 8, p: 1 }), b(iv));
    decipher.setAuthTag(b(tag));
    return Buffer.concat([decipher.update(b(ct)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('the off-chain signing key cannot be decrypted: CADENCE_KEY_SECRET is not the secret it was created with');
  }
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
        privateKey: seal(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, options.secret),
        createdAtMs: options.now(),
      });
      [row] = await first();
    }
    if (row!.privateKey.startsWith('plain:')) options.onPlaintextKey?.();
    const privateKey = createPrivateKey(unseal(row!.privateKey, options.secret));
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

