import { count, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { detections } from '../../db/schema';
import { parseOrThrow } from '../http/app-error';
import { loadMergeRules, mergeRulesSchema, saveMergeRules, type MergeRules } from './merge-rules';
import { previewIdentification, type IdentificationPreview } from './preview';
import { latestReidentification, startReidentification } from './reidentify-job';
import { getIpWindowDays, loadAliasTable, loadIdentificationRules, saveIdentificationRules, setIpWindowDays, type StoredRules } from './rule-store';
import { rulesSchema } from './rules';

/** The state of the latest re-identification, for the settings page to poll. */
export interface ReidentificationStatus {
  jobId: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  detectionsDone: number;
  detectionsTotal: number;
  result: Record<string, unknown> | null;
  error: string | null;
  finishedAt: string | null;
}

/** Everything the identification settings page shows. */
export interface IdentificationSettings {
  rules: StoredRules;
  mergeRules: MergeRules;
  ipWindowDays: number;
  /** Sources that have detections, for the trust ranking. */
  sources: string[];
  job: ReidentificationStatus | undefined;
}

export const identificationSettingsSchema = z.object({
  rules: rulesSchema,
  mergeRules: mergeRulesSchema,
  ipWindowDays: z.number().int().min(0, 'the IP address window is 0 days or more').max(3650, 'the IP address window is at most 3650 days'),
});

export async function getIdentificationSettings(db: Db): Promise<IdentificationSettings> {
  const [rules, mergeRules, ipWindowDays, sources, job] = await Promise.all([
    loadIdentificationRules(db),
    loadMergeRules(db),
    getIpWindowDays(db),
    queryRows<{ source: string }>(db, sql`select distinct source from detections order by source`),
    reidentificationStatus(db),
  ]);
  return { rules, mergeRules, ipWindowDays, sources: sources.map((row) => row.source), job };
}

/** Counts, on the stored detections, what the edited rules would merge and split. Writes nothing. */
export async function previewRules(db: Db, input: unknown): Promise<IdentificationPreview> {
  const rules = parseOrThrow(rulesSchema, input);
  return previewIdentification(db, rules, await loadAliasTable(db));
}

/**
 * Saves the rules, merge rules and IP address window, then queues a re-identification of the
 * stored findings when the rules or merge rules changed. Returns the queued job's id.
 */
export async function saveIdentificationSettings(db: Db, input: unknown, userId?: number): Promise<{ jobId: number | undefined }> {
  const parsed = parseOrThrow(identificationSettingsSchema, input);
  const [rulesBefore, mergeBefore] = await Promise.all([loadIdentificationRules(db), loadMergeRules(db)]);
  const rulesAfter = await saveIdentificationRules(db, parsed.rules);
  const mergeAfter = await saveMergeRules(db, parsed.mergeRules);
  await setIpWindowDays(db, parsed.ipWindowDays);

  const changed = JSON.stringify(strip(rulesBefore)) !== JSON.stringify(strip(rulesAfter)) || JSON.stringify(mergeBefore) !== JSON.stringify(mergeAfter);
  if (!changed) return { jobId: undefined };
  return { jobId: await startReidentification(db, userId) };
}

export async function reidentificationStatus(db: Db): Promise<ReidentificationStatus | undefined> {
  const job = await latestReidentification(db);
  if (!job) return undefined;
  const [total] = await db.select({ value: count() }).from(detections);
  return {
    jobId: job.id,
    status: job.status,
    detectionsDone: job.records,
    detectionsTotal: Math.max(total?.value ?? 0, job.records),
    result: job.result ?? null,
    error: job.error,
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
  };
}

function strip(rules: StoredRules) {
  return {
    vulnerability: rules.vulnerability.map(({ attributes, enabled }) => ({ attributes, enabled })),
    misconfiguration: rules.misconfiguration.map(({ attributes, enabled }) => ({ attributes, enabled })),
  };
}
