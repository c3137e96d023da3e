import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { isLockNotAvailableError, isRetryableTransactionError } from '../../db/transaction-errors';
import { logger } from '../log';
import { textArray, toJson } from '../ingest/store/sql-params';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import type { AliasTable } from './aliases';
import { groupByNewKey, keyedDetections, nextAssetIds, type TargetGroup } from './detection-scan';
import { applyMergeRules, type MergeRules } from './merge-rules';
import { rescoreFindings } from './rescore';
import type { IdentificationRules } from './rules';

const log = logger.child({ module: 'reidentify' });

/** Attempts of one step before the re-identification fails; with the backoff cap, about half an hour. */
const MAX_STEP_ATTEMPTS = 1000;
/** First wait after a step found an asset locked, doubled on each attempt up to the cap. */
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2000;

export interface ReidentifyCounts {
  assets: number;
  /** Findings of several sources whose shown fields changed under the merge rules. */
  findingsRemerged: number;
  detections: number;
  findingsMerged: number;
  findingsSplit: number;
  findingsCreated: number;
  findingsRekeyed: number;
}

interface FindingState {
  id: number;
  status: 'new' | 'active' | 'reopened' | 'fixed';
  first_found: string;
  last_found: string;
  fixed_at: string | null;
  sources: string[];
}

/**
 * Re-identifies every stored detection under `rules`, a few hundred assets per transaction, and
 * moves detections to the finding their new key names:
 *
 * - Findings whose detections now share a key are merged. The survivor is the finding with the
 *   most of the group's detections (then the oldest). It takes the earliest first-found, the
 *   latest last-found and every source. It stays open if any merged finding was open, with the
 *   status of the most recently found open one; it is fixed only if all were fixed, as of the
 *   latest fix. Their status history moves to it, and the merged findings are deleted.
 * - A finding whose detections now have several keys is split: it keeps the group with most of
 *   its detections, and each other group becomes a finding copied from it, with its own dates.
 *   A copy of a fixed finding is fixed, otherwise active.
 * - Two detections of one source with the same source finding id that land on one finding
 *   become one, with the widest seen dates.
 *
 * Each step locks its assets FOR UPDATE NOWAIT, in id order. Imports take KEY SHARE on the
 * assets they write findings to, so a step does not run while an import writes on its assets.
 * Instead of waiting for the import's lock while holding its own, the step rolls back and runs
 * again after a short backoff. The
 * caller first waits for imports that read the rules before they changed
 * (`waitForImportsOnOldRules` in lib/identification/import-identification.ts).
 */
export async function reidentifyFindings(
  db: Db,
  settings: { rules: IdentificationRules; aliases: AliasTable; mergeRules: MergeRules },
  onProgress: (done: { assets: number; detections: number }) => void = () => {},
): Promise<ReidentifyCounts> {
  const counts: ReidentifyCounts = { assets: 0, findingsRemerged: 0, detections: 0, findingsMerged: 0, findingsSplit: 0, findingsCreated: 0, findingsRekeyed: 0 };
  let after = 0;
  for (;;) {
    const done = await runStep(after, () =>
      db.transaction(async (tx) => {
        const assetIds = await nextAssetIds(tx, after);
        const last = assetIds.at(-1);
        if (last === undefined) return { done: true, last: after, assets: 0, detections: 0 };
        await lockStepAssets(tx, assetIds);
        const detections = await keyedDetections(tx, assetIds, settings.rules, settings.aliases);
        const stepCounts = { ...counts };
        await applyGroups(tx, groupByNewKey(detections), stepCounts, settings.mergeRules);
        await reapplyMergeRules(tx, assetIds, settings.mergeRules, stepCounts);
        return { done: false, last, assets: assetIds.length, detections: detections.length, counts: stepCounts };
      }),
    );
    if (done.done) return counts;
    // Counts change only when the step commits, so a step that ran again is counted once.
    if (done.counts) Object.assign(counts, done.counts);
    after = done.last;
    counts.assets += done.assets;
    counts.detections += done.detections;
    onProgress({ assets: counts.assets, detections: counts.detections });
  }
}

/** Locks a step's assets so that no import writes findings on them until the step commits. */
async function lockStepAssets(tx: Tx, assetIds: readonly number[]): Promise<void> {
  await tx.execute(sql`
    select id from assets where id in (select value::int from json_array_elements_text(${toJson(assetIds)}::json))
    order by id for update nowait
  `);
}

/**
 * Runs a step's transaction, and runs it again after a backoff when an asset was locked by an
 * import (55P03) or Postgres aborted it for a deadlock or serialization failure.
 */
async function runStep<T>(after: number, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const retryable = isLockNotAvailableError(error) || isRetryableTransactionError(error);
      if (!retryable || attempt >= MAX_STEP_ATTEMPTS) throw error;
      const delayMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempt - 1, 10));
      // A long import keeps the assets locked for minutes, so only some retries are logged.
      if (attempt === 1 || attempt % 30 === 0) {
        log.info({ afterAssetId: after, attempt, delayMs, err: error }, 're-identification step found its assets locked by an import; retrying');
      }
      await sleep(delayMs);
    }
  }
}

