// The asset name an import gives a report's only asset (the `assetName` option of importReport).
// The name replaces the asset's identity, not only its label. A host is matched by the name as its
// hostname, or as its address when the name is an IP address. Any other asset is matched by its
// kind and name (asset-matcher.ts). So two reports with different asset names become two assets,
// and two reports with the same asset name become one.

import { hostFromFileStem } from './formats/asset-name-from-file';
import type { AssetRecord, ReportFormat, ReportRecord } from './model';
import { ASSET_NAME_FORMATS, formatLabels } from './parsers';
import { ReportError } from './report-error';

/** Throws unless the format is one whose report describes one asset, which an asset name can name. */
export function requireAssetNameFormat(format: ReportFormat): void {
  if (ASSET_NAME_FORMATS.has(format)) return;
  const accepted = [...ASSET_NAME_FORMATS].map((id) => formatLabels[id]).join('; ');
  throw new ReportError(
    'invalid_option',
    `Reports of format "${formatLabels[format]}" name their own assets, so import this file without an asset name. ` +
      `An asset name is accepted for: ${accepted}`,
  );
}

/**
 * Yields the parser's records with the report's asset renamed to `assetName`. Throws a ReportError
 * at the second asset of a report that contains several, such as a Trivy Kubernetes report, because
 * one name cannot name them all. Findings keep pointing at the asset by its unchanged report key.
 */
export async function* nameReportAsset(records: AsyncIterable<ReportRecord>, assetName: string, format: ReportFormat): AsyncGenerator<ReportRecord> {
  let first: AssetRecord | undefined;
  for await (const record of records) {
    if (record.kind !== 'asset') {
      yield record;
      continue;
    }
    first ??= record.asset;
    if (record.asset.reportKey !== first.reportKey) {
      throw new ReportError(
        'invalid_option',
        `an asset name applies only to a report of one asset, but this ${formatLabels[format]} report contains several ` +
          `(${JSON.stringify(first.name)} and ${JSON.stringify(record.asset.name)}); import it without an asset name, or split it into one report per asset`,
      );
    }
    yield { kind: 'asset', asset: renamedAsset(record.asset, assetName) };
  }
}

/**
 * Returns the asset with `name` as its only identity: the FQDN, hostname, addresses, agent id and
 * cloud instance id that the report or its file name gave are dropped, and the other attributes
 * stay.
 */
export function renamedAsset(asset: AssetRecord, name: string): AssetRecord {
  const raw = asset.raw ?? {};
  const renamed: AssetRecord = asset.kind === 'host' ? hostFromFileStem(asset.reportKey, name, raw) : { reportKey: asset.reportKey, name, kind: asset.kind, raw };
  if (asset.os !== undefined) renamed.os = asset.os;
  if (asset.mac !== undefined) renamed.mac = asset.mac;
  if (asset.internetFacing !== undefined) renamed.internetFacing = asset.internetFacing;
  if (asset.firstSeen !== undefined) renamed.firstSeen = asset.firstSeen;
  if (asset.lastSeen !== undefined) renamed.lastSeen = asset.lastSeen;
  return renamed;
}
