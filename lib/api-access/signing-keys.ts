import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { Db } from '../../db/client';
import { signingKeys } from '../../db/schema';
import { getSessionSecret } from '../auth/session-secret';
import { logger } from '../log';
import { recordAudit } from './audit';
import { tokenConfig } from './config';

const log = logger.child({ module: 'signing-keys' });

export const SIGNING_ALGORITHM = 'ES256';

export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/**
 * Derives the AES-256-GCM key that encrypts private signing keys at rest, from
 * RISKBOARD_KEY_ENCRYPTION_KEY or else the session secret. With the session secret stored in the
 * database (NEXTAUTH_SECRET unset), a copy of the database contains both, so set one of the two
 * variables where database backups leave the host.
 */
async function encryptionKey(db: Db): Promise<Buffer> {
  const secret = process.env.RISKBOARD_KEY_ENCRYPTION_KEY || (await getSessionSecret(db));
  return Buffer.from(hkdfSync('sha256', secret, 'riskboard-signing-keys', 'aes-256-gcm', 32));
}

async function encryptPrivateKey(db: Db, pkcs8: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await encryptionKey(db), iv);
  const body = Buffer.concat([cipher.update(pkcs8, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

async function decryptPrivateKey(db: Db, stored: string): Promise<string> {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('the stored private key has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', await encryptionKey(db), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

async function createSigningKey(db: Db): Promise<ActiveSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const kid = randomBytes(12).toString('base64url');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  const privateKeyEncrypted = await encryptPrivateKey(db, await exportPKCS8(privateKey));
  await db.insert(signingKeys).values({ kid, algorithm: SIGNING_ALGORITHM, publicJwk, privateKeyEncrypted });
  log.info({ kid }, 'created a token signing key');
  return { kid, privateKey };
}

/**
 * Returns the key that signs new tokens, creating the first one on demand. When the newest key
 * cannot be decrypted because the encryption secret changed, it is retired and a new one is
 * created, so tokens keep being issued. Tokens it signed remain valid until they expire.
 */
export async function getActiveSigningKey(db: Db): Promise<ActiveSigningKey> {
  const [current] = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).limit(1);
  if (!current) return createSigningKey(db);

  try {
    const privateKey = await importPKCS8(await decryptPrivateKey(db, current.privateKeyEncrypted), SIGNING_ALGORITHM);
    return { kid: current.kid, privateKey };
  } catch (error) {
    log.error({ err: error, kid: current.kid }, 'the token signing key cannot be decrypted, so a new key replaces it; was RISKBOARD_KEY_ENCRYPTION_KEY or NEXTAUTH_SECRET changed?');
    await retireKey(db, current.kid);
    return createSigningKey(db);
  }
}

async function retireKey(db: Db, kid: string): Promise<void> {
  const now = new Date();
  // Tokens signed just before retirement live one full lifetime more; the key stays published that long.
  const publishUntil = new Date(now.getTime() + tokenConfig().lifetimeSeconds * 1000);
  await db.update(signingKeys).set({ retiredAt: now, publishUntil }).where(eq(signingKeys.kid, kid));
}

/** Retires every signing key and creates a new one; retired keys stay in the JWKS until their tokens expire. */
export async function rotateSigningKey(db: Db): Promise<{ kid: string; retired: string[] }> {
  const active = await db.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
  for (const key of active) await retireKey(db, key.kid);
  const created = await createSigningKey(db);
  await recordAudit(db, 'signing_key_rotated', { detail: { kid: created.kid, retired: active.map((key) => key.kid) } });
  return { kid: created.kid, retired: active.map((key) => key.kid) };
}

/** Returns the public keys that may have signed an unexpired token: the active ones and those still within `publish_until`. */
export async function publishedJwks(db: Db): Promise<{ keys: JWK[] }> {
  await getActiveSigningKey(db);
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.publishUntil, new Date())))
    .orderBy(desc(signingKeys.createdAt));
  return { keys: rows.map((row) => row.publicJwk as JWK) };
}

/** Returns the public key with this `kid` while it is published, else undefined. */
export async function findVerificationKey(db: Db, kid: string): Promise<CryptoKey | undefined> {
  const [row] = await db
    .select({ publicJwk: signingKeys.publicJwk, algorithm: signingKeys.algorithm })
    .from(signingKeys)
    .where(and(eq(signingKeys.kid, kid), or(isNull(signingKeys.retiredAt), gt(signingKeys.publishUntil, new Date()))))
    .limit(1);
  if (!row || row.algorithm !== SIGNING_ALGORITHM) return undefined;
  const key = await importJWK(row.publicJwk as JWK, SIGNING_ALGORITHM);
  return key instanceof Uint8Array ? undefined : key;
}
