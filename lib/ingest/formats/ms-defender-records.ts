// Mapping of Microsoft Defender for Endpoint API records: a machine (`/api/machines`) to a host
// asset and a software vulnerability of a machine (`/api/vulnerabilities/machinesVulnerabilities`)
// to a finding. The zod schemas check only the fields the mapping reads; the rest is kept in `raw`.

import { z } from 'zod';
import { detachString } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { AssetRecord, FindingRecord, Severity } from '../model';
import { cveIdsOf, setCves, severityFrom, unmappedFields, validateJson } from './json-fields';
import { hostAddresses } from './host-addresses';

const FORMAT_NAME = 'Microsoft Defender';

/** Defender's vulnerability severities on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = { none: 1, informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

const interfaceSchema = z.looseObject({
  ipAddress: z.string().nullish(),
  macAddress: z.string().nullish(),
  operationalStatus: z.string().nullish(),
  type: z.union([z.string(), z.number()]).nullish(),
});
type NetworkInterface = z.infer<typeof interfaceSchema>;

const machineSchema = z.looseObject({
  id: z.string().min(1),
  computerDnsName: z.string().nullish(),
  lastIpAddress: z.string().nullish(),
  osPlatform: z.string().nullish(),
  version: z.string().nullish(),
  firstSeen: z.string().nullish(),
  lastSeen: z.string().nullish(),
  // PowerShell's ConvertTo-Json writes nested objects beyond its depth as "@{key=value; …}" strings.
  ipAddresses: z.array(z.union([interfaceSchema, z.string()])).nullish(),
});

const vulnerabilitySchema = z.looseObject({
  id: z.string().nullish(),
  cveId: z.string().min(1),
  machineId: z.string().min(1),
  fixingKbId: z.union([z.string(), z.number()]).nullish(),
  productName: z.string().nullish(),
  productVendor: z.string().nullish(),
  productVersion: z.string().nullish(),
  severity: z.string().nullish(),
});
type DefenderVulnerability = z.infer<typeof vulnerabilitySchema>;

const MAPPED_MACHINE_FIELDS = new Set(['id', 'computerDnsName', 'lastIpAddress', 'osPlatform', 'version', 'firstSeen', 'lastSeen']);
const MAPPED_VULNERABILITY_FIELDS = new Set(['id', 'cveId', 'machineId', 'fixingKbId', 'productName', 'productVendor', 'productVersion', 'severity']);

/**
 * Maps one machine to a host asset keyed by its Defender machine id, which is also the agent id
 * other Defender imports match on. Loopback and link-local addresses are left out of the
 * matching addresses; every interface stays in `raw.ipAddresses`. A `firstSeen` or `lastSeen`
 * that is not a date (test exports carry placeholders) is kept in raw, listed in
 * `raw.unparsedDates`, rather than refusing the whole export over an asset's timestamp.
 */
export function defenderMachineAsset(value: unknown, path: JsonPath): AssetRecord {
  const machine = validateJson(machineSchema, value, path, FORMAT_NAME);
  const interfaces = (machine.ipAddresses ?? []).map((entry) => (typeof entry === 'string' ? powerShellInterface(entry) : entry));
  const up = interfaces.filter((entry) => !entry.operationalStatus || entry.operationalStatus.toLowerCase() === 'up');

  const raw: Record<string, unknown> = unmappedFields(machine, MAPPED_MACHINE_FIELDS);
  const dnsName = machine.computerDnsName?.trim() || undefined;
  const asset: AssetRecord = {
    reportKey: detachString(machine.id),
    name: detachString(dnsName ?? machine.lastIpAddress?.trim() ?? machine.id),
    kind: 'host',
    agentId: detachString(machine.id),
    raw,
  };
  if (dnsName) {
    if (dnsName.includes('.')) asset.fqdn = dnsName.toLowerCase();
    asset.hostname = (dnsName.split('.')[0] ?? dnsName).toLowerCase();
  }
  Object.assign(asset, hostAddresses([machine.lastIpAddress, ...up.map((entry) => entry.ipAddress)]));
  const macs = [...new Set(up.flatMap((entry) => normalizeMac(entry.macAddress)))];
  if (macs.length > 0) asset.mac = macs;
  const os = [machine.osPlatform, machine.version].filter((part) => part && part !== 'Other').join(' ');
  if (os) asset.os = os;

  const unparsed: string[] = [];
  for (const key of ['firstSeen', 'lastSeen'] as const) {
    const text = machine[key];
    if (!text) continue;
    const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : undefined;
    if (date && !Number.isNaN(date.getTime())) asset[key] = date;
    else {
      raw[key] = text;
      unparsed.push(key);
    }
  }
  if (unparsed.length > 0) raw.unparsedDates = unparsed;
  return asset;
}

