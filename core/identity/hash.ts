// Memory-hard secret hashing (scrypt from node:crypto) with self-describing hashes, compared in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LEN = 32;
const SALT_LEN = 16;

function scryptAsync(secret: string, salt: Buffer, keyLen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret.normalize('NFKC'), salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

// Node refuses scrypt above 32 MiB unless maxmem is raised; allow what the parameters need.
const maxmem = (N: number, r: number) => 256 * N * r + (1 << 20);

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so cost can rise later. */
export async function hashSecret(secret: string, N: number, r = 8, p = 1): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await scryptAsync(secret, salt, KEY_LEN, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `secret` matches `stored`; false for a malformed hash rather than an exception. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(secret, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows, verified when an account does not exist so timing does not tell. */
export function decoyHash(N: number): Promise<string> {
  return hashSecret(randomBytes(16).toString('hex'), N);
}
