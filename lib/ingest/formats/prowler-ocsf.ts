// Parser for Prowler's OCSF JSON output (`prowler <provider> -M json-ocsf`): an array of OCSF
// Detection Finding objects (class_uid 2004), one per check result and resource. Each object is
// read on its own and mapped as prowler-common.ts describes.

import { z } from 'zod';
import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { ReportMetadata, ReportParser, ReportRecord, Severity } from '../model';
import { ReportError } from '../report-error';
import { unmappedFields, validateJson } from './json-fields';
import { EmittedAssets, prowlerAsset, prowlerFinding, prowlerSeverity, prowlerStatus, urlsIn, type ProwlerResult } from './prowler-common';

/** OCSF severity_id values: 0 unknown, 1 informational … 5 critical, 6 fatal, 99 other. */
const SEVERITY_IDS: Record<number, Severity> = { 0: 1, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 5, 99: 1 };

const resourceSchema = z.looseObject({
  uid: z.string().nullish(),
  name: z.string().nullish(),
  type: z.string().nullish(),
  region: z.string().nullish(),
  namespace: z.string().nullish(),
  cloud_partition: z.string().nullish(),
});

const findingSchema = z.looseObject({
  metadata: z.looseObject({ event_code: z.string().min(1) }),
  finding_info: z.looseObject({ uid: z.string().nullish(), title: z.string().nullish(), desc: z.string().nullish() }),
  status_code: z.string().min(1),
  status: z.string().nullish(),
  status_detail: z.string().nullish(),
  severity: z.string().nullish(),
  severity_id: z.number().nullish(),
  resources: z.array(resourceSchema).nullish(),
  cloud: z
    .looseObject({
      account: z.looseObject({ uid: z.string().nullish(), name: z.string().nullish() }).nullish(),
      provider: z.string().nullish(),
      region: z.string().nullish(),
    })
    .nullish(),
  remediation: z.looseObject({ desc: z.string().nullish(), references: z.array(z.string()).nullish() }).nullish(),
  unmapped: z
    .looseObject({
      related_url: z.string().nullish(),
      additional_urls: z.array(z.string()).nullish(),
      compliance: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  risk_details: z.string().nullish(),
  time: z.number().nullish(),
});
type OcsfFinding = z.infer<typeof findingSchema>;

const MAPPED_FIELDS: ReadonlySet<string> = new Set(['finding_info', 'severity', 'severity_id', 'status_code', 'resources', 'cloud', 'remediation', 'risk_details', 'status_detail']);

class ProwlerOcsfReader {
  private readonly assets = new EmittedAssets();
  private items = 0;
  private scannedAtSet = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'array') throw new ReportError('malformed', `invalid Prowler OCSF report: expected a JSON array of findings at the top level, found an ${type}`);
      return 'enter';
    }
    if (path.length === 1) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be an OCSF finding object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  handle(value: unknown, path: JsonPath): ReportRecord[] {
    this.items++;
    const item = validateJson(findingSchema, value, path, 'Prowler OCSF');
    const field = formatJsonPath(path);
    const status = prowlerStatus(item.status_code, { field: `${field}.status_code` });
    const time = item.time === undefined || item.time === null ? undefined : new Date(item.time * 1000);
    if (time && !this.scannedAtSet) {
      this.scannedAtSet = true;
      this.onMetadata({ scannedAt: time });
    }

    const resources = item.resources && item.resources.length > 0 ? item.resources : [undefined];
    const records: ReportRecord[] = [];
    resources.forEach((resource, index) => {
      const result = this.result(item, resource, index, path, time);
      const asset = prowlerAsset(result);
      for (const emitted of this.assets.emit(asset)) records.push({ kind: 'asset', asset: emitted });
      if (status === 'PASS') return;
      const severity = this.severityOf(item, field);
      records.push({ kind: 'finding', finding: prowlerFinding(result, status, asset, severity) });
    });
    return records;
  }

  finish(): void {
    if (this.items === 0) throw new ReportError('empty', 'Prowler OCSF report contains no findings');
  }

  private severityOf(item: OcsfFinding, field: string): Severity {
    const named = prowlerSeverity(item.severity ?? undefined, { field: `${field}.severity` });
    if (named !== undefined) return named;
    return item.severity_id === undefined || item.severity_id === null ? 1 : (SEVERITY_IDS[item.severity_id] ?? 1);
  }

  private result(item: OcsfFinding, resource: z.infer<typeof resourceSchema> | undefined, index: number, path: JsonPath, time: Date | undefined): ProwlerResult {
    const raw = unmappedFields(item, MAPPED_FIELDS);
    const findingInfo = unmappedFields(item.finding_info, new Set(['title', 'desc']));
    if (Object.keys(findingInfo).length > 0) raw.finding_info = findingInfo;
    if (item.severity_id !== undefined) raw.severity_id = item.severity_id;
    if (item.status) raw.ocsfStatus = item.status;
    if (resource) raw.resource = resource;
    if (item.cloud) raw.cloud = item.cloud;

    const references = item.remediation?.references ?? [];
    const result: ProwlerResult = {
      checkId: item.metadata.event_code,
      status: item.status_code,
      // Prowler writes a muted result with the OCSF status `Suppressed`.
      muted: item.status?.trim().toLowerCase() === 'suppressed',
      references: [...urlsIn(references), ...urlsIn([item.unmapped?.related_url]), ...urlsIn(item.unmapped?.additional_urls ?? [])],
      remediationCode: references.filter((reference) => urlsIn([reference]).length === 0 && reference.trim() !== ''),
      frameworks: Object.keys(item.unmapped?.compliance ?? {}),
      raw,
      assetRaw: {},
      position: { field: formatJsonPath(resource ? [...path, 'resources', index] : path) },
    };
    setText(result, 'title', item.finding_info.title);
    setText(result, 'description', item.finding_info.desc);
    setText(result, 'statusDetail', item.status_detail);
    setText(result, 'risk', item.risk_details);
    setText(result, 'remediation', item.remediation?.desc);
    setText(result, 'findingUid', item.finding_info.uid);
    setText(result, 'provider', item.cloud?.provider ?? (resource?.namespace !== undefined && resource?.namespace !== null ? 'kubernetes' : undefined));
    setText(result, 'accountUid', item.cloud?.account?.uid);
    setText(result, 'accountName', item.cloud?.account?.name);
    setText(result, 'resourceUid', resource?.uid);
    setText(result, 'resourceName', resource?.name);
    setText(result, 'resourceType', resource?.type);
    setText(result, 'region', resource?.region ?? item.cloud?.region);
    if (resource?.namespace !== undefined && resource.namespace !== null) result.namespace = detachString(resource.namespace);
    if (resource?.cloud_partition) result.assetRaw.partition = resource.cloud_partition;
    if (time) result.time = time;
    return result;
  }
}

type TextField = 'title' | 'description' | 'statusDetail' | 'risk' | 'remediation' | 'findingUid' | 'provider' | 'accountUid' | 'accountName' | 'resourceUid' | 'resourceName' | 'resourceType' | 'region';

function setText(result: ProwlerResult, key: TextField, value: string | null | undefined): void {
  const text = value?.trim();
  if (text) result[key] = detachString(text);
}

export const prowlerOcsfParser: ReportParser = {
  format: 'prowler-ocsf',
  source: 'Prowler',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'prowler-ocsf', source: 'Prowler' });
    const reader = new ProwlerOcsfReader(onMetadata);
    for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
      if (event.kind !== 'value') continue;
      const records = reader.handle(event.value, event.path);
      if (records.length > 0) yield* records;
    }
    reader.finish();
  },
};
