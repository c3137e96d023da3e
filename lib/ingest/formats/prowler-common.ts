// What Prowler's OCSF JSON and CSV outputs share: one check result on one cloud resource, the
// asset it belongs to, and the finding it becomes.
//
// Statuses: FAIL is a misconfiguration finding with Prowler's severity. PASS is not a finding,
// but its resource is still emitted as an asset, so a finding that a later scan no longer
// reports on that resource is marked fixed. MANUAL means that Prowler cannot evaluate the check,
// so a person has to. It becomes an informational (1) finding flagged `raw.manualCheck`, which
// lists the review on the account without raising its risk. A muted result is kept and flagged
// `raw.suppressed`.
//
// Assets: a resource is a cloud_resource named by its uid (the ARN in AWS, the resource id in
// Azure). A result about the account itself (the uid is the account's, AWS's
// `arn:aws:iam::<account>:root`, or empty) goes to the account, named e.g. `AWS account
// 123456789012`. Kubernetes resources are named `namespace/type/name`, because their uids
// change when a pod is recreated. An EC2 instance ARN also sets `cloudInstanceId`, so the
// instance matches the host that other scanners report with that id.

import { detachString, unique } from '../field-values';
import type { AssetRecord, FindingRecord, Severity, SourcePosition } from '../model';
import { ReportError } from '../report-error';

export const PROWLER_SEVERITIES: Record<string, Severity> = { informational: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const STATUSES = ['FAIL', 'PASS', 'MANUAL'] as const;
type ProwlerStatus = (typeof STATUSES)[number];

/** Names of the account each provider's checks run in. */
const ACCOUNT_LABELS: Record<string, string> = {
  aws: 'AWS account',
  azure: 'Azure subscription',
  gcp: 'GCP project',
  kubernetes: 'Kubernetes cluster',
  m365: 'Microsoft 365 tenant',
  microsoft365: 'Microsoft 365 tenant',
  github: 'GitHub account',
};

/** One check result on one resource, read from either output format. */
export interface ProwlerResult {
  checkId: string;
  title?: string;
  status: string;
  muted: boolean;
  severity?: string;
  provider?: string;
  accountUid?: string;
  accountName?: string;
  resourceUid?: string;
  resourceName?: string;
  resourceType?: string;
  namespace?: string;
  region?: string;
  statusDetail?: string;
  description?: string;
  risk?: string;
  remediation?: string;
  /** Remediation commands and code snippets, by kind (CLI, Terraform …). */
  remediationCode?: string[];
  references: string[];
  /** Names of the compliance frameworks that contain the check, e.g. `CIS-2.0`. */
  frameworks: string[];
  findingUid?: string;
  time?: Date;
  /** The source's fields that are not mapped, kept verbatim. */
  raw: Record<string, unknown>;
  assetRaw: Record<string, unknown>;
  position: SourcePosition;
}

/** Returns the upper-case status, or throws naming the field for a status Prowler does not write. */
export function prowlerStatus(value: string, position: SourcePosition): ProwlerStatus {
  const status = value.trim().toUpperCase();
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new ReportError('invalid_field', `unknown Prowler status ${JSON.stringify(value)}; expected FAIL, PASS or MANUAL`, position);
  }
  return status as ProwlerStatus;
}

/** Returns the asset of a result's resource, which the caller emits once per `reportKey`. */
export function prowlerAsset(result: ProwlerResult): AssetRecord {
  const provider = result.provider?.trim().toLowerCase();
  const raw: Record<string, unknown> = { ...result.assetRaw };
  if (provider) raw.provider = provider;
  if (result.accountUid) raw.accountUid = result.accountUid;
  if (result.accountName) raw.accountName = result.accountName;

  const uid = result.resourceUid?.trim() ?? '';
  const name = result.resourceName?.trim() ?? '';
  if (isAccountResource(uid, name, result.accountUid)) {
    const account = result.accountUid?.trim();
    if (!account) {
      throw new ReportError('invalid_field', `Prowler result of check ${result.checkId} names no resource uid and no account uid, so its asset is unknown`, result.position);
    }
    const label = ACCOUNT_LABELS[provider ?? ''] ?? `${provider ?? 'cloud'} account`;
    if (uid) raw.resourceUid = uid;
    raw.isAccount = true;
    const assetName = detachString(`${label} ${account}`);
    return { reportKey: assetName, name: assetName, kind: 'cloud_resource', raw };
  }

  if (result.region) raw.region = result.region;
  if (result.resourceType) raw.resourceType = result.resourceType;
  if (name) raw.resourceName = name;
  const isKubernetes = provider === 'kubernetes' || result.namespace !== undefined;
  let assetName = uid || name;
  if (isKubernetes && name) {
    if (uid) raw.resourceUid = uid;
    assetName = [result.namespace, result.resourceType, name].filter((part) => part).join('/');
  }
  const asset: AssetRecord = { reportKey: detachString(assetName), name: detachString(assetName), kind: 'cloud_resource', raw };
  const instance = /^arn:[\w-]+:ec2:[^:]*:\d*:instance\/(i-[0-9a-f]+)$/i.exec(uid)?.[1];
  if (instance) asset.cloudInstanceId = instance;
  return asset;
}

