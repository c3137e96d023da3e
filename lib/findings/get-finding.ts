import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { assets, detections, findings, imports, technologies, vulnerabilities } from '../../db/schema';
import type { FindingListItem } from './list-findings';

/** A vulnerability catalog row as shown next to a finding. */
export interface VulnerabilityDetail {
  cveId: string;
  description: string | null;
  cvss2BaseScore: number | null;
  cvss2Vector: string | null;
  cvss3BaseScore: number | null;
  cvss3Vector: string | null;
  cvss4BaseScore: number | null;
  cvss4Vector: string | null;
  cweIds: string[];
  publishedAt: string | null;
  epssScore: number | null;
  epssPercentile: number | null;
  isKev: boolean;
  /** Date the CVE entered CISA's Known Exploited Vulnerabilities catalog, `YYYY-MM-DD`. */
  kevDateAdded: string | null;
  references: { url: string; tags: string[] }[];
}

export interface ImportReference {
  id: number;
  fileName: string;
  startedAt: string;
}

/** One source's observation of the finding, with the source's attributes verbatim. */
export interface DetectionDetail {
  id: number;
  source: string;
  sourceFindingId: string | null;
  firstSeen: string;
  lastSeen: string;
  firstImport: ImportReference;
  lastImport: ImportReference;
  raw: Record<string, unknown>;
}

export interface FindingDetail extends Omit<FindingListItem, 'asset'> {
  description: string | null;
  solution: string | null;
  vendorId: string | null;
  cveIds: string[];
  cweIds: string[];
  fixedVersion: string | null;
  cvss2BaseScore: number | null;
  cvss3BaseScore: number | null;
  cvss3Vector: string | null;
  fixedAt: string | null;
  asset: { id: number; name: string; kind: string; fqdn: string | null; hostname: string | null; ipv4: string[]; os: string | null; riskScore: number };
  technology: { id: number; vendor: string | null; product: string; version: string | null; cpe: string | null; path: string | null } | null;
  vulnerability: VulnerabilityDetail | null;
  /** Links from the report and, after them, the catalog's links for the CVE, without repeats. */
  references: { url: string; tags: string[] }[];
  detections: DetectionDetail[];
}

const firstImport = alias(imports, 'first_import');
const lastImport = alias(imports, 'last_import');

/** Returns one finding with its asset, technology, catalog entry and detections, or undefined. */
export async function getFinding(db: Db, id: number): Promise<FindingDetail | undefined> {
  const [row] = await db
    .select({ finding: findings, asset: assets, technology: technologies })
    .from(findings)
    .innerJoin(assets, eq(assets.id, findings.assetId))
    .leftJoin(technologies, eq(technologies.id, findings.technologyId))
    .where(eq(findings.id, id))
    .limit(1);
  if (!row) return undefined;
  const { finding, asset, technology } = row;

  const [vulnerability] = finding.cveId
    ? await db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, finding.cveId)).limit(1)
    : [];

  const detectionRows = await db
    .select({
      detection: detections,
      firstImport: { id: firstImport.id, fileName: firstImport.fileName, startedAt: firstImport.startedAt },
      lastImport: { id: lastImport.id, fileName: lastImport.fileName, startedAt: lastImport.startedAt },
    })
    .from(detections)
    .innerJoin(firstImport, eq(firstImport.id, detections.firstImportId))
    .innerJoin(lastImport, eq(lastImport.id, detections.lastImportId))
    .where(eq(detections.findingId, id))
    .orderBy(asc(detections.firstSeen), asc(detections.id));

  return {
    id: finding.id,
    type: finding.type,
    title: finding.title,
    severity: finding.severity,
    status: finding.status,
    detectionScore: finding.detectionScore,
    cveId: finding.cveId,
    cveIds: finding.cveIds,
    cweIds: finding.cweIds,
    vendorId: finding.vendorId,
    description: finding.description,
    solution: finding.solution,
    port: finding.port,
    protocol: finding.protocol,
    fixedVersion: finding.fixedVersion,
    cvss2BaseScore: finding.cvss2BaseScore,
    cvss3BaseScore: finding.cvss3BaseScore,
    cvss3Vector: finding.cvss3Vector,
    sources: finding.sources,
    firstFound: finding.firstFound.toISOString(),
    lastFound: finding.lastFound.toISOString(),
    fixedAt: finding.fixedAt?.toISOString() ?? null,
    asset: {
      id: asset.id,
      name: asset.name,
      kind: asset.kind,
      fqdn: asset.fqdn,
      hostname: asset.hostname,
      ipv4: asset.ipv4,
      os: asset.os,
      riskScore: asset.riskScore,
    },
    technology: technology
      ? { id: technology.id, vendor: technology.vendor, product: technology.product, version: technology.version, cpe: technology.cpe, path: technology.path }
      : null,
    vulnerability: vulnerability
      ? {
          cveId: vulnerability.cveId,
          description: vulnerability.description,
          cvss2BaseScore: vulnerability.cvss2BaseScore,
          cvss2Vector: vulnerability.cvss2Vector,
          cvss3BaseScore: vulnerability.cvss3BaseScore,
          cvss3Vector: vulnerability.cvss3Vector,
          cvss4BaseScore: vulnerability.cvss4BaseScore,
          cvss4Vector: vulnerability.cvss4Vector,
          cweIds: vulnerability.cweIds,
          publishedAt: vulnerability.publishedAt?.toISOString() ?? null,
          epssScore: vulnerability.epssScore,
          epssPercentile: vulnerability.epssPercentile,
          isKev: vulnerability.isKev,
          kevDateAdded: vulnerability.kevDateAdded,
          references: vulnerability.references.map((reference) => ({ url: reference.url, tags: reference.tags ?? [] })),
        }
      : null,
    references: mergeReferences(finding.references, vulnerability?.references ?? []),
    detections: detectionRows.map(({ detection, firstImport: first, lastImport: last }) => ({
      id: detection.id,
      source: detection.source,
      sourceFindingId: detection.sourceFindingId,
      firstSeen: detection.firstSeen.toISOString(),
      lastSeen: detection.lastSeen.toISOString(),
      firstImport: { id: first.id, fileName: first.fileName, startedAt: first.startedAt.toISOString() },
      lastImport: { id: last.id, fileName: last.fileName, startedAt: last.startedAt.toISOString() },
      raw: detection.raw,
    })),
  };
}

function mergeReferences(fromReport: string[], fromCatalog: { url: string; tags?: string[] }[]): { url: string; tags: string[] }[] {
  const merged = new Map<string, { url: string; tags: string[] }>();
  for (const url of fromReport) merged.set(url, { url, tags: [] });
  for (const reference of fromCatalog) {
    merged.set(reference.url, { url: reference.url, tags: reference.tags ?? merged.get(reference.url)?.tags ?? [] });
  }
  return [...merged.values()];
}
