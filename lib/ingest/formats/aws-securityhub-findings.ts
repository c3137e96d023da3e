// Mapping of one AWS Security Finding Format (ASFF) finding from AWS Security Hub to assets and
// findings. Security Hub gathers findings of several products, so the kind of finding decides
// the mapping:
//
// - a finding with `Vulnerabilities[]` (Amazon Inspector through Security Hub) is a vulnerability,
//   one per resource, vulnerability and vulnerable package;
// - a control or Config rule result (`Compliance.Status`) is a misconfiguration when it FAILED
//   or gave a WARNING; PASSED and NOT_AVAILABLE results are not findings, but their resources
//   still become assets, since the check looked at them;
// - any other finding, such as a GuardDuty threat detection, is kept as a misconfiguration-type
//   finding whose `vendorId` is the finding type (e.g. `DefenseEvasion:EC2-UnusualDNSResolver`)
//   and whose `raw.threat` marks it as a detected activity, not a setting. The product has no
//   threat finding type yet; dropping them would hide active threats on the asset.
//
// An archived record (`RecordState` ARCHIVED) and a suppressed one (`Workflow.Status` SUPPRESSED)
// are kept, flagged `raw.archived` and `raw.suppressed`.

import { z } from 'zod';
import { parseIsoDate, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { AssetRecord, FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { awsResourceAsset, type AwsResource } from './aws-resources';
import { addCvssRating, copyCvss, cveIdsOf, setCves, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

const FORMAT_NAME = 'AWS Security Hub';

const SEVERITIES: Record<string, Severity> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** Compliance results that are not findings. */
const NOT_FINDINGS = new Set(['PASSED', 'NOT_AVAILABLE']);

/** ASFF finding type namespaces of detected activity rather than a weakness. */
const THREAT_TYPES = /^(TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)\//;

const RESOURCE_KINDS: Record<string, AwsResource['kind']> = { AwsEc2Instance: 'ec2', AwsEcrContainerImage: 'ecr_image' };

const resourceSchema = z.looseObject({
  Type: z.string().min(1),
  Id: z.string().min(1),
  Region: z.string().nullish(),
  Details: z
    .looseObject({
      AwsEc2Instance: z.looseObject({ IpV4Addresses: z.array(z.string()).nullish(), IpV6Addresses: z.array(z.string()).nullish() }).nullish(),
      AwsEcrContainerImage: z
        .looseObject({ RegistryId: z.string().nullish(), RepositoryName: z.string().nullish(), ImageTags: z.array(z.string()).nullish(), ImageDigest: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
});
type AsffResource = z.infer<typeof resourceSchema>;

const packageSchema = z.looseObject({
  Name: z.string().min(1),
  Version: z.string().nullish(),
  Epoch: z.string().nullish(),
  Release: z.string().nullish(),
  FilePath: z.string().nullish(),
  PackageManager: z.string().nullish(),
  FixedInVersion: z.string().nullish(),
  Remediation: z.string().nullish(),
});
type AsffPackage = z.infer<typeof packageSchema>;

const vulnerabilitySchema = z.looseObject({
  Id: z.string().min(1),
  VulnerablePackages: z.array(packageSchema).nullish(),
  Cvss: z.array(z.looseObject({ Version: z.string().nullish(), BaseScore: z.number().nullish(), BaseVector: z.string().nullish(), Source: z.string().nullish() })).nullish(),
  RelatedVulnerabilities: z.array(z.string()).nullish(),
  Vendor: z.looseObject({ Url: z.string().nullish() }).nullish(),
  ReferenceUrls: z.array(z.string()).nullish(),
  EpssScore: z.number().min(0).max(1).nullish(),
});
type AsffVulnerability = z.infer<typeof vulnerabilitySchema>;

const findingSchema = z.looseObject({
  Id: z.string().min(1),
  ProductArn: z.string().nullish(),
  ProductName: z.string().nullish(),
  GeneratorId: z.string().nullish(),
  AwsAccountId: z.string().nullish(),
  Types: z.array(z.string()).nullish(),
  FirstObservedAt: z.string().nullish(),
  LastObservedAt: z.string().nullish(),
  CreatedAt: z.string().nullish(),
  UpdatedAt: z.string().nullish(),
  Severity: z.looseObject({ Label: z.string().nullish(), Normalized: z.number().min(0).max(100).nullish() }).nullish(),
  Title: z.string().min(1),
  Description: z.string().nullish(),
  Remediation: z.looseObject({ Recommendation: z.looseObject({ Text: z.string().nullish(), Url: z.string().nullish() }).nullish() }).nullish(),
  Resources: z.array(resourceSchema).min(1),
  Compliance: z
    .looseObject({
      Status: z.string().nullish(),
      SecurityControlId: z.string().nullish(),
      AssociatedStandards: z.array(z.looseObject({ StandardsId: z.string().nullish() })).nullish(),
    })
    .nullish(),
  Vulnerabilities: z.array(vulnerabilitySchema).nullish(),
  Workflow: z.looseObject({ Status: z.string().nullish() }).nullish(),
  RecordState: z.string().nullish(),
  ProductFields: z.record(z.string(), z.unknown()).nullish(),
  SourceUrl: z.string().nullish(),
});
type AsffFinding = z.infer<typeof findingSchema>;

const MAPPED_FINDING_FIELDS = new Set(['Id', 'Title', 'Description', 'Resources', 'Vulnerabilities', 'FirstObservedAt', 'LastObservedAt']);

export interface SecurityHubRecords {
  assets: AssetRecord[];
  findings: FindingRecord[];
}

export function securityHubRecords(value: unknown, path: JsonPath): SecurityHubRecords {
  const finding = validateJson(findingSchema, value, path, FORMAT_NAME);
  const assets = finding.Resources.map((resource) => awsResourceAsset(asffResource(resource, finding)));
  const compliance = finding.Compliance?.Status?.toUpperCase();
  const vulnerabilities = finding.Vulnerabilities ?? [];
  if (vulnerabilities.length === 0 && compliance && NOT_FINDINGS.has(compliance)) return { assets, findings: [] };

  const findings: FindingRecord[] = [];
  assets.forEach((asset, resourceIndex) => {
    const base = baseFinding(finding, asset, path, assets.length > 1 ? resourceIndex : undefined);
    if (vulnerabilities.length > 0) {
      vulnerabilities.forEach((vulnerability, vulnerabilityIndex) => {
        const packages: (AsffPackage | undefined)[] = vulnerability.VulnerablePackages ?? [];
        (packages.length > 0 ? packages : [undefined]).forEach((pkg, packageIndex) => {
          findings.push(vulnerabilityFinding(base, finding, vulnerability, pkg, [...path, 'Vulnerabilities', vulnerabilityIndex], `${vulnerabilityIndex}.${packageIndex}`));
        });
      });
    } else {
      findings.push(misconfigurationFinding(base, finding, asset));
    }
  });
  return { assets, findings };
}

function asffResource(resource: AsffResource, finding: AsffFinding): AwsResource {
  const ec2 = resource.Details?.AwsEc2Instance;
  const image = resource.Details?.AwsEcrContainerImage;
  return {
    kind: RESOURCE_KINDS[resource.Type] ?? 'other',
    id: resource.Id,
    region: resource.Region,
    ipAddresses: [...(ec2?.IpV4Addresses ?? []), ...(ec2?.IpV6Addresses ?? [])],
    image: image ? { registry: image.RegistryId, repositoryName: image.RepositoryName, tags: image.ImageTags, digest: image.ImageDigest } : undefined,
    raw: { awsAccountId: finding.AwsAccountId ?? null, ...resource },
  };
}

/** Builds the fields that every finding of one ASFF record shares. */
function baseFinding(finding: AsffFinding, asset: AssetRecord, path: JsonPath, resourceIndex: number | undefined): FindingRecord {
  const field = formatJsonPath(path);
  const raw = unmappedFields(finding, MAPPED_FINDING_FIELDS);
  if (finding.RecordState?.toUpperCase() === 'ARCHIVED') raw.archived = true;
  if (finding.Workflow?.Status?.toUpperCase() === 'SUPPRESSED') raw.suppressed = true;
  if (resourceIndex !== undefined) raw.resourceId = asset.raw?.resourceId ?? asset.name;

  const record: FindingRecord = {
    assetKey: asset.reportKey,
    type: 'misconfiguration',
    sourceFindingId: resourceIndex === undefined ? finding.Id : `${finding.Id}#${resourceIndex}`,
    title: finding.Title,
    severity: severityOf(finding, path),
    raw,
    position: { field },
  };
  if (finding.Description) record.description = finding.Description;
  const recommendation = finding.Remediation?.Recommendation;
  const solution = [recommendation?.Text?.trim(), recommendation?.Url?.trim()].filter((part) => part && part !== 'None Provided').join(' ');
  if (solution) record.solution = solution;

  const firstSeen = parseIsoDate(finding.FirstObservedAt ?? finding.CreatedAt ?? undefined, 'FirstObservedAt', { field: `${field}.FirstObservedAt` });
  const lastSeen = parseIsoDate(finding.LastObservedAt ?? finding.UpdatedAt ?? undefined, 'LastObservedAt', { field: `${field}.LastObservedAt` });
  if (firstSeen) record.firstSeen = firstSeen;
  if (lastSeen) record.lastSeen = lastSeen;
  const references = unique([recommendation?.Url, finding.SourceUrl].filter((url): url is string => Boolean(url)));
  if (references.length > 0) record.references = references;
  return record;
}

function misconfigurationFinding(base: FindingRecord, finding: AsffFinding, asset: AssetRecord): FindingRecord {
  const fields = finding.ProductFields ?? {};
  const text = (key: string) => (typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined);
  const types = finding.Types ?? [];
  const threat = !finding.Compliance && types.some((type) => THREAT_TYPES.test(type));
  const threatType = threat ? types.find((type) => THREAT_TYPES.test(type))?.split('/').pop() : undefined;
  const vendorId = finding.Compliance?.SecurityControlId ?? text('ControlId') ?? text('RuleId') ?? threatType ?? finding.GeneratorId ?? finding.Title;

  const record: FindingRecord = { ...base, type: 'misconfiguration', vendorId, resource: String(asset.raw?.Id ?? asset.name), raw: { ...base.raw } };
  // A control result names its standard, e.g. `aws-foundational-security-best-practices/v/1.0.0`.
  const standard = standardOf(text('StandardsArn') ?? text('StandardsGuideArn') ?? finding.Compliance?.AssociatedStandards?.[0]?.StandardsId ?? undefined);
  if (standard) record.policyName = standard;
  const policy = standard ?? finding.ProductName ?? text('aws/securityhub/ProductName');
  if (policy) record.raw.policy = policy;
  // TODO: give threat detections their own finding type once FINDING_TYPES has one; until then
  // they are misconfiguration-type findings, marked only by raw.threat.
  if (threat) record.raw.threat = { types, product: finding.ProductName ?? null };
  return record;
}

/** Returns the standard's path in a standards or ruleset ARN or id, e.g. `cis-aws-foundations-benchmark/v/1.2.0`. */
function standardOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /(?:^|[:/])(?:standards|ruleset)\/(.+)$/.exec(value)?.[1] ?? value;
}

function vulnerabilityFinding(base: FindingRecord, finding: AsffFinding, vulnerability: AsffVulnerability, pkg: AsffPackage | undefined, path: JsonPath, index: string): FindingRecord {
  const scores: CvssScores = {};
  const ratings = [...(vulnerability.Cvss ?? [])].sort((a, b) => Number(b.Source === 'NVD') - Number(a.Source === 'NVD'));
  for (const rating of ratings) addCvssRating(scores, { version: rating.Version, vector: rating.BaseVector, score: rating.BaseScore }, formatJsonPath([...path, 'Cvss']));

  const several = (finding.Vulnerabilities?.length ?? 0) > 1 || (vulnerability.VulnerablePackages?.length ?? 0) > 1;
  const record: FindingRecord = {
    ...base,
    type: 'vulnerability',
    vendorId: vulnerability.Id,
    sourceFindingId: several ? `${base.sourceFindingId}#${index}` : base.sourceFindingId,
    title: several && pkg ? `${vulnerability.Id} - ${pkg.Name}` : base.title,
    raw: { ...base.raw, vulnerability: unmappedFields(vulnerability, new Set(['Id', 'VulnerablePackages'])) },
    position: { field: formatJsonPath(path) },
  };
  copyCvss(scores, record);
  setCves(record, cveIdsOf([vulnerability.Id, ...(vulnerability.RelatedVulnerabilities ?? [])]));
  if (pkg) {
    record.technology = technologyOf(pkg);
    record.raw.package = unmappedFields(pkg, new Set(['Name', 'Version', 'FilePath', 'FixedInVersion']));
    const fixed = pkg.FixedInVersion?.trim();
    if (fixed && fixed !== 'NotAvailable') record.fixedVersion = fixed;
    if (!record.solution && pkg.Remediation) record.solution = pkg.Remediation;
  }
  const references = unique([...(record.references ?? []), ...(vulnerability.Vendor?.Url ? [vulnerability.Vendor.Url] : []), ...(vulnerability.ReferenceUrls ?? [])]);
  if (references.length > 0) record.references = references;
  if (record.cveId) {
    const fact: VulnerabilityFacts = { cveId: record.cveId };
    copyCvss(scores, fact);
    record.vulnerabilities = [typeof vulnerability.EpssScore === 'number' ? { ...fact, epssScore: vulnerability.EpssScore } : fact];
  }
  return record;
}

function technologyOf(pkg: AsffPackage): TechnologyRecord {
  const technology: TechnologyRecord = { product: pkg.Name };
  if (pkg.Version) {
    const epoch = pkg.Epoch && pkg.Epoch !== '0' ? `${pkg.Epoch}:` : '';
    technology.version = `${epoch}${pkg.Version}${pkg.Release ? `-${pkg.Release}` : ''}`;
  }
  if (pkg.FilePath) technology.path = pkg.FilePath;
  if (pkg.PackageManager) technology.category = pkg.PackageManager.toLowerCase();
  return technology;
}

/** Returns the severity label, else the band of the normalized 0–100 score as ASFF defines it. */
function severityOf(finding: AsffFinding, path: JsonPath): Severity {
  const label = severityFrom(SEVERITIES, finding.Severity?.Label, formatJsonPath([...path, 'Severity', 'Label']), FORMAT_NAME);
  if (label) return label;
  const normalized = finding.Severity?.Normalized;
  if (normalized === undefined || normalized === null) throw new ReportError('invalid_field', 'ASFF finding has neither Severity.Label nor Severity.Normalized', { field: formatJsonPath([...path, 'Severity']) });
  if (normalized === 0) return 1;
  if (normalized < 40) return 2;
  if (normalized < 70) return 3;
  if (normalized < 90) return 4;
  return 5;
}
