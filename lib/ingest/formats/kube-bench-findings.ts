// Mapping of one kube-bench check result to a misconfiguration finding. kube-bench gives no
// severity, so it is derived from the status and whether the CIS recommendation is scored:
//
// | status            | finding | severity          |
// | ----------------- | ------- | ----------------- |
// | FAIL, scored      | yes     | 4 (high)          |
// | FAIL, not scored  | yes     | 3 (medium)        |
// | WARN              | yes     | 1 (informational) |
// | PASS, INFO        | no      |                   |
//
// WARN means that kube-bench could not decide, mostly because the recommendation is a manual
// check. The finding is flagged for review (`raw.manualCheck`) and does not raise the risk.

import { z } from 'zod';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity } from '../model';
import { ReportError } from '../report-error';
import { unmappedFields, validateJson } from './json-fields';

/** The fields of the control (one benchmark target such as `master`) and its group that a result inherits. */
export interface KubeBenchContext {
  controlId?: string;
  /** Benchmark version, `1.6` in older output and `cis-1.7` or `eks-1.2.0` in newer. */
  version?: string;
  detectedVersion?: string;
  controlText?: string;
  nodeType?: string;
  section?: string;
  sectionDescription?: string;
}

const resultSchema = z.looseObject({
  test_number: z.string().min(1),
  test_desc: z.string().nullish(),
  remediation: z.string().nullish(),
  status: z.string().min(1),
  scored: z.boolean().nullish(),
  expected_result: z.string().nullish(),
  actual_value: z.string().nullish(),
  reason: z.string().nullish(),
});

const MAPPED_FIELDS: ReadonlySet<string> = new Set(['test_number', 'test_desc', 'remediation']);
const STATUSES = ['PASS', 'FAIL', 'WARN', 'INFO'] as const;

/** Returns the finding of one entry of `results[]`, or undefined for a passed or informational check. */
export function kubeBenchFinding(value: unknown, path: JsonPath, assetKey: string, context: KubeBenchContext): FindingRecord | undefined {
  const result = validateJson(resultSchema, value, path, 'kube-bench');
  const field = formatJsonPath(path);
  const status = result.status.trim().toUpperCase();
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new ReportError('invalid_field', `unknown kube-bench status ${JSON.stringify(result.status)} in ${field}.status; expected one of ${STATUSES.join(', ')}`, {
      field: `${field}.status`,
    });
  }
  if (status === 'PASS' || status === 'INFO') return undefined;

  const raw: Record<string, unknown> = {
    ...unmappedFields(result, MAPPED_FIELDS),
    ...contextRaw(context),
  };
  if (status === 'WARN') raw.manualCheck = true;

  const finding: FindingRecord = {
    assetKey,
    type: 'misconfiguration',
    vendorId: result.test_number,
    sourceFindingId: [context.version, context.nodeType, result.test_number].filter((part) => part).join(':'),
    title: result.test_desc?.trim() || `kube-bench check ${result.test_number}`,
    severity: severityOf(status, result.scored ?? false),
    raw,
    position: { field },
  };
  // The node type names the part of the cluster the check audits; it keeps a check number that
  // two targets share apart.
  if (context.nodeType) finding.resource = context.nodeType;
  const description = describe(result);
  if (description) finding.description = description;
  const remediation = result.remediation?.trim();
  if (remediation) finding.solution = remediation;
  return finding;
}

function severityOf(status: string, scored: boolean): Severity {
  if (status === 'WARN') return 1;
  return scored ? 4 : 3;
}

/** Joins kube-bench's explanation of the outcome: why it failed, what it expected and what it found. */
function describe(result: z.infer<typeof resultSchema>): string {
  const lines: string[] = [];
  if (result.reason?.trim()) lines.push(result.reason.trim());
  if (result.expected_result?.trim()) lines.push(`Expected: ${result.expected_result.trim()}`);
  if (result.actual_value?.trim()) lines.push(`Found: ${result.actual_value.trim()}`);
  return lines.join('\n');
}

function contextRaw(context: KubeBenchContext): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const policy = policyName(context.version);
  if (policy) raw.policy = policy;
  if (context.version) raw.benchmarkVersion = context.version;
  if (context.detectedVersion) raw.detectedVersion = context.detectedVersion;
  if (context.controlId) raw.controlId = context.controlId;
  if (context.controlText) raw.controlText = context.controlText;
  if (context.nodeType) raw.nodeType = context.nodeType;
  if (context.section) raw.section = context.section;
  if (context.sectionDescription) raw.sectionDescription = context.sectionDescription;
  return raw;
}

/**
 * Names the benchmark of a kube-bench version: `1.6` and `cis-1.6` are the CIS Kubernetes
 * Benchmark, and the distribution benchmarks (`eks-1.2.0`, `gke-1.2.0`, `aks-1.0`, `rh-1.0`,
 * `k3s-cis-1.7` …) keep kube-bench's own name.
 */
export function policyName(version: string | undefined): string | undefined {
  const text = version?.trim();
  if (!text) return undefined;
  const cis = /^(?:cis-)?(\d+(?:\.\d+)*)$/i.exec(text);
  return cis ? `CIS Kubernetes Benchmark ${cis[1]}` : `kube-bench ${text}`;
}
