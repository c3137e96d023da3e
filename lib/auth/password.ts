import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost parameters for new hashes. N = 2^15, r = 8 uses 128 * N * r = 32 MiB per hash, the
 * interactive-login setting recommended by the scrypt paper (Percival, 2009) and RFC 7914.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Limits for parameters read back from a stored hash: a tampered row must not make a sign-in
// allocate gigabytes or run for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

// Passwords are normalized to NFC (as the OpaqueString profile of RFC 8265 does), so the same
// characters typed with precomposed or combining accents hash the same.
function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/**
 * Node rejects a call whose memory use (128 * N * r * p bytes) is not below `maxmem`, and its
 * default of 32 MiB is exactly what N = 2^15, r = 8 needs, so the limit is set to twice the need.
 */
function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 2 * 128 * N * r * p };
}

/** Hashes a password with a random 16-byte salt into `scrypt$N$r$p$saltB64$hashB64`. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, scryptOptions(N, r, p));
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses a stored hash, or returns undefined when any part is missing, malformed or out of bounds. */
export function parsePasswordHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, nText, rText, pText, saltText, keyText] = parts;
  if (!nText || !rText || !pText || !saltText || !keyText) return undefined;
  if (!/^\d+$/.test(nText) || !/^\d+$/.test(rText) || !/^\d+$/.test(pText)) return undefined;

  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  const isPowerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  if (128 * N * r * p > MAX_MEMORY_BYTES) return undefined;

  if (!BASE64.test(saltText) || !BASE64.test(keyText)) return undefined;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < SALT_BYTES || key.length < 16) return undefined;

  return { N, r, p, salt, key };
}

/**
 * Checks a password against a stored hash in constant time. Returns false for a wrong password
 * and for a stored hash that is malformed, so a damaged row can never sign anyone in.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const candidate = await scrypt(password, parsed.salt, parsed.key.length, scryptOptions(parsed.N, parsed.r, parsed.p));
  return timingSafeEqual(candidate, parsed.key);
}
