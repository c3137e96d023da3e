// Independent readings of the shared scanner reports: each function counts the assets and
// findings an import must produce, by regular expressions over the XML text or JSON.parse,
// without any code of lib/ingest. Repeats are merged with the identity rule the product
// documents (lib/ingest/identity.ts): scanner findings by [source, vendor id, port, protocol],
// package findings by [CVE or vendor id, package, version, path], misconfigurations by
// [source, check id, affected resource or file]. Nessus, the Qualys asset data report and
// CycloneDX use the default identification rules of lib/identification instead, written out
// in identification-expectations.ts.


import { defaultIdentity } from './identification-expectations';
/** What one import of a report must store. Severities use the product's 1–5 scale. */
export interface ReportExpectation {
  assetNames: Set<string>;
  /** Findings per asset name. Assets without findings are not in the map. */
  findingsByAsset: Map<string, number>;
  /** Findings per severity. */
  findingsBySeverity: Map<number, number>;
  assets: number;
  findings: number;
}

/** Distinct findings, keyed by asset name and identity, with the highest severity of their occurrences (as an import keeps). */
class FindingTally {
  private readonly assets = new Set<string>();
  private readonly findings = new Map<string, { asset: string; severity: number }>();

  addAsset(asset: string): void {
    this.assets.add(asset);
  }

  addFinding(asset: string, identity: string, severity: number): void {
    this.assets.add(asset);
    const key = `${asset}\u0000${identity}`;
    const known = this.findings.get(key);
    if (!known || known.severity < severity) this.findings.set(key, { asset, severity });
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

/**
 * Replaces each CDATA section by its text with `<` and `&` escaped, and drops comments, so the
 * regular expressions below never match markup-like text inside a value.
 */
export function flattenXml(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_match, inner: string) => inner.replaceAll('&', '&amp;').replaceAll('<', '&lt;'));
}

/** Returns the attributes of a start tag's attribute text. */
export function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1] ?? ''] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

/** Returns every element with this name as its attribute text and content (empty for `<x/>`). */
export function elements(text: string, name: string): { attributes: Record<string, string>; body: string }[] {
  const pattern = new RegExp(`<${name}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${name}>)`, 'g');
  return [...text.matchAll(pattern)].map((match) => ({ attributes: attributesOf(match[1] ?? ''), body: match[2] ?? '' }));
}