async function applyGroups(tx: Tx, groups: TargetGroup[], counts: ReidentifyCounts, mergeRules: MergeRules): Promise<void> {
  // Largest groups choose their surviving finding first, so a split finding stays with most of its detections.
  const ordered = [...groups].sort((a, b) => b.detections.length - a.detections.length);
  const claimed = new Set<number>();
  const targets: { group: TargetGroup; findingId: number | undefined; copyOf: number }[] = [];
  const groupsOfFinding = new Map<number, number>();
  for (const group of ordered) {
    for (const id of group.findingIds) groupsOfFinding.set(id, (groupsOfFinding.get(id) ?? 0) + 1);
  }
  for (const group of ordered) {
    const survivor = group.findingIds.find((id) => !claimed.has(id));
    if (survivor !== undefined) claimed.add(survivor);
    targets.push({ group, findingId: survivor, copyOf: group.findingIds[0] as number });
  }

  const changedTargets = targets.filter(({ group, findingId }) => findingId === undefined || group.findingIds.length > 1 || group.detections.some((d) => d.findingId !== findingId || d.currentKey !== group.key));
  if (changedTargets.length === 0) return;

  const involved = [...new Set(changedTargets.flatMap(({ group }) => group.findingIds))];
  const states = new Map((await findingStates(tx, involved)).map((state) => [state.id, state]));

  // Free every involved key first, so swapping keys between findings never trips the unique index.
  await tx.execute(sql`
    update findings set identity_key = 'reidentifying:' || id::text
    where id in (select value::int from json_array_elements_text(${toJson(involved)}::json))
  `);

  const touched = new Set<number>();
  const assets = new Set<number>();
  const placed: { target: (typeof changedTargets)[number]; findingId: number }[] = [];
  for (const target of changedTargets) {
    const { group } = target;
    let findingId = target.findingId;
    if (findingId === undefined) {
      findingId = await copyFinding(tx, target.copyOf, group.key);
      counts.findingsCreated++;
    } else {
      await tx.execute(sql`update findings set identity_key = ${group.key}, updated_at = now() where id = ${findingId}`);
      if (group.findingIds.length === 1 && groupsOfFinding.get(findingId) === 1) counts.findingsRekeyed++;
    }
    touched.add(findingId);
    assets.add(group.assetId);
    await moveDetections(tx, group, findingId);
    placed.push({ target, findingId });
  }

  // Dates and sources come from the detections, so they are set once every detection has moved.
  for (const { target, findingId } of placed) {
    const { group } = target;
    const merged = group.findingIds.filter((id) => id !== findingId && !claimed.has(id));
    const members = [findingId, ...group.findingIds.filter((id) => id !== findingId)];
    await combineFinding(tx, findingId, members.map((id) => states.get(id)).filter((state) => state !== undefined), target.findingId === undefined ? states.get(target.copyOf) : undefined);
    if (merged.length > 0) {
      await tx.execute(sql`
        update finding_status_history set finding_id = ${findingId}
        where finding_id in (select value::int from json_array_elements_text(${toJson(merged)}::json))
      `);
      counts.findingsMerged += merged.length;
    }
  }
  for (const [id, groupCount] of groupsOfFinding) if (groupCount > 1 && involved.includes(id)) counts.findingsSplit++;

  // Findings left without detections were merged into another one.
  await tx.execute(sql`
    delete from findings f
    where f.id in (select value::int from json_array_elements_text(${toJson(involved)}::json))
      and not exists (select 1 from detections d where d.finding_id = f.id)
  `);
  const rescored = await applyMergeRules(tx, [...touched], mergeRules);
  for (const id of await rescoreFindings(tx, [...new Set([...rescored, ...touched])])) assets.add(id);
  await recomputeAssetRiskScores(tx, [...assets]);
}

async function findingStates(tx: Tx, ids: number[]): Promise<FindingState[]> {
  return queryRows<FindingState>(
    tx,
    sql`
      select id, status, first_found::text, last_found::text, fixed_at::text, sources from findings
      where id in (select value::int from json_array_elements_text(${toJson(ids)}::json))
    `,
  );
}

/** Inserts a copy of a finding under a new key, for a group split off it; returns its id. */
async function copyFinding(tx: Tx, sourceId: number, key: string): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`
      insert into findings (type, asset_id, identity_key, cve_id, cve_ids, vendor_id, title, description, solution, severity, status, port, protocol,
        technology_id, fixed_version, cwe_ids, cvss2_base_score, cvss3_base_score, cvss3_vector, "references", sources, first_found, last_found,
        fixed_at, detection_score)
      select type, asset_id, ${key}, cve_id, cve_ids, vendor_id, title, description, solution, severity,
        case when status = 'fixed' then 'fixed'::finding_status else 'active'::finding_status end, port, protocol,
        technology_id, fixed_version, cwe_ids, cvss2_base_score, cvss3_base_score, cvss3_vector, "references", sources, first_found, last_found,
        fixed_at, detection_score
      from findings where id = ${sourceId}
      returning id
    `,
  );
  if (!row) throw new Error(`copying finding ${sourceId} returned nothing`);
  return row.id;
}

