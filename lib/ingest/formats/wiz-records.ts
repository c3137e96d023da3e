// Mapping of the rows of Wiz CSV exports to assets and findings, for the two layouts wiz.ts reads:
//
// - Issues (`Created At, Title, Severity, Status, …, Resource external ID, …, Control ID, …, Issue ID`):
//   each issue is a misconfiguration found by a Wiz control on one cloud resource, whose asset is
//   named by the resource's external id (an Azure resource id, an ARN, a Kubernetes object path).
// - Vulnerability findings (`ID, WizURL, Name, CVSSSeverity, …, DetailedName, Version, FixedVersion,
//   …, AssetID, AssetName, ProviderUniqueId, …`): each row is a CVE or GHSA advisory on a package
//   of one cloud asset, named by its provider id (an instance's self link).
//
// A row whose status is resolved is a fixed observation. Like a CLOSED Amazon Inspector finding,
// it becomes no finding, but its resource is still imported. Every asset in a report counts as
// rescanned by its source, so the import marks an earlier open finding there as fixed. An
// ignored row (Wiz's risk acceptance) is kept as a finding flagged `raw.suppressed = true`.

import type { CsvRow } from '../csv-stream';
import { detachString, normalizeCveId, parseIsoDate, splitAddresses } from '../field-values';
import type { AssetRecord, FindingRecord, Severity, SourcePosition } from '../model';
import { ReportError } from '../report-error';

/** Wiz severities on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = { none: 1, info: 1, informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

export interface WizRowRecords {
  asset: AssetRecord;
  finding?: FindingRecord;
}

type Values = Record<string, string>;

const get = (values: Values, column: string): string | undefined => values[column]?.trim() || undefined;

function severityOf(value: string | undefined, column: string, position: SourcePosition): Severity {
  const severity = value === undefined ? undefined : SEVERITIES[value.toLowerCase()];
  if (severity === undefined) {
    throw new ReportError('invalid_field', `unknown Wiz severity ${JSON.stringify(value ?? '')}; expected Critical, High, Medium, Low or Informational`, { ...position, field: column });
  }
  return severity;
}

/** Copies the non-blank columns of a row, except those listed, into a raw object. */
function rawColumns(values: Values, include: (column: string) => boolean): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    if (include(column) && value.trim() !== '') raw[column] = value;
  }
  return raw;
}

/** Parses a column of JSON text (resource JSON, tags) for raw, keeping the text when it is not JSON. */
function jsonColumn(raw: Record<string, unknown>, column: string): void {
  const text = raw[column];
  if (typeof text !== 'string') return;
  try {
    raw[column] = JSON.parse(text) as unknown;
  } catch {
    // Kept as text: the export sometimes cuts long JSON values.
  }
}

// Issues layout.

export const ISSUE_REQUIRED_COLUMNS = ['Title', 'Severity', 'Resource external ID'] as const;

/** Columns that describe the resource, kept in the asset's raw instead of the finding's. */
const ISSUE_ASSET_COLUMNS = new Set([
  'Resource Type',
  'Resource external ID',
  'Resource Name',
  'Resource Region',
  'Resource Status',
  'Resource Platform',
  'Resource OS',
  'Resource original JSON',
  'Resource vertex ID',
  'Resource Tags',
  'Subscription ID',
  'Subscription Name',
  'Project IDs',
  'Project Names',
  'Cloud Provider URL',
  'Kubernetes Cluster',
  'Kubernetes Namespace',
  'Container Service',
]);

/** Issue columns mapped to finding fields. */
const ISSUE_MAPPED_COLUMNS = new Set(['Title', 'Severity', 'Description', 'Control ID', 'Issue ID', 'Created At', 'Remediation Recommendation']);

/** Resource types whose external id is a virtual machine's, which other scanners know as a cloud instance id. */
const INSTANCE_TYPES = /(?:virtualMachines|virtualMachineScaleSets\/virtualMachines|(?:^|[/:])instances?)$/i;

export function issueRecords(row: CsvRow): WizRowRecords {
  const { values, line } = row;
  const at = (column: string): SourcePosition => ({ line, field: column });

  const resourceId = get(values, 'Resource external ID') ?? get(values, 'Resource vertex ID');
  if (!resourceId) throw new ReportError('invalid_field', 'Wiz issue has no Resource external ID; expected the id of the resource the issue is on', at('Resource external ID'));
  const title = get(values, 'Title');
  if (!title) throw new ReportError('invalid_field', 'Wiz issue has no Title', at('Title'));

  const assetRaw = rawColumns(values, (column) => ISSUE_ASSET_COLUMNS.has(column));
  jsonColumn(assetRaw, 'Resource original JSON');
  jsonColumn(assetRaw, 'Resource Tags');
  const asset: AssetRecord = { reportKey: detachString(resourceId), name: detachString(resourceId), kind: 'cloud_resource', raw: assetRaw };
  const os = get(values, 'Resource OS');
  if (os) asset.os = os;
  const type = get(values, 'Resource Type');
  if (type && INSTANCE_TYPES.test(type)) asset.cloudInstanceId = asset.name;

  const status = get(values, 'Status')?.toUpperCase();
  if (status === 'RESOLVED') return { asset };

  const raw = rawColumns(values, (column) => !ISSUE_ASSET_COLUMNS.has(column) && !ISSUE_MAPPED_COLUMNS.has(column));
  if (status === 'IGNORED') raw.suppressed = true;
  if (type) raw['Resource Type'] = type;
  const finding: FindingRecord = {
    assetKey: asset.reportKey,
    type: 'misconfiguration',
    title,
    severity: severityOf(get(values, 'Severity'), 'Severity', at('Severity')),
    resource: resourceId,
    raw,
    position: { line },
  };
  const controlId = get(values, 'Control ID');
  if (controlId) finding.vendorId = controlId;
  const issueId = get(values, 'Issue ID');
  if (issueId) finding.sourceFindingId = issueId;
  const description = get(values, 'Description');
  if (description) finding.description = description;
  const solution = get(values, 'Remediation Recommendation');
  if (solution) finding.solution = solution;
  const created = parseIsoDate(get(values, 'Created At'), 'Created At', at('Created At'));
  if (created) finding.firstSeen = created;
  const wizUrl = get(values, 'Wiz URL');
  if (wizUrl) finding.references = [wizUrl];
  return { asset, finding };
}

