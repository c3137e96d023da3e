import { z } from 'zod';

/** Official download addresses; each can be replaced by an environment variable (a mirror, or a test server). */
export const DEFAULT_FEED_URLS = {
  nvd: 'https://services.nvd.nist.gov/rest/json/cves/2.0',
  kev: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  // FIRST publishes EPSS through Empirical Security; this address redirects to the dated file.
  epss: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
  // endoflife.date API v1 "List all products (full)": every product with its release cycles.
  eol: 'https://endoflife.date/api/v1/products/full',
  // ATT&CK Enterprise as one STIX 2.0 bundle in MITRE's CTI repository (github.com/mitre/cti).
  attack: 'https://raw.githubusercontent.com/mitre/cti/master/enterprise-attack/enterprise-attack.json',
} as const;

/**
 * NVD's published limits are 5 requests per rolling 30 seconds without an API key and 50 with
 * one, and NVD recommends a 6-second pause between requests. With a key, 1 second keeps a
 * sync well below 50 per 30 seconds.
 */
const NVD_PAUSE_MS = { withoutKey: 6000, withKey: 1000 } as const;

const envSchema = z.object({
  RISKBOARD_FEED_NVD_URL: z.url().default(DEFAULT_FEED_URLS.nvd),
  RISKBOARD_FEED_KEV_URL: z.url().default(DEFAULT_FEED_URLS.kev),
  RISKBOARD_FEED_EPSS_URL: z.url().default(DEFAULT_FEED_URLS.epss),
  RISKBOARD_FEED_EOL_URL: z.url().default(DEFAULT_FEED_URLS.eol),
  RISKBOARD_FEED_ATTACK_URL: z.url().default(DEFAULT_FEED_URLS.attack),
  NVD_API_KEY: z.string().min(1).optional(),
  RISKBOARD_FEED_NVD_PAUSE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  RISKBOARD_FEED_NVD_PAGE_SIZE: z.coerce.number().int().min(1).max(2000).default(2000),
  RISKBOARD_FEED_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
});

export interface FeedSyncConfig {
  urls: { nvd: string; kev: string; epss: string; eol: string; attack: string };
  nvdApiKey: string | undefined;
  /** Pause before each NVD request after the first, in milliseconds. */
  nvdPauseMs: number;
  /** NVD `resultsPerPage`; NVD accepts at most 2,000. */
  nvdPageSize: number;
  /** Retries of a request that failed with a network error, HTTP 403, 429 or 5xx. */
  retries: number;
}

/** Reads the sync settings from the environment; an invalid value throws an error naming the variable. */
export function readFeedSyncConfig(env: Record<string, string | undefined> = process.env): FeedSyncConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid feed settings in the environment: ${issues}`);
  }
  const values = parsed.data;
  return {
    urls: {
      nvd: values.RISKBOARD_FEED_NVD_URL,
      kev: values.RISKBOARD_FEED_KEV_URL,
      epss: values.RISKBOARD_FEED_EPSS_URL,
      eol: values.RISKBOARD_FEED_EOL_URL,
      attack: values.RISKBOARD_FEED_ATTACK_URL,
    },
    nvdApiKey: values.NVD_API_KEY,
    nvdPauseMs: values.RISKBOARD_FEED_NVD_PAUSE_MS ?? (values.NVD_API_KEY ? NVD_PAUSE_MS.withKey : NVD_PAUSE_MS.withoutKey),
    nvdPageSize: values.RISKBOARD_FEED_NVD_PAGE_SIZE,
    retries: values.RISKBOARD_FEED_RETRIES,
  };
}
