/** The enrichment feeds Riskboard reads; the same names key `feed_state` and `feed_runs`. */
export const FEED_KINDS = ['kev', 'epss', 'nvd', 'cve5', 'eol', 'attack'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** One entry of the CISA Known Exploited Vulnerabilities catalog. */
export interface KevEntry {
  cveId: string;
  dateAdded: string;
  dueDate: string | null;
  /** `knownRansomwareCampaignUse`: "Known" is true, "Unknown" is false. */
  ransomwareUse: boolean;
  vendorProject: string | null;
  product: string | null;
}

/** One row of the FIRST EPSS daily file. */
export interface EpssEntry {
  cveId: string;
  score: number;
  percentile: number;
}

/** What an NVD CVE item or a CVE JSON 5 record says about one CVE. */
export interface CveEntry {
  cveId: string;
  description: string | null;
  cvss2Vector: string | null;
  cvss2BaseScore: number | null;
  cvss3Vector: string | null;
  cvss3BaseScore: number | null;
  cvss4Vector: string | null;
  cvss4BaseScore: number | null;
  cweIds: string[];
  publishedAt: string | null;
  lastModified: string | null;
  references: { url: string; tags?: string[] }[];
  /** CISA ADP SSVC decision points (CVE JSON 5 only). */
  ssvc: { exploitation?: string; automatable?: string; technicalImpact?: string } | null;
  /** CISA ADP KEV entry (CVE JSON 5 only). */
  kevDateAdded: string | null;
}

/** Header facts of a feed file, stored in `feed_state` after a successful import. */
export interface FeedFileInfo {
  catalogVersion?: string;
  modelVersion?: string;
  scoreDate?: string;
  /** NVD `totalResults` of the response page. */
  totalResults?: number;
}

/** One endoflife.date product with its names and release cycles. */
export interface EolProduct {
  product: string;
  label: string;
  /** Lowercase names: title, aliases (`alternate_urls`), purl package names, repology name. */
  aliases: string[];
  /** Lowercase CPE `vendor:product` pairs. */
  cpes: string[];
  cycles: EolCycle[];
}

/** One release cycle; each end is a `YYYY-MM-DD` date, or a boolean when no date is known. */
export interface EolCycle {
  cycle: string;
  codename: string | null;
  releaseDate: string | null;
  lts: boolean;
  eol: string | boolean | null;
  support: string | boolean | null;
  extendedSupport: string | null;
  latestVersion: string | null;
  latestReleaseDate: string | null;
}

export type FeedRecords =
  | { kind: 'kev'; entries: KevEntry[] }
  | { kind: 'epss'; entries: EpssEntry[] }
  | { kind: 'nvd' | 'cve5'; entries: CveEntry[] };
