// Independent readings of the Microsoft Defender, Amazon Inspector and AWS Security Hub reports:
// plain JSON.parse, and for Defender zips a small central-directory reader with zlib, without
// any code of lib/ingest. Repeats on one asset are merged as the default identification rules
// do. A vulnerability is keyed by [CVE, package, version] when it names a package, else by CVE,
// else by the source's id. A misconfiguration is keyed by [standard, title, resource] when it
// names a standard, else by [check id, resource]. A merged
// finding keeps the highest severity of its repeats, as the writer does.

import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import type { ReportExpectation } from './report-expectations';

class Tally {
  private readonly assets = new Set<string>();
  private readonly findings = new Map<string, { asset: string; severity: number }>();

  addAsset(name: string): void {
    this.assets.add(name);
  }

  addFinding(asset: string, identity: string, severity: number): void {
    this.assets.add(asset);
    const key = `${asset}\u0000${identity.toLowerCase()}`;
    const previous = this.findings.get(key);
    if (!previous || previous.severity < severity) this.findings.set(key, { asset, severity });
  }

  result(): ReportExpectation {
    const findingsByAsset = new Map<string, number>();
    const findingsBySeverity = new Map<number, number>();
    for (const { asset, severity } of this.findings.values()) {
      findingsByAsset.set(asset, (findingsByAsset.get(asset) ?? 0) + 1);
      findingsBySeverity.set(severity, (findingsBySeverity.get(severity) ?? 0) + 1);
    }
    return { assetNames: new Set(this.assets), assets: this.assets.size, findings: this.findings.size, findingsByAsset, findingsBySeverity };
  }
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

function cvssBand(score: number): number {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}

// --- zip --------------------------------------------------------------------------------------

/** Reads every file entry of a small zip through its central directory. */
export function readZipEntries(file: string): Map<string, string> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} has no end of central directory`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, string>();
  for (let index = 0; index < count; index++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
  }
  return entries;
}

// --- Microsoft Defender ----------------------------------------------------------------------

export interface DefenderMachine {
  id: string;
  computerDnsName?: string | null;
  lastIpAddress?: string | null;
}

export interface DefenderVulnerability {
  id: string;
  cveId: string;
  machineId: string;
  fixingKbId?: string | null;
  productName?: string | null;
  productVendor?: string | null;
  productVersion?: string | null;
  severity: string;
}

const DEFENDER_SEVERITIES: Record<string, number> = { critical: 5, high: 4, medium: 3, low: 2 };

export function defenderSeverityOf(vulnerability: DefenderVulnerability): number {
  return DEFENDER_SEVERITIES[vulnerability.severity.toLowerCase()] ?? 1;
}

export function defenderMachineName(machine: DefenderMachine): string {
  return machine.computerDnsName || machine.lastIpAddress || machine.id;
}

/** Reads the machines and vulnerabilities of a Defender export zip from its machines/ and vulnerabilities/ folders. */
export function readDefenderZip(file: string): { machines: DefenderMachine[]; vulnerabilities: DefenderVulnerability[] } {
  const machines: DefenderMachine[] = [];
  const vulnerabilities: DefenderVulnerability[] = [];
  for (const [name, text] of readZipEntries(file)) {
    const page = JSON.parse(text) as { value: unknown[] };
    if (/(^|\/)machines\/[^/]+\.json$/i.test(name)) machines.push(...(page.value as DefenderMachine[]));
    else if (/(^|\/)vulnerabilities\/[^/]+\.json$/i.test(name)) vulnerabilities.push(...(page.value as DefenderVulnerability[]));
  }
  return { machines, vulnerabilities };
}

export function expectDefender(file: string): ReportExpectation {
  const { machines, vulnerabilities } = readDefenderZip(file);
  const tally = new Tally();
  const names = new Map<string, string>();
  for (const machine of machines) {
    names.set(machine.id, defenderMachineName(machine));
    tally.addAsset(defenderMachineName(machine));
  }
  for (const vulnerability of vulnerabilities) {
    const asset = names.get(vulnerability.machineId) ?? vulnerability.machineId;
    const identity = vulnerability.productName ? `${vulnerability.cveId}|${vulnerability.productName}|${vulnerability.productVersion ?? ''}` : vulnerability.cveId;
    tally.addFinding(asset, identity, defenderSeverityOf(vulnerability));
  }
  return tally.result();
}

// --- Amazon Inspector ------------------------------------------------------------------------

export interface InspectorPackage {
  name: string;
  version?: string;
  epoch?: number;
  release?: string;
  fixedInVersion?: string;
  filePath?: string;
}

export interface InspectorResource {
  id: string;
  type: string;
  region?: string;
  details?: { awsEcrContainerImage?: { registry?: string; repositoryName?: string; imageTags?: string[]; imageHash?: string } };
}

export interface InspectorFinding {
  findingArn: string;
  type: string;
  severity: string;
  status: string;
  inspectorScore?: number;
  resources: InspectorResource[];
  packageVulnerabilityDetails?: { vulnerabilityId: string; vulnerablePackages?: InspectorPackage[]; cvss?: { baseScore: number; source?: string }[] };
  codeVulnerabilityDetails?: { detectorId?: string };
}

const INSPECTOR_SEVERITIES: Record<string, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

export function inspectorSeverityOf(finding: InspectorFinding): number {
  const named = INSPECTOR_SEVERITIES[finding.severity];
  if (named) return named;
  const score = finding.inspectorScore ?? finding.packageVulnerabilityDetails?.cvss?.find((rating) => rating.source === 'NVD')?.baseScore ?? finding.packageVulnerabilityDetails?.cvss?.[0]?.baseScore;
  return score === undefined ? 1 : cvssBand(score);
}

/** Returns the asset name of a resource: the instance id, the `docker pull` name of an ECR image, else the id. */
export function inspectorResourceName(resource: InspectorResource): string {
  if (resource.type === 'AWS_EC2_INSTANCE') return /(i-[0-9a-zA-Z]+)$/.exec(resource.id)?.[1] ?? resource.id;
  const image = resource.details?.awsEcrContainerImage;
  if (resource.type === 'AWS_ECR_CONTAINER_IMAGE' && image?.repositoryName) {
    const host = image.registry && resource.region ? `${image.registry}.dkr.ecr.${resource.region}.amazonaws.com/` : '';
    const tag = image.imageTags?.[0];
    return tag ? `${host}${image.repositoryName}:${tag}` : `${host}${image.repositoryName}@${image.imageHash}`;
  }
  return resource.id;
}

export function inspectorPackageVersion(pkg: InspectorPackage): string {
  return `${pkg.epoch ? `${pkg.epoch}:` : ''}${pkg.version ?? ''}${pkg.release ? `-${pkg.release}` : ''}`;
}

export function expectInspector2(report: { findings: InspectorFinding[] }): ReportExpectation {
  const tally = new Tally();
  for (const finding of report.findings) {
    for (const resource of finding.resources) {
      const asset = inspectorResourceName(resource);
      tally.addAsset(asset);
      // CLOSED findings are fixed; only their resources are imported.
      if (finding.status === 'CLOSED') continue;
      const details = finding.packageVulnerabilityDetails;
      const cve = details && CVE.test(details.vulnerabilityId) ? details.vulnerabilityId : undefined;
      const packages = details?.vulnerablePackages ?? [];
      if (cve && packages.length > 0) {
        for (const pkg of packages) tally.addFinding(asset, `${cve}|${pkg.name}|${inspectorPackageVersion(pkg)}`, inspectorSeverityOf(finding));
      } else {
        tally.addFinding(asset, cve ?? details?.vulnerabilityId ?? finding.codeVulnerabilityDetails?.detectorId ?? finding.findingArn, inspectorSeverityOf(finding));
      }
    }
  }
  return tally.result();
}

// --- AWS Security Hub ------------------------------------------------------------------------

export interface AsffPackage {
  Name: string;
  Version?: string;
  Epoch?: string;
  Release?: string;
  FixedInVersion?: string;
}

export interface AsffFinding {
  Id: string;
  Title: string;
  GeneratorId?: string;
  Types?: string[];
  ProductName?: string;
  Severity: { Label?: string; Normalized?: number };
  Resources: { Type: string; Id: string }[];
  Compliance?: { Status?: string; SecurityControlId?: string };
  ProductFields?: Record<string, string>;
  Vulnerabilities?: { Id: string; VulnerablePackages?: AsffPackage[] }[];
  RecordState?: string;
  Workflow?: { Status?: string };
}

const ASFF_SEVERITIES: Record<string, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

export function asffSeverityOf(finding: AsffFinding): number {
  const label = finding.Severity.Label ? ASFF_SEVERITIES[finding.Severity.Label] : undefined;
  if (label) return label;
  const normalized = finding.Severity.Normalized ?? 0;
  if (normalized === 0) return 1;
  if (normalized < 40) return 2;
  if (normalized < 70) return 3;
  if (normalized < 90) return 4;
  return 5;
}

export function asffResourceName(resource: { Type: string; Id: string }): string {
  if (resource.Type === 'AwsEc2Instance') return /(i-[0-9a-zA-Z]+)$/.exec(resource.Id)?.[1] ?? resource.Id;
  return resource.Id;
}

/** Returns the check id of a control, Config rule or threat finding. */
export function asffCheckId(finding: AsffFinding): string {
  const threat = finding.Compliance ? undefined : finding.Types?.find((type) => /^(TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)\//.test(type));
  return finding.Compliance?.SecurityControlId ?? finding.ProductFields?.ControlId ?? finding.ProductFields?.RuleId ?? threat?.split('/').pop() ?? finding.GeneratorId ?? finding.Title;
}

export function asffPackageVersion(pkg: AsffPackage): string {
  return `${pkg.Epoch && pkg.Epoch !== '0' ? `${pkg.Epoch}:` : ''}${pkg.Version ?? ''}${pkg.Release ? `-${pkg.Release}` : ''}`;
}

export function asffFindingsOf(report: { Findings?: AsffFinding[]; findings?: AsffFinding[] }): AsffFinding[] {
  return report.Findings ?? report.findings ?? [];
}

export function expectSecurityHub(report: { Findings?: AsffFinding[]; findings?: AsffFinding[] }): ReportExpectation {
  const tally = new Tally();
  for (const finding of asffFindingsOf(report)) {
    const passed = ['PASSED', 'NOT_AVAILABLE'].includes(finding.Compliance?.Status ?? '');
    for (const resource of finding.Resources) {
      const asset = asffResourceName(resource);
      tally.addAsset(asset);
      const vulnerabilities = finding.Vulnerabilities ?? [];
      if (vulnerabilities.length > 0) {
        for (const vulnerability of vulnerabilities) {
          const packages = vulnerability.VulnerablePackages ?? [];
          if (packages.length === 0) tally.addFinding(asset, vulnerability.Id, asffSeverityOf(finding));
          for (const pkg of packages) tally.addFinding(asset, `${vulnerability.Id}|${pkg.Name}|${asffPackageVersion(pkg)}`, asffSeverityOf(finding));
        }
      } else if (!passed) {
        const standard = finding.ProductFields?.StandardsArn ?? finding.ProductFields?.StandardsGuideArn;
        const identity = standard ? `${standard}|${finding.Title}|${resource.Id}` : `${asffCheckId(finding)}|${resource.Id}`;
        tally.addFinding(asset, identity, asffSeverityOf(finding));
      }
    }
  }
  return tally.result();
}
