import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { appSettings } from '../../db/schema';
import { logger } from '../log';

const SETTING_KEY = 'session_secret';

const log = logger.child({ module: 'auth' });

// One lookup per database handle: the secret never changes while the process runs, and a
// WeakMap keeps test databases apart.
const cache = new WeakMap<Db, Promise<string>>();

/**
 * Returns the key that signs and encrypts session cookies: NEXTAUTH_SECRET when set, otherwise a
 * random secret generated on first use and stored in app_settings, so sessions survive restarts
 * and every server process that shares the database accepts the same cookies.
 */
export function getSessionSecret(db: Db): Promise<string> {
  const fromEnv = process.env.NEXTAUTH_SECRET;
  if (fromEnv) return Promise.resolve(fromEnv);

  let secret = cache.get(db);
  if (!secret) {
    secret = loadOrCreateSecret(db);
    cache.set(db, secret);
    // A failed lookup (database down) must not stick for the life of the process.
    secret.catch(() => cache.delete(db));
  }
  return secret;
}

async function loadOrCreateSecret(db: Db): Promise<string> {
  const existing = await readSecret(db);
  if (existing) return existing;

  // Two processes may get here at once; `on conflict do nothing` keeps the first secret and both
  // read it back.
  await db
    .insert(appSettings)
    .values({ key: SETTING_KEY, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing({ target: appSettings.key });
  const stored = await readSecret(db);
  if (!stored) throw new Error(`app_settings has no ${SETTING_KEY} row right after inserting it`);
  log.info('generated a session secret and stored it in app_settings; set NEXTAUTH_SECRET to choose your own');
  return stored;
}

async function readSecret(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SETTING_KEY)).limit(1);
  return row?.value;
}
