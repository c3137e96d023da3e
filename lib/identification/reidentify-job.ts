import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { jobs, type Job } from '../../db/schema';
import { defineJobKind } from '../jobs/job-kind';
import { enqueueJob, withLiveProgress } from '../jobs/job-store';
import { wakeJobWorker } from '../jobs/job-worker';
import { loadImportIdentification, markRulesChanged, waitForImportsOnOldRules } from './import-identification';
import { reidentifyFindings } from './reidentify';

export const REIDENTIFY_JOB_KIND = 'reidentify-findings';

/**
 * Background job that re-runs finding identification over every stored detection with the
 * rules, aliases and merge rules as they are when it runs (lib/identification/reidentify.ts).
 * Its progress counts detections done.
 */
export const reidentifyJob = defineJobKind({
  kind: REIDENTIFY_JOB_KIND,
  payload: z.object({ requestedBy: z.number().int().optional() }),
  async run(context) {
    // Imports still open on the old rules would write findings keyed by them after this job
    // passed their assets, so the job waits for them first.
    await waitForImportsOnOldRules(context.db);
    const settings = await loadImportIdentification(context.db);
    const counts = await reidentifyFindings(context.db, settings, (done) => context.progress({ records: done.detections }));
    context.log.info({ ...counts }, 'findings re-identified');
    return { ...counts };
  },
});

/**
 * Marks the rules as changed and queues a re-identification, or reuses one that is still queued,
 * then wakes this process's worker. Returns the job id. Every change of rules, aliases or merge
 * rules goes through here, and calls it after that change committed.
 *
 * A queued job has not read the rules yet: `run` reads them, and waits for imports on older
 * rules, only once a worker claims it. So a burst of edits queues one job, which reads all of
 * them. A reused job keeps the `requestedBy` of the edit that queued it.
 */
export async function startReidentification(db: Db, userId?: number): Promise<number> {
  await markRulesChanged(db);
  const [queued] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, REIDENTIFY_JOB_KIND), eq(jobs.status, 'queued')))
    .orderBy(asc(jobs.id))
    .limit(1);
  // NOTE: two edits at the same moment may both find no queued job and queue one each. That
  // costs one extra run, never a missed change.
  const id = queued?.id ?? (await enqueueJob(db, reidentifyJob, userId === undefined ? {} : { requestedBy: userId }));
  wakeJobWorker();
  return id;
}

/** The latest re-identification job, with live progress, for the settings page to poll. */
export async function latestReidentification(db: Db): Promise<Job | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.kind, REIDENTIFY_JOB_KIND)).orderBy(desc(jobs.id)).limit(1);
  return row ? withLiveProgress(row) : undefined;
}
