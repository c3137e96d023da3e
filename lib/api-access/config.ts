import { z } from 'zod';

/** Four hours: a script's working session, short enough that a leaked token is soon useless. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 4 * 60 * 60;

const envSchema = z.object({
  RISKBOARD_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 60 * 60).default(DEFAULT_TOKEN_LIFETIME_SECONDS),
  RISKBOARD_OAUTH_ISSUER: z.url().optional(),
  NEXTAUTH_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export interface TokenConfig {
  /** `iss` of every token and the base of the OAuth endpoints. */
  issuer: string;
  /** `aud` of every token: the API the tokens are for. */
  audience: string;
  lifetimeSeconds: number;
}

/**
 * Reads the token settings from the environment. The issuer is fixed by configuration rather
 * than taken from the request's Host header, so a request cannot choose the `iss` it gets.
 */
export function tokenConfig(env: Readonly<Record<string, string | undefined>> = process.env): TokenConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid API token setting ${String(issue?.path[0])}: ${issue?.message}; fix the environment variable and restart`);
  }
  const { RISKBOARD_OAUTH_ISSUER, NEXTAUTH_URL, PORT, RISKBOARD_TOKEN_LIFETIME_SECONDS } = parsed.data;
  const issuer = (RISKBOARD_OAUTH_ISSUER ?? NEXTAUTH_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, '');
  return { issuer, audience: `${issuer}/api/v1`, lifetimeSeconds: RISKBOARD_TOKEN_LIFETIME_SECONDS };
}
