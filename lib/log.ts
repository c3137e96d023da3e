import pino from 'pino';

/**
 * The process logger. Modules take a child with `logger.child({ module: '…' })` and put the ids
 * they work on (import id, asset id, CVE) in every line. Secrets are redacted by path in case a
 * caller passes a whole object.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  redact: {
    paths: ['password', '*.password', 'passwordHash', '*.passwordHash', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization', 'localToken', '*.localToken'],
    censor: '[redacted]',
  },
  base: { service: 'riskboard' },
},
// Standard error keeps command output on standard output clean for pipes such as `--json | jq`.
pino.destination({ fd: 2, sync: true }));
