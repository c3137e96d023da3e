// Independent reading of SARIF 2.1.0 logs with JSON.parse. Each run is one asset, named by its
// repository URI, else its SRCROOT base URI, else the report's file name without extension.
// Results of kind pass or notApplicable, and results absent since the baseline, are no findings.
// A result whose rule id names a CVE is a package vulnerability, keyed by CVE, package and file.
// Every other result is a misconfiguration keyed by rule id and file:line.

import { bandOf, IdentityTally } from './identity-tally';
import type { ReportExpectation } from './report-expectations';

export interface SarifRuleJson {
  id?: string;
  name?: string;
  defaultConfiguration?: { level?: string };
  properties?: { tags?: string[]; 'security-severity'?: string | number; severity?: string };
}

export interface SarifResultJson {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number; toolComponent?: { index?: number } };
  kind?: string;
  level?: string;
  baselineState?: string;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string; index?: number }; region?: { startLine?: number } } }[];
  properties?: Record<string, unknown>;
}

export interface SarifRunJson {
  tool: { driver: { name: string; rules?: SarifRuleJson[] }; extensions?: { rules?: SarifRuleJson[] }[] };
  results?: SarifResultJson[];
  artifacts?: { location?: { uri?: string }; properties?: Record<string, unknown> }[];
  versionControlProvenance?: { repositoryUri?: string }[];
  originalUriBaseIds?: Record<string, { uri?: string }>;
}

export interface SarifLogJson {
  version: string;
  runs: SarifRunJson[];
}

const LEVELS: Record<string, number> = { error: 4, warning: 3, note: 2, none: 1 };
const NAMES: Record<string, number> = { info: 1, informational: 1, low: 2, medium: 3, moderate: 3, high: 4, critical: 5 };

export function sarifAssetName(run: SarifRunJson, fileName: string): string {
  const repository = run.versionControlProvenance?.find((entry) => entry.repositoryUri)?.repositoryUri;
  if (repository) return repository.replace(/\/+$/, '');
  const root = run.originalUriBaseIds?.SRCROOT?.uri ?? run.originalUriBaseIds?.['%SRCROOT%']?.uri;
  if (root) return filePath(root).replace(/\/+$/, '');
  return fileName.replace(/\.sarif$|\.json$/, '');
}

/** Returns false for passed and not-applicable checks and for results absent since the baseline. */
export function isSarifFinding(result: SarifResultJson): boolean {
  return result.kind !== 'pass' && result.kind !== 'notApplicable' && result.baselineState !== 'absent';
}

export function sarifRuleOf(run: SarifRunJson, result: SarifResultJson): SarifRuleJson | undefined {
  const index = result.rule?.index ?? result.ruleIndex;
  const extension = result.rule?.toolComponent?.index;
  const rules = extension === undefined ? run.tool.driver.rules : run.tool.extensions?.[extension]?.rules;
  if (index !== undefined && rules?.[index]) return rules[index];
  const id = result.ruleId ?? result.rule?.id;
  return run.tool.driver.rules?.find((rule) => rule.id === id) ?? run.tool.extensions?.flatMap((entry) => entry.rules ?? []).find((rule) => rule.id === id);
}

export function sarifCveOf(run: SarifRunJson, result: SarifResultJson): string | undefined {
  const rule = sarifRuleOf(run, result);
  const texts = [result.ruleId, rule?.id, rule?.name, ...(rule?.properties?.tags ?? [])];
  for (const text of texts) {
    const match = /CVE-\d{4}-\d{4,}/i.exec(text ?? '');
    if (match) return match[0].toUpperCase();
  }
  return undefined;
}

export function sarifSeverityOf(run: SarifRunJson, result: SarifResultJson): number {
  const rule = sarifRuleOf(run, result);
  const properties = result.properties ?? {};
  const security = properties['security-severity'] ?? rule?.properties?.['security-severity'];
  if (security !== undefined) return bandOf(Number(security));
  const cvss = properties.cvssv3_baseScore ?? properties.cvssv2_score;
  if (typeof cvss === 'number') return bandOf(cvss);
  const name = (typeof properties.severity === 'string' ? properties.severity : rule?.properties?.severity)?.toLowerCase();
  if (name && NAMES[name]) return NAMES[name];
  return LEVELS[result.level ?? rule?.defaultConfiguration?.level ?? 'warning'] ?? 0;
}

/** Returns the file of a result, with `file:` URIs read as paths. */
export function sarifFileOf(run: SarifRunJson, result: SarifResultJson): string | undefined {
  const location = result.locations?.[0]?.physicalLocation?.artifactLocation;
  const uri = location?.uri ?? (location?.index === undefined ? undefined : run.artifacts?.[location.index]?.location?.uri);
  return uri === undefined ? undefined : filePath(uri);
}

function filePath(uri: string): string {
  const path = uri.startsWith('file:') ? uri.replace(/^file:\/*/, '/') : uri;
  return decodeURIComponent(path);
}

/** The package of a vulnerability: the artifact's purl name and version, else the file's base name. */
export function sarifPackageOf(run: SarifRunJson, result: SarifResultJson): { product: string; version: string; path: string } {
  const file = sarifFileOf(run, result) ?? '';
  const index = result.locations?.[0]?.physicalLocation?.artifactLocation?.index;
  const properties = index === undefined ? {} : (run.artifacts?.[index]?.properties ?? {});
  const purl = Object.values(properties).find((value): value is string => typeof value === 'string' && value.startsWith('pkg:'));
  const match = purl ? /^pkg:[^/]+\/(?:.+\/)?([^/@]+)(?:@(.+))?$/.exec(purl) : null;
  if (match) return { product: match[1] ?? '', version: match[2] ?? '', path: file };
  return { product: file.split('/').pop() ?? file, version: '', path: file };
}

export function expectSarif(log: SarifLogJson, fileName: string): ReportExpectation {
  const tally = new IdentityTally();
  for (const run of log.runs) {
    const asset = sarifAssetName(run, fileName);
    tally.addAsset(asset);
    for (const result of (run.results ?? []).filter(isSarifFinding)) {
      const severity = sarifSeverityOf(run, result);
      const cve = sarifCveOf(run, result);
      if (cve) {
        const pkg = sarifPackageOf(run, result);
        tally.addFinding(asset, `package|${cve}|${pkg.product}|${pkg.version}|${pkg.path}`, severity);
      } else {
        const line = result.locations?.[0]?.physicalLocation?.region?.startLine;
        const file = sarifFileOf(run, result) ?? '';
        tally.addFinding(asset, `misconfig|${result.ruleId ?? result.rule?.id}|${line === undefined ? file : `${file}:${line}`}`, severity);
      }
    }
  }
  return tally.result();
}