// Vulnerability findings layout.

export const VULNERABILITY_REQUIRED_COLUMNS = ['Name', 'AssetID'] as const;

const VULNERABILITY_ASSET_COLUMNS = new Set([
  'AssetID',
  'AssetName',
  'AssetRegion',
  'ProviderUniqueId',
  'CloudProviderURL',
  'CloudPlatform',
  'Status',
  'SubscriptionExternalId',
  'SubscriptionId',
  'SubscriptionName',
  'Tags',
  'ExecutionControllers',
  'ExecutionControllersSubscriptionExternalIds',
  'ExecutionControllersSubscriptionNames',
  'OperatingSystem',
  'IpAddresses',
  'Projects',
]);

const VULNERABILITY_MAPPED_COLUMNS = new Set(['ID', 'Name', 'VendorSeverity', 'FirstDetected', 'LastDetected', 'Remediation', 'LocationPath', 'DetailedName', 'Version', 'FixedVersion', 'Link']);

export function vulnerabilityRecords(row: CsvRow): WizRowRecords {
  const { values, line } = row;
  const at = (column: string): SourcePosition => ({ line, field: column });

  const assetId = get(values, 'ProviderUniqueId') ?? get(values, 'AssetID');
  if (!assetId) throw new ReportError('invalid_field', 'Wiz vulnerability finding has no AssetID; expected the id of the affected asset', at('AssetID'));
  const name = get(values, 'Name');
  if (!name) throw new ReportError('invalid_field', 'Wiz vulnerability finding has no Name; expected its CVE or advisory id', at('Name'));

  const assetRaw = rawColumns(values, (column) => VULNERABILITY_ASSET_COLUMNS.has(column));
  jsonColumn(assetRaw, 'Tags');
  jsonColumn(assetRaw, 'ExecutionControllers');
  const asset: AssetRecord = {
    reportKey: detachString(assetId),
    name: detachString(assetId),
    kind: 'cloud_resource',
    ...splitAddresses((get(values, 'IpAddresses') ?? '').split(/[\s,;]+/)),
    raw: assetRaw,
  };
  if (get(values, 'ProviderUniqueId')) asset.cloudInstanceId = asset.name;
  const hostname = get(values, 'AssetName');
  if (hostname) asset.hostname = hostname;
  const os = get(values, 'OperatingSystem');
  if (os) asset.os = os;

  const status = get(values, 'FindingStatus')?.toLowerCase();
  if (status === 'resolved') return { asset };

  const raw = rawColumns(values, (column) => !VULNERABILITY_ASSET_COLUMNS.has(column) && !VULNERABILITY_MAPPED_COLUMNS.has(column));
  if (status === 'ignored' || status === 'rejected') raw.suppressed = true;
  const product = get(values, 'DetailedName');
  const version = get(values, 'Version');
  const severityColumn = get(values, 'VendorSeverity') ? 'VendorSeverity' : 'CVSSSeverity';
  const finding: FindingRecord = {
    assetKey: asset.reportKey,
    type: 'vulnerability',
    vendorId: name,
    title: product ? `${name} in ${product}` : name,
    severity: severityOf(get(values, severityColumn), severityColumn, at(severityColumn)),
    raw,
    position: { line },
  };
  const id = get(values, 'ID');
  if (id) finding.sourceFindingId = id;
  if (product) {
    finding.technology = { product, ...(version ? { version } : {}) };
    const path = get(values, 'LocationPath');
    if (path) finding.technology.path = path;
  }
  const fixedVersion = get(values, 'FixedVersion');
  if (fixedVersion) finding.fixedVersion = fixedVersion;
  const solution = get(values, 'Remediation');
  if (solution) finding.solution = solution;
  const link = get(values, 'Link');
  if (link) finding.references = [link];

  const cveId = normalizeCveId(name);
  if (cveId) {
    finding.cveId = cveId;
    finding.cveIds = [cveId];
    finding.vulnerabilities = [{ cveId, ...(get(values, 'HasCisaKevExploit')?.toLowerCase() === 'true' ? { kev: {} } : {}) }];
  }

  const first = parseIsoDate(get(values, 'FirstDetected'), 'FirstDetected', at('FirstDetected'));
  const last = parseIsoDate(get(values, 'LastDetected'), 'LastDetected', at('LastDetected'));
  if (first) finding.firstSeen = first;
  if (last && first && last < first) {
    // Wiz exports can list a last detection before the first; the text stays in raw and the
    // finding is taken as seen when first detected.
    raw.LastDetected = get(values, 'LastDetected');
    finding.lastSeen = first;
  } else if (last) {
    finding.lastSeen = last;
  }
  return { asset, finding };
}