/** Returns the trimmed text of the first child element with this name. */
export function textOf(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(body);
  const text = match?.[1] === undefined ? undefined : decodeEntities(match[1]).trim();
  return text === '' ? undefined : text;
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** Nessus v2: one asset per ReportHost, one finding per plugin, port and protocol on it. */
export function expectNessus(xml: string): ReportExpectation {
  const tally = new FindingTally();
  for (const host of elements(flattenXml(xml), 'ReportHost')) {
    const name = host.attributes.name ?? '';
    tally.addAsset(name);
    for (const item of elements(host.body, 'ReportItem')) {
      // A compliance check that passed is no weakness.
      if (textOf(item.body, 'cm:compliance-result')?.toUpperCase() === 'PASSED') continue;
      const { pluginID, pluginName, port, protocol, severity } = item.attributes;
      const check = textOf(item.body, 'cm:compliance-check-name');
      const identity = check
        ? defaultIdentity({ type: 'misconfiguration', source: 'Nessus', title: check, policy: textOf(item.body, 'cm:compliance-audit-file') })
        : defaultIdentity({ source: 'Nessus', cve: textOf(item.body, 'cve'), port, protocol, vendorId: pluginID, title: pluginName ?? '' });
      // Nessus severity 0 (info) to 4 (critical) is 1 to 5 on the product's scale.
      tally.addFinding(name, identity, Number(severity) + 1);
    }
  }
  return tally.result();
}

/**
 * Qualys asset data report: one asset per HOST, named by DNS, else NETBIOS, else IP. Each QID,
 * port and protocol on a host is one finding, except detections Qualys reports as Fixed.
 * Information gathered (TYPE Ig) is severity 1, and the others take the glossary's SEVERITY.
 */
export function expectQualysAssetData(xml: string): ReportExpectation {
  const text = flattenXml(xml);
  const glossarySeverity = new Map<string, number>();
  const glossaryCve = new Map<string, string>();
  const glossaryTitle = new Map<string, string>();
  for (const details of elements(text, 'VULN_DETAILS')) {
    const qid = textOf(details.body, 'QID');
    const severity = textOf(details.body, 'SEVERITY');
    if (qid && severity) glossarySeverity.set(qid, Number(severity));
    const cveList = elements(details.body, 'CVE_ID_LIST')[0]?.body ?? '';
    const cve = elements(cveList, 'CVE_ID').map((entry) => textOf(entry.body, 'ID') ?? entry.body.trim())[0];
    if (qid && cve) glossaryCve.set(qid, cve);
    const title = textOf(details.body, 'TITLE');
    if (qid && title) glossaryTitle.set(qid, title);
  }

  const tally = new FindingTally();
  const hostList = elements(text, 'HOST_LIST')[0]?.body ?? '';
  for (const host of elements(hostList, 'HOST')) {
    const name = textOf(host.body, 'DNS') ?? textOf(host.body, 'NETBIOS') ?? textOf(host.body, 'IP') ?? '';
    tally.addAsset(name);
    for (const detection of elements(host.body, 'VULN_INFO')) {
      if (textOf(detection.body, 'VULN_STATUS')?.toLowerCase() === 'fixed') continue;
      const qid = textOf(detection.body, 'QID') ?? '';
      const identity = defaultIdentity({
        source: 'Qualys',
        cve: glossaryCve.get(qid),
        port: textOf(detection.body, 'PORT'),
        protocol: textOf(detection.body, 'PROTOCOL'),
        vendorId: qid,
        title: glossaryTitle.get(qid) ?? qid,
      });
      const informational = textOf(detection.body, 'TYPE')?.toLowerCase() === 'ig';
      tally.addFinding(name, identity, informational ? 1 : (glossarySeverity.get(qid) ?? 3));
    }
  }
  return tally.result();
}

/** Category containers of a Qualys scan report and whether their entries are information gathered. */
const SCAN_CONTAINERS = [
  { container: 'VULNS', entry: 'VULN', informational: false },
  { container: 'PRACTICES', entry: 'PRACTICE', informational: false },
  { container: 'INFOS', entry: 'INFO', informational: true },
  { container: 'SERVICES', entry: 'SERVICE', informational: true },
];

/**
 * Qualys scan report (scan-1.dtd): one asset per IP element, named by its DNS name, else its
 * address. Each QID with its CAT port and protocol is one finding. INFOS and SERVICES are
 * severity 1, and VULNS and PRACTICES keep their severity attribute.
 */
export function expectQualysScan(xml: string): ReportExpectation {
  const tally = new FindingTally();
  for (const ip of elements(flattenXml(xml), 'IP')) {
    const dnsName = ip.attributes.name;
    const name = dnsName && dnsName !== 'No registered hostname' ? dnsName : (ip.attributes.value ?? '');
    tally.addAsset(name);
    for (const { container, entry, informational } of SCAN_CONTAINERS) {
      for (const group of elements(ip.body, container)) {
        for (const category of elements(group.body, 'CAT')) {
          const endpoint = `${category.attributes.port ?? ''}/${category.attributes.protocol?.toLowerCase() ?? ''}`;
          for (const item of elements(category.body, entry)) {
            tally.addFinding(name, `${item.attributes.number}|${endpoint}`, informational ? 1 : Number(item.attributes.severity));
          }
        }
      }
    }
  }
  return tally.result();
}

/** Trivy severities on the product's 1–5 scale. */
export const TRIVY_SEVERITIES: Record<string, number> = { UNKNOWN: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

export interface TrivyVulnerability {
  VulnerabilityID: string;
  PkgName?: string;
  InstalledVersion?: string;
  FixedVersion?: string;
  PkgPath?: string;
  Severity?: string;
}

interface TrivyResult {
  Target: string;
  Class?: string;
  Vulnerabilities?: TrivyVulnerability[] | null;
  Misconfigurations?: { ID: string; Status?: string; Severity?: string }[] | null;
  Secrets?: { RuleID: string; Severity?: string }[] | null;
}

interface TrivyWorkload {
  Namespace?: string;
  Kind?: string;
  Name?: string;
  Results?: TrivyResult[] | null;
}

export interface TrivyReport {
  ArtifactName?: string;
  ClusterName?: string;
  Results?: TrivyResult[] | null;
  Vulnerabilities?: TrivyWorkload[] | null;
  Misconfigurations?: TrivyWorkload[] | null;
  Resources?: TrivyWorkload[] | null;
}

/** Removes the ` (debian 10.4)` that Trivy appends to an OS-package target. */
export function imageOfTarget(target: string): string {
  return target.replace(/ \([^()]*\)$/, '');
}

/**
 * Trivy JSON: a schema-2 report is one asset, its artifact. A Kubernetes report has one asset
 * per workload resource (`namespace/Kind/Name`) for its misconfigurations, and one per image for
 * the vulnerabilities of the workload's OS-package result. Misconfigurations that passed are
 * not findings. A misconfiguration or secret is one finding per check id and target file.
 */
export function expectTrivy(report: TrivyReport): ReportExpectation {
  const tally = new FindingTally();

  const addResult = (asset: string, result: TrivyResult) => {
    for (const item of result.Vulnerabilities ?? []) {
      const identity = item.PkgName
        ? `package|${item.VulnerabilityID}|${item.PkgName}|${item.InstalledVersion ?? ''}|${item.PkgPath ?? ''}`
        : `vendor|${item.VulnerabilityID}`;
      tally.addFinding(asset, identity, TRIVY_SEVERITIES[item.Severity ?? 'UNKNOWN'] ?? 1);
    }
    for (const item of result.Misconfigurations ?? []) {
      const status = item.Status?.toUpperCase();
      if (status === 'PASS' || status === 'EXCEPTION') continue;
      tally.addFinding(asset, `misconfig|${item.ID}|${result.Target}`, TRIVY_SEVERITIES[item.Severity ?? 'UNKNOWN'] ?? 1);
    }
    for (const item of result.Secrets ?? []) {
      tally.addFinding(asset, `misconfig|${item.RuleID}|${result.Target}`, TRIVY_SEVERITIES[item.Severity ?? 'UNKNOWN'] ?? 1);
    }
  };

  if (report.ArtifactName !== undefined) {
    tally.addAsset(report.ArtifactName);
    for (const result of report.Results ?? []) addResult(report.ArtifactName, result);
  }

  for (const workload of [...(report.Vulnerabilities ?? []), ...(report.Misconfigurations ?? []), ...(report.Resources ?? [])]) {
    const resource = [workload.Namespace, workload.Kind, workload.Name].filter(Boolean).join('/');
    const results = workload.Results ?? [];
    const osTarget = results.find((result) => result.Class === 'os-pkgs')?.Target;
    const image = osTarget ? imageOfTarget(osTarget) : undefined;
    if (image) tally.addAsset(image);
    else tally.addAsset(resource);
    for (const result of results) {
      const misconfigurations = { ...result, Vulnerabilities: [], Secrets: [] };
      const inImage = { ...result, Misconfigurations: [] };
      addResult(resource, misconfigurations);
      addResult(image ?? resource, inImage);
    }
  }
  return tally.result();
}

/** Grype severities on the product's 1–5 scale. */
export const GRYPE_SEVERITIES: Record<string, number> = { unknown: 1, negligible: 1, low: 2, medium: 3, high: 4, critical: 5 };

export interface GrypeMatch {
  vulnerability: { id: string; severity?: string; fix?: { versions?: string[] } };
  relatedVulnerabilities?: { id: string; severity?: string }[] | null;
  artifact: { name: string; version?: string; locations?: { path?: string }[] | null };
}

export interface GrypeReport {
  matches?: GrypeMatch[] | null;
  ignoredMatches?: GrypeMatch[] | null;
  source: { type?: string; target: string | { userInput?: string; tags?: string[]; imageID?: string } };
}

/** Returns the first CVE id among a Grype match's vulnerability id and related ids. */
export function grypeCveOf(match: GrypeMatch): string | undefined {
  const ids = [match.vulnerability.id, ...(match.relatedVulnerabilities ?? []).map((related) => related.id)];
  return ids.map((id) => id.toUpperCase()).find((id) => /^CVE-\d{4}-\d{4,}$/.test(id));
}

/** Returns the name of a Grype report's asset: the directory or file path, else the image the user named. */
export function grypeAssetName(report: GrypeReport): string {
  const { target } = report.source;
  return typeof target === 'string' ? target : (target.userInput ?? target.tags?.[0] ?? target.imageID ?? '');
}

/** Returns a match's severity on the 1–5 scale: its own, else the first related record's. */
export function grypeSeverityOf(match: GrypeMatch): number {
  const named = [match.vulnerability, ...(match.relatedVulnerabilities ?? [])].find((record) => record.severity);
  return GRYPE_SEVERITIES[named?.severity?.toLowerCase() ?? 'unknown'] ?? 1;
}

/**
 * Grype JSON: one asset, the scanned source. Each match and each ignored match is a package
 * finding keyed by its CVE (the vulnerability's own id, else the first related CVE) or its id,
 * the package name and version, and the package's first location. A match without a severity
 * takes that of its first related record that has one.
 */
export function expectGrype(report: GrypeReport): ReportExpectation {
  const tally = new FindingTally();
  const asset = grypeAssetName(report);
  tally.addAsset(asset);
  for (const match of [...(report.matches ?? []), ...(report.ignoredMatches ?? [])]) {
    const { artifact, vulnerability } = match;
    const location = artifact.locations?.find((entry) => entry.path)?.path ?? '';
    const identity = `package|${grypeCveOf(match) ?? vulnerability.id}|${artifact.name}|${artifact.version ?? ''}|${location}`;
    tally.addFinding(asset, identity, grypeSeverityOf(match));
  }
  return tally.result();
}

/** CycloneDX rating severities on the product's 1–5 scale. */
export const CYCLONEDX_SEVERITIES: Record<string, number> = { none: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5 };

export interface CycloneDxComponent {
  'bom-ref'?: string;
  group?: string;
  name: string;
  version?: string;
  cpe?: string;
  properties?: { name: string; value: string }[];
  evidence?: { occurrences?: { location?: string }[] };
  components?: CycloneDxComponent[];
}

export interface CycloneDxRating {
  source?: { name?: string };
  severity?: string;
  score?: number;
  method?: string;
}

export interface CycloneDxVulnerability {
  id: string;
  source?: { name?: string };
  references?: { id?: string }[];
  ratings?: CycloneDxRating[];
  affects?: { ref: string }[];
}

export interface CycloneDxBom {
  serialNumber?: string;
  metadata?: { component?: CycloneDxComponent };
  components?: CycloneDxComponent[];
  vulnerabilities?: CycloneDxVulnerability[];
}

/**
 * Returns a CycloneDX vulnerability's severity: the first rating with a known severity, taking
 * the vulnerability's own source first and NVD second; else the CVSS band of the highest CVSS
 * score; else 1.
 */
export function cycloneDxSeverityOf(vulnerability: CycloneDxVulnerability): number {
  const own = vulnerability.source?.name?.toLowerCase();
  const ratings = vulnerability.ratings ?? [];
  const ordered = [
    ...ratings.filter((rating) => own && rating.source?.name?.toLowerCase() === own),
    ...ratings.filter((rating) => rating.source?.name?.toLowerCase() === 'nvd' && rating.source?.name?.toLowerCase() !== own),
    ...ratings.filter((rating) => !['nvd', own].includes(rating.source?.name?.toLowerCase())),
  ];
  const named = ordered.find((rating) => rating.severity && rating.severity.toLowerCase() !== 'unknown');
  if (named?.severity) return CYCLONEDX_SEVERITIES[named.severity.toLowerCase()] ?? 1;

  const scores = ratings.filter((rating) => rating.method?.startsWith('CVSS') && rating.score !== undefined).map((rating) => rating.score ?? 0);
  if (scores.length === 0) return 1;
  return cvssBand(Math.max(...scores));
}

/** Returns every component of a BOM by bom-ref, the subject's and nested ones included. */
export function cycloneDxComponents(bom: CycloneDxBom): Map<string, CycloneDxComponent> {
  const byRef = new Map<string, CycloneDxComponent>();
  const visit = (component: CycloneDxComponent) => {
    const ref = component['bom-ref'];
    if (ref && !byRef.has(ref)) byRef.set(ref, component);
    for (const child of component.components ?? []) visit(child);
  };
  if (bom.metadata?.component) visit(bom.metadata.component);
  for (const component of bom.components ?? []) visit(component);
  return byRef;
}

/**
 * Returns the component a package URL names, for an affects ref that is no bom-ref of the BOM.
 * Only Maven namespaces are groups, and distribution namespaces (`pkg:deb/debian/…`) are dropped.
 */
function componentOfPurl(ref: string): CycloneDxComponent {
  const match = /^pkg:([^/]+)\/(?:([^@?#]+)\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(ref);
  if (!match) return { name: ref };
  const [type, namespace, name, version] = match.slice(1).map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
  if (namespace && type === 'maven') return { group: namespace, name: name ?? ref, version };
  const qualified = namespace && !['deb', 'rpm', 'apk', 'alpm'].includes(type ?? '') ? `${namespace}/${name}` : name;
  return { name: qualified ?? ref, version };
}

/**
 * CycloneDX JSON: one asset, named by `metadata.component`, else by the serial number. Each
 * vulnerability is one finding per affected component, keyed by the first CVE among its id
 * and references (else its id), the component's `group:name`, version and file path (Trivy's
 * FilePath property, else the first evidence occurrence). A ref that is no bom-ref is read as
 * a package URL. A vulnerability without affects is one finding on the asset.
 */
export function expectCycloneDx(bom: CycloneDxBom): ReportExpectation {
  const tally = new FindingTally();
  const asset = bom.metadata?.component?.name ?? bom.serialNumber ?? 'CycloneDX BOM';
  tally.addAsset(asset);
  const components = cycloneDxComponents(bom);

  for (const vulnerability of bom.vulnerabilities ?? []) {
    const cve = [vulnerability.id, ...(vulnerability.references ?? []).map((reference) => reference.id ?? '')]
      .map((id) => id.toUpperCase())
      .find((id) => /^CVE-\d{4}-\d{4,}$/.test(id));
    const weakness = cve ?? vulnerability.id;
    const severity = cycloneDxSeverityOf(vulnerability);
    const affects = vulnerability.affects ?? [];
    if (affects.length === 0) tally.addFinding(asset, defaultIdentity({ source: 'CycloneDX', cve, vendorId: vulnerability.id, title: vulnerability.id }), severity);

    for (const affect of affects) {
      const component = components.get(affect.ref) ?? componentOfPurl(affect.ref);
      const product = component.group ? `${component.group}:${component.name}` : component.name;
      tally.addFinding(asset, defaultIdentity({ source: 'CycloneDX', cve, cpe: component.cpe, product, version: component.version, vendorId: weakness, title: weakness }), severity);
    }
  }
  return tally.result();
}

/** Severity labels of OSV `database_specific.severity` on the 1–5 scale. */
const OSV_LABELS: Record<string, number> = { low: 2, moderate: 3, medium: 3, high: 4, critical: 5 };

export interface OsvVulnerability {
  id: string;
  aliases?: string[];
  severity?: { type: string; score: string }[];
  database_specific?: { severity?: string };
}

export interface OsvPackage {
  package: { name?: string; version?: string };
  vulnerabilities?: OsvVulnerability[];
  groups?: { ids: string[]; aliases?: string[]; max_severity?: string }[];
}

export interface OsvReport {
  results?: { source: { path: string; type?: string }; packages?: OsvPackage[] }[];
}

/** Returns the asset name of an OSV-Scanner source: the directory of a lockfile or SBOM, else its path. */
export function osvAssetName(source: { path: string; type?: string }): string {
  if (!['lockfile', 'sbom'].includes(source.type ?? 'lockfile')) return source.path;
  const slash = source.path.lastIndexOf('/');
  return slash > 0 ? source.path.slice(0, slash) : '/';
}

/** Maps a CVSS score to the 1–5 scale by the CVSS qualitative bands (none, low, medium, high, critical). */
function cvssBand(score: number): number {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}

/**
 * OSV-Scanner JSON: one asset per project directory. Each group of aliases on a package is one
 * finding, keyed by its CVE (the first record's own, else any in the group) or first id, the
 * package name and version, and the lockfile path. A git commit entry has no package, so it is
 * keyed by the id alone. The severity is `max_severity` (a CVSS score), else the band of the
 * highest CVSS score (computed by `scoreOf`), else the advisory label, else 5 for a malicious
 * package (MAL-), else 1.
 */
export function expectOsvScanner(report: OsvReport, scoreOf: (vector: string) => number): ReportExpectation {
  const tally = new FindingTally();
  const isCve = (id: string) => /^CVE-\d{4}-\d{4,}$/i.test(id);

  for (const result of report.results ?? []) {
    const asset = osvAssetName(result.source);
    tally.addAsset(asset);
    for (const entry of result.packages ?? []) {
      const byId = new Map((entry.vulnerabilities ?? []).map((vulnerability) => [vulnerability.id, vulnerability]));
      const groups = entry.groups?.length ? entry.groups : (entry.vulnerabilities ?? []).map((vulnerability) => ({ ids: [vulnerability.id], aliases: [] as string[], max_severity: undefined }));

      for (const group of groups) {
        const members = group.ids.map((id) => byId.get(id)).filter((member): member is OsvVulnerability => member !== undefined);
        const primary = members[0];
        const cve =
          [primary?.id ?? '', ...(primary?.aliases ?? [])].find(isCve) ??
          [...members.flatMap((member) => [member.id, ...(member.aliases ?? [])]), ...(group.aliases ?? [])].find(isCve);
        const weakness = cve?.toUpperCase() ?? group.ids[0] ?? '';
        const { name, version } = entry.package;
        const identity = name ? `package|${weakness}|${name}|${version ?? ''}|${result.source.path}` : `vendor|${group.ids[0]}`;

        const scores = members.flatMap((member) => (member.severity ?? []).filter((rating) => rating.type.startsWith('CVSS_')).map((rating) => scoreOf(rating.score)));
        const label = members.map((member) => member.database_specific?.severity?.toLowerCase()).find((text) => text);
        let severity = 1;
        if (group.max_severity) severity = cvssBand(Number(group.max_severity));
        else if (scores.length > 0) severity = cvssBand(Math.max(...scores));
        else if (label) severity = OSV_LABELS[label] ?? 1;
        else if (members.some((member) => member.id.startsWith('MAL-'))) severity = 5;
        tally.addFinding(asset, identity, severity);
      }
    }
  }
  return tally.result();
}

/** Risk names and Nessus's 0–4 severities on the product's 1–5 scale. */
const NESSUS_RISKS: Record<string, number> = { none: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5, '0': 1, '1': 2, '2': 3, '3': 4, '4': 5 };

/** Returns the first non-blank value among the columns, treating Tenable's `null` as blank. */
function firstValue(row: Record<string, string>, columns: string[]): string | undefined {
  return columns.map((column) => row[column]?.trim()).find((value) => value && value.toLowerCase() !== 'null');
}

/**
 * Nessus or Tenable CSV export, classic (`Plugin ID`, `Host`, …) or dotted (`definition.id`,
 * `asset.name`, …) columns: one asset per host, one finding per plugin, port and protocol on it.
 * Rows in the fixed state are history, and blank rows are skipped. The severity is the Risk
 * column (or `definition.severity`) of the first row.
 */
export function expectNessusCsv(rows: Record<string, string>[]): ReportExpectation {
  const tally = new FindingTally();
  for (const row of rows) {
    if (Object.values(row).every((value) => value.trim() === '')) continue;
    if (firstValue(row, ['Vulnerability State', 'state'])?.toLowerCase() === 'fixed') continue;
    const host = firstValue(row, ['Host', 'asset.name', 'FQDN', 'asset.display_fqdn', 'IP Address', 'asset.display_ipv4_address']) ?? '';
    const plugin = firstValue(row, ['Plugin ID', 'definition.id']);
    const endpoint = `${firstValue(row, ['Port', 'port']) ?? ''}/${firstValue(row, ['Protocol', 'protocol'])?.toLowerCase() ?? ''}`;
    const risk = firstValue(row, ['Risk', 'definition.severity', 'severity', 'Risk Factor', 'Severity'])?.toLowerCase();
    tally.addFinding(host, `${plugin}|${endpoint}`, risk ? (NESSUS_RISKS[risk] ?? 0) : 1);
  }
  return tally.result();
}

/**
 * Qualys CSV export (report layout or VMDR, after any metadata lines): one asset per host named
 * by DNS (or VMDR's Asset Name), else NetBIOS, else the IPv4 or IPv6 address. Each QID, port and
 * protocol on a host is one finding, except Fixed detections. Information gathered (Ig,
 * Information) is severity 1, and the others keep Qualys's 1–5 Severity.
 */
export function expectQualysCsv(rows: Record<string, string>[]): ReportExpectation {
  const tally = new FindingTally();
  for (const row of rows) {
    if (Object.values(row).every((value) => value.trim() === '')) continue;
    if (firstValue(row, ['Vuln Status', 'Status'])?.toLowerCase() === 'fixed') continue;
    const host = firstValue(row, ['DNS', 'Asset Name', 'NetBIOS', 'IP', 'Asset IPV4', 'Asset IPV6']) ?? '';
    const endpoint = `${firstValue(row, ['Port']) ?? ''}/${firstValue(row, ['Protocol'])?.toLowerCase() ?? ''}`;
    const type = firstValue(row, ['Type', 'Type Detected'])?.toLowerCase() ?? '';
    const informational = ['ig', 'info', 'information', 'information gathered'].includes(type);
    tally.addFinding(host, `${row.QID}|${endpoint}`, informational ? 1 : Number(row.Severity));
  }
  return tally.result();
}

/** Greenbone severity classes on the 1–5 scale. */
const GREENBONE_SEVERITIES: Record<string, number> = { log: 1, none: 1, low: 2, medium: 3, high: 4, critical: 5 };

/**
 * Greenbone CSV results: one asset per host, named by Hostname, else IP. Each NVT OID, port
 * and protocol on a host is one finding (the port `general` is no port). The severity is the
 * class (Log to Critical), else the CVSS band of the CVSS column.
 */
export function expectOpenVasCsv(rows: Record<string, string>[]): ReportExpectation {
  const tally = new FindingTally();
  for (const row of rows) {
    const host = row.Hostname?.trim() || row.IP?.trim() || '';
    const port = row.Port?.trim().toLowerCase() === 'general' ? '' : (row.Port?.trim() ?? '');
    const protocol = row['Port Protocol']?.trim().toLowerCase() ?? '';
    const endpoint = port || protocol ? `|${port}/${protocol}` : '';
    const label = row.Severity?.trim().toLowerCase();
    const score = Number(row.CVSS);
    const severity = label ? (GREENBONE_SEVERITIES[label] ?? 0) : cvssBand(score);
    tally.addFinding(host, `${row['NVT OID']}${endpoint}`, severity);
  }
  return tally.result();
}
