// Mapping of one Amazon Inspector (Inspector2) finding, as `aws inspector2 list-findings` and the
// findings export write it, to assets and findings. The zod schemas check only the fields the
// mapping reads; the rest of the finding is kept in `raw`.

import { z } from 'zod';
import { parseCvssScore, parseIsoDate, severityFromCvss, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { AssetRecord, FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { awsResourceAsset, type AwsResource } from './aws-resources';
import { addCvssRating, copyCvss, cveIdsOf, cweIdsOf, setCves, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

const FORMAT_NAME = 'Amazon Inspector';

/** Inspector's severities; UNTRIAGED (no rating yet) falls back to the score, see `severityOf`. */
const SEVERITIES: Record<string, Severity | 0> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5, untriaged: 0 };

/** Inspector's resource types and the asset each one is. */
const RESOURCE_KINDS: Record<string, AwsResource['kind']> = {
  AWS_EC2_INSTANCE: 'ec2',
  AWS_ECR_CONTAINER_IMAGE: 'ecr_image',
  CODE_REPOSITORY: 'code_repository',
};

const resourceSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  region: z.string().nullish(),
  details: z
    .looseObject({
      awsEc2Instance: z.looseObject({ ipV4Addresses: z.array(z.string()).nullish(), ipV6Addresses: z.array(z.string()).nullish(), platform: z.string().nullish() }).nullish(),
      awsEcrContainerImage: z
        .looseObject({ registry: z.string().nullish(), repositoryName: z.string().nullish(), imageTags: z.array(z.string()).nullish(), imageHash: z.string().nullish(), platform: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
});
type InspectorResource = z.infer<typeof resourceSchema>;

const packageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().nullish(),
  epoch: z.number().nullish(),
  release: z.string().nullish(),
  fixedInVersion: z.string().nullish(),
  filePath: z.string().nullish(),
  packageManager: z.string().nullish(),
  remediation: z.string().nullish(),
});
type InspectorPackage = z.infer<typeof packageSchema>;

const cvssSchema = z.looseObject({ baseScore: z.number().nullish(), scoringVector: z.string().nullish(), source: z.string().nullish(), version: z.string().nullish() });

const findingSchema = z.looseObject({
  findingArn: z.string().min(1),
  awsAccountId: z.string().nullish(),
  type: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  severity: z.string().nullish(),
  status: z.string().nullish(),
  inspectorScore: z.number().nullish(),
  firstObservedAt: z.string().nullish(),
  lastObservedAt: z.string().nullish(),
  epss: z.looseObject({ score: z.number().min(0).max(1).nullish() }).nullish(),
  remediation: z.looseObject({ recommendation: z.looseObject({ text: z.string().nullish(), Url: z.string().nullish() }).nullish() }).nullish(),
  resources: z.array(resourceSchema).min(1),
  packageVulnerabilityDetails: z
    .looseObject({
      vulnerabilityId: z.string().min(1),
      vulnerablePackages: z.array(packageSchema).nullish(),
      cvss: z.array(cvssSchema).nullish(),
      referenceUrls: z.array(z.string()).nullish(),
      relatedVulnerabilities: z.array(z.string()).nullish(),
      sourceUrl: z.string().nullish(),
    })
    .nullish(),
  networkReachabilityDetails: z
    .looseObject({ protocol: z.string().nullish(), openPortRange: z.looseObject({ begin: z.number().nullish(), end: z.number().nullish() }).nullish() })
    .nullish(),
  codeVulnerabilityDetails: z
    .looseObject({
      detectorId: z.string().nullish(),
      ruleId: z.string().nullish(),
      detectorName: z.string().nullish(),
      cwes: z.array(z.string()).nullish(),
      referenceUrls: z.array(z.string()).nullish(),
      filePath: z.looseObject({ filePath: z.string().nullish(), startLine: z.number().nullish() }).nullish(),
    })
    .nullish(),
});
type InspectorFinding = z.infer<typeof findingSchema>;

const MAPPED_FINDING_FIELDS = new Set(['findingArn', 'type', 'title', 'description', 'severity', 'firstObservedAt', 'lastObservedAt', 'resources', 'remediation']);
const MAPPED_PACKAGE_FIELDS = new Set(['name', 'version', 'fixedInVersion', 'filePath']);

export interface InspectorRecords {
  assets: AssetRecord[];
  findings: FindingRecord[];
}

/**
 * Maps one finding: each resource becomes an asset, and the finding becomes one finding per
 * resource and vulnerable package (a package finding per package, because each is its own fix).
 *
 * A CLOSED finding is one that Inspector no longer detects, so it is not imported as an
 * observation. Its resources still are, and because every asset in a report counts as rescanned
 * by its source, the import marks an earlier open finding there as fixed. A SUPPRESSED finding (matched by
 * a suppression rule) is kept with `raw.suppressed = true`.
 */
export function inspectorRecords(value: unknown, path: JsonPath): InspectorRecords {
  const finding = validateJson(findingSchema, value, path, FORMAT_NAME);
  const assets = finding.resources.map((resource) => awsResourceAsset(inspectorResource(resource, finding)));
  if ((finding.status ?? '').toUpperCase() === 'CLOSED') return { assets, findings: [] };

  const findings: FindingRecord[] = [];
  for (const asset of assets) {
    if (finding.type === 'PACKAGE_VULNERABILITY') {
      const packages: (InspectorPackage | undefined)[] = finding.packageVulnerabilityDetails?.vulnerablePackages ?? [];
      for (const [index, pkg] of (packages.length > 0 ? packages : [undefined]).entries()) {
        findings.push(mapFinding(finding, asset, path, pkg, packages.length > 1 ? index : undefined));
      }
    } else {
      findings.push(mapFinding(finding, asset, path, undefined, undefined));
    }
  }
  return { assets, findings };
}

function inspectorResource(resource: InspectorResource, finding: InspectorFinding): AwsResource {
  const ec2 = resource.details?.awsEc2Instance;
  const image = resource.details?.awsEcrContainerImage;
  return {
    kind: RESOURCE_KINDS[resource.type] ?? 'other',
    id: resource.id,
    region: resource.region,
    ipAddresses: [...(ec2?.ipV4Addresses ?? []), ...(ec2?.ipV6Addresses ?? [])],
    platform: ec2?.platform ?? image?.platform,
    image: image ? { registry: image.registry, repositoryName: image.repositoryName, tags: image.imageTags, digest: image.imageHash } : undefined,
    raw: { awsAccountId: finding.awsAccountId ?? null, ...resource },
  };
}

function mapFinding(finding: InspectorFinding, asset: AssetRecord, path: JsonPath, pkg: InspectorPackage | undefined, packageIndex: number | undefined): FindingRecord {
  const field = formatJsonPath(path);
  const details = finding.packageVulnerabilityDetails;
  const code = finding.codeVulnerabilityDetails;
  const raw: Record<string, unknown> = unmappedFields(finding, MAPPED_FINDING_FIELDS);
  if ((finding.status ?? '').toUpperCase() === 'SUPPRESSED') raw.suppressed = true;
  if (pkg) raw.package = unmappedFields(pkg, MAPPED_PACKAGE_FIELDS);
  if (finding.resources.length > 1) raw.resourceId = asset.raw?.resourceId ?? asset.name;

  const scores: CvssScores = {};
  // NVD's rating first, so the finding carries the catalog's base score when there are several.
  const ratings = [...(details?.cvss ?? [])].sort((a, b) => Number(b.source === 'NVD') - Number(a.source === 'NVD'));
  for (const rating of ratings) addCvssRating(scores, { version: rating.version, vector: rating.scoringVector, score: rating.baseScore }, formatJsonPath([...path, 'packageVulnerabilityDetails', 'cvss']));

  const vulnerabilityId = details?.vulnerabilityId ?? code?.detectorId ?? code?.ruleId ?? finding.findingArn;
  const record: FindingRecord = {
    assetKey: asset.reportKey,
    type: 'vulnerability',
    vendorId: vulnerabilityId,
    sourceFindingId: [finding.findingArn, finding.resources.length > 1 ? asset.reportKey : '', packageIndex ?? ''].filter((part) => part !== '').join('#'),
    title: titleOf(finding, pkg, vulnerabilityId, packageIndex !== undefined),
    severity: severityOf(finding, scores, path),
    raw,
    position: { field },
  };
  copyCvss(scores, record);
  setCves(record, cveIdsOf([details?.vulnerabilityId, ...(details?.relatedVulnerabilities ?? [])]));
  if (finding.description) record.description = finding.description;

  const firstSeen = parseIsoDate(finding.firstObservedAt ?? undefined, 'firstObservedAt', { field: `${field}.firstObservedAt` });
  const lastSeen = parseIsoDate(finding.lastObservedAt ?? undefined, 'lastObservedAt', { field: `${field}.lastObservedAt` });
  if (firstSeen) record.firstSeen = firstSeen;
  if (lastSeen) record.lastSeen = lastSeen;

  if (pkg) {
    record.technology = technologyOf(pkg);
    const fixed = pkg.fixedInVersion?.trim();
    if (fixed && fixed !== 'NotAvailable') record.fixedVersion = fixed;
  }
  const recommendation = finding.remediation?.recommendation?.text?.trim();
  const solution = recommendation && recommendation !== 'None Provided' ? recommendation : (pkg?.remediation ?? (record.fixedVersion && pkg ? `Upgrade ${pkg.name} to ${record.fixedVersion}.` : undefined));
  if (solution) record.solution = solution;

  const network = finding.networkReachabilityDetails;
  if (network?.openPortRange?.begin !== undefined && network.openPortRange.begin !== null && network.openPortRange.begin === network.openPortRange.end) {
    record.port = network.openPortRange.begin;
  }
  if (network?.protocol) record.protocol = network.protocol.toLowerCase();
  // TODO: a code vulnerability is identified by its detector id, since vulnerability identity
  // rules have no resource attribute, so two hits of one detector in one function merge.
  if (code?.filePath?.filePath) record.resource = code.filePath.startLine ? `${code.filePath.filePath}:${code.filePath.startLine}` : code.filePath.filePath;
  const cweIds = cweIdsOf(code?.cwes ?? []);
  if (cweIds.length > 0) record.cweIds = cweIds;

  const references = unique([...(details?.sourceUrl ? [details.sourceUrl] : []), ...(details?.referenceUrls ?? []), ...(code?.referenceUrls ?? [])]);
  if (references.length > 0) record.references = references;

  const facts = (record.cveIds ?? []).map((cveId): VulnerabilityFacts => {
    const fact: VulnerabilityFacts = { cveId };
    if (cveId === record.cveId) {
      copyCvss(scores, fact);
      if (typeof finding.epss?.score === 'number') fact.epssScore = finding.epss.score;
    }
    return fact;
  });
  if (facts.length > 0) record.vulnerabilities = facts;
  return record;
}

function titleOf(finding: InspectorFinding, pkg: InspectorPackage | undefined, vulnerabilityId: string, severalPackages: boolean): string {
  if (pkg && severalPackages) return `${vulnerabilityId} - ${pkg.name}`;
  return finding.title?.trim() || (pkg ? `${vulnerabilityId} - ${pkg.name}` : vulnerabilityId);
}

/** The package's version as the package manager writes it, with a non-zero epoch and the release. */
function technologyOf(pkg: InspectorPackage): TechnologyRecord {
  const technology: TechnologyRecord = { product: pkg.name };
  if (pkg.version) {
    const epoch = pkg.epoch ? `${pkg.epoch}:` : '';
    technology.version = `${epoch}${pkg.version}${pkg.release ? `-${pkg.release}` : ''}`;
  }
  if (pkg.filePath) technology.path = pkg.filePath;
  if (pkg.packageManager) technology.category = pkg.packageManager.toLowerCase();
  return technology;
}

/** Inspector's severity; an UNTRIAGED finding gets the band of its Inspector score or CVSS, else informational. */
function severityOf(finding: InspectorFinding, scores: CvssScores, path: JsonPath): Severity {
  const named = severityFrom(SEVERITIES, finding.severity, formatJsonPath([...path, 'severity']), FORMAT_NAME);
  if (named) return named;
  const score = parseCvssScore(finding.inspectorScore ?? undefined, 'inspectorScore', { field: formatJsonPath([...path, 'inspectorScore']) }) ?? scores.cvss3BaseScore ?? scores.cvss4BaseScore ?? scores.cvss2BaseScore;
  if (score !== undefined) return severityFromCvss(score);
  if (named === undefined) throw new ReportError('invalid_field', 'Amazon Inspector finding has no severity and no score', { field: formatJsonPath([...path, 'severity']) });
  return 1;
}