function isAccountResource(uid: string, name: string, accountUid: string | undefined): boolean {
  if (!uid) return !name;
  if (accountUid && uid === accountUid.trim()) return true;
  return /^arn:[\w-]+:iam::[^:]*:root$/.test(uid);
}

/**
 * Returns the finding of a FAIL or MANUAL result on its asset. The resource is the asset's name,
 * and for a result about the account also the region, because a regional check on the account
 * gives one result per region.
 */
export function prowlerFinding(result: ProwlerResult, status: 'FAIL' | 'MANUAL', asset: AssetRecord, severity: Severity): FindingRecord {
  const raw: Record<string, unknown> = { ...result.raw, status };
  raw.policy = result.frameworks.length > 0 ? result.frameworks.join(', ') : 'Prowler checks';
  if (result.muted) raw.suppressed = true;
  if (status === 'MANUAL') raw.manualCheck = true;

  const finding: FindingRecord = {
    assetKey: asset.reportKey,
    type: 'misconfiguration',
    vendorId: result.checkId,
    title: result.title?.trim() || result.checkId,
    // A manual check is a review to do, not a weakness found, so it stays informational.
    severity: status === 'MANUAL' ? 1 : severity,
    raw,
    position: result.position,
  };
  if (result.findingUid) finding.sourceFindingId = result.findingUid;
  const region = result.region?.trim();
  const onAccount = asset.raw?.isAccount === true;
  finding.resource = onAccount && region && region !== 'global' ? `${result.resourceUid?.trim() || asset.name} (${region})` : asset.name;

  const parts = [result.statusDetail, result.description, result.risk ? `Risk: ${result.risk}` : undefined];
  const description = unique(parts.map((text) => text?.trim()).filter((text): text is string => !!text));
  if (description.length > 0) finding.description = description.join('\n\n');
  const solution = [result.remediation?.trim(), ...(result.remediationCode ?? [])].filter((text): text is string => !!text);
  if (solution.length > 0) finding.solution = solution.join('\n');
  if (result.references.length > 0) finding.references = unique(result.references);
  if (result.time) {
    finding.firstSeen = result.time;
    finding.lastSeen = result.time;
  }
  return finding;
}

/** Returns the severity of a result by its name, or undefined for a blank one. */
export function prowlerSeverity(value: string | undefined, position: SourcePosition): Severity | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  const severity = PROWLER_SEVERITIES[text];
  if (severity === undefined) {
    throw new ReportError('invalid_field', `unknown Prowler severity ${JSON.stringify(value)}; expected critical, high, medium, low or informational`, position);
  }
  return severity;
}

/** Splits URLs out of free text lists such as `a | b` or `a, b`. */
export function urlsIn(values: (string | undefined | null)[]): string[] {
  return values.flatMap((value) => (value ?? '').split(/\s*\|\s*|\s*,\s*|\s+/)).filter((part) => /^https?:\/\//i.test(part));
}

/**
 * Tracks which assets a report has emitted, so each is emitted once, before its first finding.
 */
export class EmittedAssets {
  private readonly keys = new Set<string>();

  /** Returns the asset record to emit first when the asset is new, else nothing. */
  emit(asset: AssetRecord): AssetRecord[] {
    if (this.keys.has(asset.reportKey)) return [];
    this.keys.add(asset.reportKey);
    return [asset];
  }

  get size(): number {
    return this.keys.size;
  }
}
