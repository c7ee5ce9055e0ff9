// Private keys at rest: AES-256-GCM under a key derived from CADENCE_KEY_SECRET with scrypt, or
// marked plain when no secret is configured (the caller warns). One scheme for every stored key.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

function kek(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32, { N: 1 << 14, r: 8, p: 1 });
}

export function sealSecret(plain: string, secret: string | undefined): string {
  if (!secret) return `plain:${plain}`;
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(secret, salt), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['aes-256-gcm', salt, iv, cipher.getAuthTag(), ct].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join(':');
}

/** Opens what sealSecret stored; `what` names the key in errors (e.g. "signing key k1"). */
export function unsealSecret(stored: string, secret: string | undefined, what: string): string {
  if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
  const [scheme, salt, iv, tag, ct] = stored.split(':');
  if (scheme !== 'aes-256-gcm' || !salt || !iv || !tag || !ct) throw new Error(`${what} is stored in an unknown format`);
  if (!secret) throw new Error(`${what} is encrypted: set CADENCE_KEY_SECRET to the secret it was created with`);
  const b = (s: string) => Buffer.from(s, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek(secret, b(salt)), b(iv));
    decipher.setAuthTag(b(tag));
    return Buffer.concat([decipher.update(b(ct)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`${what} cannot be decrypted: CADENCE_KEY_SECRET is not the secret it was created with`);
  }
}