/** Returns a host asset for a machine id that no machines entry describes. */
export function defenderMachineStub(machineId: string): AssetRecord {
  const id = detachString(machineId);
  return { reportKey: id, name: id, kind: 'host', agentId: id, raw: { described: false } };
}

/** Checks a vulnerability record and returns it typed. */
export function defenderVulnerability(value: unknown, path: JsonPath): DefenderVulnerability {
  return validateJson(vulnerabilitySchema, value, path, FORMAT_NAME);
}

/**
 * Maps one vulnerability of one machine. The installed product is the technology; the Microsoft
 * update that fixes it (`fixingKbId`) is the fixed version, e.g. `KB5051989`.
 */
export function defenderVulnerabilityFinding(vulnerability: DefenderVulnerability, path: JsonPath): FindingRecord {
  const field = formatJsonPath(path);
  const product = vulnerability.productName?.trim();
  const finding: FindingRecord = {
    assetKey: vulnerability.machineId,
    type: 'vulnerability',
    vendorId: vulnerability.cveId,
    title: product ? `${vulnerability.cveId} in ${[product, vulnerability.productVersion].filter(Boolean).join(' ')}` : vulnerability.cveId,
    severity: severityFrom(SEVERITIES, vulnerability.severity, formatJsonPath([...path, 'severity']), FORMAT_NAME) ?? 1,
    raw: unmappedFields(vulnerability, MAPPED_VULNERABILITY_FIELDS),
    position: { field },
  };
  if (vulnerability.id) finding.sourceFindingId = vulnerability.id;
  setCves(finding, cveIdsOf([vulnerability.cveId]));
  if (product) {
    finding.technology = { product };
    if (vulnerability.productVendor) finding.technology.vendor = vulnerability.productVendor;
    if (vulnerability.productVersion) finding.technology.version = vulnerability.productVersion;
  }
  const kb = String(vulnerability.fixingKbId ?? '').trim().replace(/^KB/i, '');
  if (kb) {
    finding.fixedVersion = `KB${kb}`;
    finding.solution = `Install Microsoft update KB${kb}.`;
    finding.references = [`https://support.microsoft.com/help/${encodeURIComponent(kb)}`];
  }
  return finding;
}

/** Parses PowerShell's "@{ipAddress=1.2.3.4; macAddress=00FF…; operationalStatus=Up; type=53}". */
function powerShellInterface(text: string): NetworkInterface {
  const body = /^@\{(.*)\}$/s.exec(text.trim())?.[1];
  if (body === undefined) return { ipAddress: text.trim() };
  const fields: Record<string, string> = {};
  for (const pair of body.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) fields[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return {
    ipAddress: fields.ipAddress || null,
    macAddress: fields.macAddress || null,
    operationalStatus: fields.operationalStatus || null,
    type: fields.type || null,
  };
}

/** Returns `00:b0:d0:63:c2:26` for `00-B0-D0-63-C2-26` or `00B0D063C226`, or nothing for other text. */
function normalizeMac(value: string | null | undefined): string[] {
  const hex = value?.replace(/[-:.\s]/g, '').toLowerCase() ?? '';
  if (!/^[0-9a-f]{12}$/.test(hex) || /^0+$/.test(hex)) return [];
  return [hex.match(/../g)?.join(':') ?? hex];
}
