import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { logger } from '../log';
import { SIGN_IN_PATH, sanitizeCallbackUrl } from './callback-url';
import { getSessionSecret } from './session-secret';
import { clearSignInFailures, isSignInThrottled, recordSignInFailure } from './sign-in-throttle';
import { ensureInitialAdmin, verifyCredentials } from './users';

const log = logger.child({ module: 'auth' });

// A working day: a cookie copied from a shared machine stops working by the next morning.
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const warnedCodes = new Set<string>();

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/**
 * Builds the next-auth v4 options: one credentials provider checked against the users table, JWT
 * sessions carrying the user id and role, and the sign-in page at /signin. Built per request
 * because the secret may come from the database.
 */
export async function getAuthOptions(db: Db): Promise<AuthOptions> {
  const secret = await getSessionSecret(db);

  return {
    secret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, request) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const address = clientAddress(request?.headers);

          if (isSignInThrottled(email, address)) {
            log.warn({ email, address }, 'sign-in rejected: too many failed attempts, try again in 15 minutes');
            return null;
          }

          // The first sign-in on an empty database creates the admin from the environment.
          await ensureInitialAdmin(db, process.env);
          const user = await verifyCredentials(db, email, password);
          if (!user) {
            recordSignInFailure(email, address);
            log.warn({ email, address }, 'sign-in rejected: unknown email, wrong password or inactive user');
            return null;
          }
          clearSignInFailures(email);
          log.info({ userId: user.id }, 'user signed in');
          return { id: String(user.id), email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        // `user` is only set on the sign-in request; later requests keep the stored claims.
        if (user) token.role = user.role;
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: Number(token.sub),
          email: token.email ?? '',
          name: token.name ?? null,
          role: token.role ?? 'reader',
        };
        return session;
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith('/')) return `${baseUrl}${sanitizeCallbackUrl(url)}`;
        try {
          const target = new URL(url);
          if (target.origin === new URL(baseUrl).origin) return `${baseUrl}${sanitizeCallbackUrl(`${target.pathname}${target.search}${target.hash}`)}`;
        } catch {
          // Not a URL at all; fall through to the home page.
        }
        return baseUrl;
      },
    },
    logger: {
      error(code, metadata) {
        log.error({ code, metadata }, 'next-auth error');
      },
      warn(code) {
        // next-auth repeats a warning on every request (NEXTAUTH_URL unset, for one), so each
        // code is logged once per process.
        if (warnedCodes.has(code)) return;
        warnedCodes.add(code);
        log.warn({ code }, 'next-auth warning');
      },
      debug() {},
    },
  };
}

/** First address of X-Forwarded-For, else X-Real-IP; used only as a throttling key. */
function clientAddress(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  if (first) return first;
  const real = headers?.['x-real-ip'];
  return typeof real === 'string' && real ? real : undefined;
}
