// The common data model that every report parser emits. Parsers know nothing about the
// database: they turn one report into a stream of these records, and the writer
// (lib/ingest/writer.ts) decides which asset and finding each record belongs to.

export const FINDING_TYPES = ['vulnerability', 'misconfiguration'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** Severity on the product's 1–5 scale: 1 informational, 2 low, 3 medium, 4 high, 5 critical. */
export type Severity = 1 | 2 | 3 | 4 | 5;

export const FORMATS = ['nessus', 'qualys-asset-data', 'qualys-scan', 'qualys-detection', 'trivy', 'grype', 'cyclonedx', 'osv-scanner', 'nessus-csv', 'qualys-csv', 'openvas-csv', 'kube-bench', 'prowler-ocsf', 'prowler-csv', 'checkov', 'wazuh', 'ms-defender', 'aws-inspector2', 'aws-securityhub', 'generic-csv', 'generic-json', 'openvas-xml', 'cyclonedx-xml', 'dependency-check', 'nexpose', 'sarif', 'npm-audit', 'qualys-was', 'yarn-audit', 'wiz'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** Position of a value in the report, so an error can name the line or field that broke. */
export interface SourcePosition {
  line?: number;
  column?: number;
  /** JSON path or XML element path, e.g. `Results[2].Vulnerabilities[7]`. */
  field?: string;
}

/** A host, container image or other thing a scanner looked at. */
export interface AssetRecord {
  /** Key of this asset inside one report, used by findings to point at it. */
  reportKey: string;
  name: string;
  kind: 'host' | 'container_image' | 'repository' | 'application' | 'cloud_resource';
  fqdn?: string;
  hostname?: string;
  ipv4?: string[];
  ipv6?: string[];
  mac?: string[];
  os?: string;
  cloudInstanceId?: string;
  agentId?: string;
  internetFacing?: boolean;
  firstSeen?: Date;
  lastSeen?: Date;
  /** Every other field the source gives about the asset, kept verbatim. */
  raw?: Record<string, unknown>;
}

/** A technology (package, product) installed on an asset. */
export interface TechnologyRecord {
  vendor?: string;
  product: string;
  version?: string;
  /** CPE 2.3 formatted string. */
  cpe?: string;
  /** File path of the package inside the asset, e.g. a JAR inside an image. */
  path?: string;
  license?: string;
  category?: string;
}

/** Scores and facts about a CVE as the report states them. */
export interface VulnerabilityFacts {
  cveId: string;
  cvss2Vector?: string;
  cvss2BaseScore?: number;
  cvss3Vector?: string;
  cvss3BaseScore?: number;
  cvss4Vector?: string;
  cvss4BaseScore?: number;
  cweIds?: string[];
  publishedAt?: Date;
  epssScore?: number;
  epssPercentile?: number;
  /** The CVE's entry in CISA's Known Exploited Vulnerabilities catalog, as the report copies it. */
  kev?: KevFacts;
  references?: { url: string; tags?: string[] }[];
}

/** Fields of a CISA KEV catalog entry. */
export interface KevFacts {
  dateAdded?: Date;
  dueDate?: Date;
  /** `knownRansomwareCampaignUse`: true for "Known", false for "Unknown". */
  ransomwareUse?: boolean;
  vendorProject?: string;
  product?: string;
}

/** One observation of a weakness on an asset by one source. */
export interface FindingRecord {
  /** `reportKey` of the asset this observation belongs to. */
  assetKey: string;
  type: FindingType;
  /** Primary CVE; the others, if the source lists several, are in `cveIds`. */
  cveId?: string;
  cveIds?: string[];
  /** Plugin id, QID, NVT OID, check id, or the source's vulnerability id (e.g. GHSA-…). */
  vendorId?: string;
  /** The source's own id for this observation, when it has one. */
  sourceFindingId?: string;
  title: string;
  description?: string;
  solution?: string;
  severity: Severity;
  port?: number;
  protocol?: string;
  /** Resource or file inside the asset that a misconfiguration is in, e.g. `Dockerfile` or `default/Deployment/web`. */
  resource?: string;
  /** Compliance policy or benchmark a misconfiguration check belongs to, e.g. "CIS Ubuntu 22.04 L1". */
  policyName?: string;
  technology?: TechnologyRecord;
  fixedVersion?: string;
  cweIds?: string[];
  cvss2Vector?: string;
  cvss2BaseScore?: number;
  cvss3Vector?: string;
  cvss3BaseScore?: number;
  cvss4Vector?: string;
  cvss4BaseScore?: number;
  references?: string[];
  firstSeen?: Date;
  lastSeen?: Date;
  /** Facts about each CVE the source provides (scores, CWE, dates) for the vulnerability catalog. */
  vulnerabilities?: VulnerabilityFacts[];
  /** The source's fields for this observation, kept verbatim as the detection's raw attributes. */
  raw: Record<string, unknown>;
  position?: SourcePosition;
}

/** Record a parser emits, in report order. Every finding's asset is emitted before the finding. */
export type ReportRecord =
  | { kind: 'asset'; asset: AssetRecord }
  | { kind: 'finding'; finding: FindingRecord };

/** Facts about the report as a whole. */
export interface ReportMetadata {
  format: ReportFormat;
  /** Scanner name as shown to users, e.g. "Nessus". */
  source: string;
  /** Time the scan ran, if the report gives it. */
  scannedAt?: Date;
  title?: string;
}

/**
 * A streaming parser: reads the report from a byte stream and yields records as they complete,
 * never holding the whole document in memory. It throws `ReportError` on malformed input.
 */
export interface ReportParser {
  format: ReportFormat;
  source: string;
  parse(input: AsyncIterable<string>, onMetadata: (meta: Partial<ReportMetadata>) => void, context?: ParseContext): AsyncGenerator<ReportRecord>;
}

/** Facts about the imported file, for reports that do not name what they scanned. */
export interface ParseContext {
  /** The report's file name as uploaded, e.g. `results.sarif`; never opened. */
  fileName?: string;
}