/**
 * Moves a group's detections onto its finding. A detection that would repeat one already there
 * (same source and source finding id) is folded into it instead.
 */
async function moveDetections(tx: Tx, group: TargetGroup, findingId: number): Promise<void> {
  const kept = new Map<string, { id: number; firstSeen: Date; lastSeen: Date }>();
  const moves: number[] = [];
  const folded: { into: number; from: number }[] = [];
  // Detections already on the finding are kept first.
  const ordered = [...group.detections].sort((a, b) => Number(b.findingId === findingId) - Number(a.findingId === findingId) || b.lastSeen.getTime() - a.lastSeen.getTime());
  for (const detection of ordered) {
    const identity = `${detection.source}\u0000${detection.sourceFindingId ?? ''}`;
    const existing = kept.get(identity);
    if (existing) {
      folded.push({ into: existing.id, from: detection.detectionId });
      continue;
    }
    kept.set(identity, { id: detection.detectionId, firstSeen: detection.firstSeen, lastSeen: detection.lastSeen });
    if (detection.findingId !== findingId) moves.push(detection.detectionId);
  }
  if (folded.length > 0) {
    await tx.execute(sql`
      update detections d set
        first_seen = least(d.first_seen, o.first_seen), last_seen = greatest(d.last_seen, o.last_seen),
        first_import_id = case when o.first_seen < d.first_seen then o.first_import_id else d.first_import_id end,
        last_import_id = case when o.last_seen > d.last_seen then o.last_import_id else d.last_import_id end
      from json_to_recordset(${toJson(folded)}::json) as x("into" int, "from" int)
      join detections o on o.id = x."from"
      where d.id = x."into"
    `);
    await tx.execute(sql`delete from detections where id in (select value::int from json_array_elements_text(${toJson(folded.map((entry) => entry.from))}::json))`);
  }
  if (moves.length > 0) {
    await tx.execute(sql`
      update detections set finding_id = ${findingId}
      where id in (select value::int from json_array_elements_text(${toJson(moves)}::json))
    `);
  }
}

/** Sets the dates, sources and status of a finding from the findings merged into it and its detections. */
async function combineFinding(tx: Tx, findingId: number, members: FindingState[], splitFrom: FindingState | undefined): Promise<void> {
  const open = members.filter((member) => member.status !== 'fixed').sort((a, b) => Date.parse(b.last_found) - Date.parse(a.last_found));
  let status: FindingState['status'];
  let fixedAt: string | null = null;
  if (splitFrom) {
    status = splitFrom.status === 'fixed' ? 'fixed' : 'active';
    fixedAt = splitFrom.fixed_at;
  } else if (open[0]) {
    status = members.length > 1 && open[0].status === 'new' ? 'active' : open[0].status;
  } else {
    status = 'fixed';
    fixedAt = members.map((member) => member.fixed_at).filter((value): value is string => value !== null).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
  }
  const sources = [...new Set(members.flatMap((member) => member.sources))];
  await tx.execute(sql`
    update findings f set
      first_found = coalesce((select min(d.first_seen) from detections d where d.finding_id = f.id), f.first_found),
      last_found = coalesce((select max(d.last_seen) from detections d where d.finding_id = f.id), f.last_found),
      sources = coalesce((select array_agg(distinct d.source order by d.source) from detections d where d.finding_id = f.id), ${textArray(sources)}),
      status = ${status}::finding_status,
      fixed_at = ${fixedAt}::timestamptz,
      updated_at = now()
    where f.id = ${findingId}
  `);

  // The status history records what re-identification changed, like an import would.
  const previous = splitFrom ? undefined : members.find((member) => member.id === findingId)?.status;
  if (splitFrom || previous !== status) {
    const reason = splitFrom ? `split off finding ${splitFrom.id} by re-identification` : 'merged with other findings by re-identification';
    await tx.execute(sql`
      insert into finding_status_history (finding_id, from_status, to_status, changed_at, reason)
      values (${findingId}, ${previous ?? null}::finding_status, ${status}::finding_status, now(), ${reason})
    `);
  }
}

/**
 * Applies the merge rules to every finding of the step's assets that several sources reported,
 * so a change of the merge rules alone reaches the stored findings too.
 */
async function reapplyMergeRules(tx: Tx, assetIds: readonly number[], mergeRules: MergeRules, counts: ReidentifyCounts): Promise<void> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`
      select id from findings
      where asset_id in (select value::int from json_array_elements_text(${toJson(assetIds)}::json)) and cardinality(sources) > 1
    `,
  );
  const changed = await applyMergeRules(tx, rows.map((row) => row.id), mergeRules);
  counts.findingsRemerged += changed.length;
  const assets = await rescoreFindings(tx, changed);
  await recomputeAssetRiskScores(tx, [...assets]);
}
