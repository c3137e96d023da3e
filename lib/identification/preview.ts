import type { Db } from '../../db/client';
import type { AliasTable } from './aliases';
import { groupByNewKey, keyedDetections, nextAssetIds } from './detection-scan';
import type { IdentificationRules } from './rules';

/** What re-identifying the stored detections under other rules would do. */
export interface IdentificationPreview {
  /** Findings that have detections today. */
  findingsBefore: number;
  /** Findings there would be afterwards. */
  findingsAfter: number;
  detections: number;
  /** Findings that would be merged into another finding (and disappear). */
  findingsMerged: number;
  /** Findings whose detections would be divided among several findings. */
  findingsSplit: number;
  /** Findings the splits would add. */
  findingsAddedBySplits: number;
  /** Findings that keep their detections but get another identity key. */
  findingsRekeyed: number;
}

/**
 * Computes, over every stored detection, how many findings the given rules would merge and
 * split, without writing anything. Reads the estate a few hundred assets at a time.
 */
export async function previewIdentification(db: Db, rules: IdentificationRules, aliases: AliasTable): Promise<IdentificationPreview> {
  const preview: IdentificationPreview = { findingsBefore: 0, findingsAfter: 0, detections: 0, findingsMerged: 0, findingsSplit: 0, findingsAddedBySplits: 0, findingsRekeyed: 0 };
  let after = 0;
  for (;;) {
    const assetIds = await nextAssetIds(db, after);
    const last = assetIds.at(-1);
    if (last === undefined) break;
    after = last;

    const detections = await keyedDetections(db, assetIds, rules, aliases);
    const groups = groupByNewKey(detections);
    const currentKey = new Map<number, string>();
    const groupsOfFinding = new Map<number, number>();
    for (const detection of detections) currentKey.set(detection.findingId, detection.currentKey);
    for (const group of groups) {
      for (const id of group.findingIds) groupsOfFinding.set(id, (groupsOfFinding.get(id) ?? 0) + 1);
    }

    preview.detections += detections.length;
    preview.findingsBefore += currentKey.size;
    preview.findingsAfter += groups.length;
    for (const group of groups) {
      preview.findingsMerged += group.findingIds.length - 1;
      const only = group.findingIds[0];
      if (group.findingIds.length === 1 && only !== undefined && groupsOfFinding.get(only) === 1 && currentKey.get(only) !== group.key) preview.findingsRekeyed++;
    }
    for (const count of groupsOfFinding.values()) {
      if (count > 1) {
        preview.findingsSplit++;
        preview.findingsAddedBySplits += count - 1;
      }
    }
  }
  return preview;
}
