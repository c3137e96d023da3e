import type { FindingRecord } from '../ingest/model';
import type { Observation } from './attributes';

/** The fields a finding shows, as one source reported them; merge rules choose among these. */
export interface ObservedFields {
  severity: number;
  title: string;
  description: string | null;
  solution: string | null;
  cvss2: number | null;
  cvss3: number | null;
  cvss3Vector: string | null;
  fixedVersion: string | null;
}

/** What `detections.observation` holds: the identification attributes and the observed fields. */
export interface StoredObservation extends Observation {
  fields: ObservedFields;
}

/** Builds the stored observation of a report's finding record; `cveId` is the normalized primary CVE. */
export function observationOf(record: FindingRecord, source: string, cveId: string | undefined): StoredObservation {
  const technology = record.technology;
  return {
    type: record.type,
    source,
    ...(cveId ? { cveId } : {}),
    ...(technology?.cpe ? { cpe: technology.cpe } : {}),
    ...(technology?.vendor ? { technologyVendor: technology.vendor } : {}),
    ...(technology?.product ? { technologyName: technology.product } : {}),
    ...(technology?.version ? { technologyVersion: technology.version } : {}),
    ...(technology?.path ? { technologyPath: technology.path } : {}),
    ...(record.port !== undefined ? { port: record.port } : {}),
    ...(record.protocol ? { protocol: record.protocol } : {}),
    ...(record.vendorId ? { vendorId: record.vendorId } : {}),
    title: record.title,
    ...(record.sourceFindingId ? { sourceFindingId: record.sourceFindingId } : {}),
    ...(record.policyName ? { policyName: record.policyName } : {}),
    ...(record.resource ? { resource: record.resource } : {}),
    fields: {
      severity: record.severity,
      title: record.title,
      description: record.description ?? null,
      solution: record.solution ?? null,
      cvss2: record.cvss2BaseScore ?? null,
      cvss3: record.cvss3BaseScore ?? null,
      cvss3Vector: record.cvss3Vector ?? null,
      fixedVersion: record.fixedVersion ?? null,
    },
  };
}
