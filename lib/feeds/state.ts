import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { feedRuns, feedState, type FeedState } from '../../db/schema';
import type { FeedKind } from './model';

export type FeedStatePatch = Partial<Omit<FeedState, 'feed' | 'updatedAt'>>;

export async function readFeedState(db: Db | Tx, feed: FeedKind): Promise<FeedState | undefined> {
  const [row] = await db.select().from(feedState).where(eq(feedState.feed, feed));
  return row;
}

/** Creates or updates the feed's row with the given fields; others keep their values. */
export async function writeFeedState(db: Db | Tx, feed: FeedKind, patch: FeedStatePatch): Promise<void> {
  await db
    .insert(feedState)
    .values({ feed, ...patch })
    .onConflictDoUpdate({ target: feedState.feed, set: { ...patch, updatedAt: sql`now()` } });
}

export async function startFeedRun(db: Db, feed: FeedKind, source: string): Promise<number> {
  const [row] = await db.insert(feedRuns).values({ feed, source, status: 'running' }).returning({ id: feedRuns.id });
  if (!row) throw new Error(`could not record the start of the ${feed} feed run from ${source}`);
  return row.id;
}

export async function finishFeedRun(
  db: Db,
  runId: number,
  result: { status: 'succeeded' | 'failed' | 'not_modified'; recordCount?: number; changedCount?: number; error?: string },
): Promise<void> {
  await db
    .update(feedRuns)
    .set({ status: result.status, recordCount: result.recordCount ?? 0, changedCount: result.changedCount ?? 0, error: result.error ?? null, finishedAt: sql`now()` })
    .where(eq(feedRuns.id, runId));
}
