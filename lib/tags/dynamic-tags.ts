import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assets, assetTags, tags } from '../../db/schema';
import { logger } from '../log';
import { queryFilter } from '../query/filter';
import { recomputeAssetRiskScores } from '../scoring/recompute';

const log = logger.child({ module: 'dynamic-tags' });

/**
 * Recomputes the members of one dynamic tag: exactly the assets its query matches now. The
 * assets that join or leave get their criticality and Risk Scores recomputed in the same
 * transaction. Throws AppError `invalid_input` (with the position) for a query that does not
 * parse; nothing changes then.
 */
export async function refreshDynamicTag(db: Db, tagId: number, query: string): Promise<{ added: number; removed: number }> {
  const filter = await queryFilter(db, 'asset', query);
  if (!filter) return { added: 0, removed: 0 };

  return db.transaction(async (tx) => {
    // Set-based, so a query matching a million assets needs no id list in the parameters.
    const removed = await queryRows<{ asset_id: number }>(
      tx,
      sql`delete from ${assetTags} where ${assetTags.tagId} = ${tagId}
          and ${assetTags.assetId} not in (select ${assets.id} from ${assets} where ${filter})
          returning ${assetTags.assetId} as asset_id`,
    );
    const added = await queryRows<{ asset_id: number }>(
      tx,
      sql`insert into ${assetTags} (asset_id, tag_id) select ${assets.id}, ${tagId}::int from ${assets} where ${filter}
          on conflict do nothing returning asset_id`,
    );

    await recomputeAssetRiskScores(tx, [...removed, ...added].map((row) => row.asset_id));
    return { added: added.length, removed: removed.length };
  });
}

/**
 * Recomputes every dynamic tag, e.g. after an import changed the assets or findings its query
 * looks at. A tag whose query no longer compiles (a token renamed by an upgrade) is logged and
 * skipped, so one bad tag does not stop the others.
 */
export async function refreshDynamicTags(db: Db): Promise<void> {
  const dynamic = await db.select({ id: tags.id, query: tags.query }).from(tags).where(isNotNull(tags.query));
  for (const tag of dynamic) {
    if (!tag.query) continue;
    try {
      const { added, removed } = await refreshDynamicTag(db, tag.id, tag.query);
      if (added > 0 || removed > 0) log.info({ tagId: tag.id, added, removed }, 'dynamic tag members changed');
    } catch (error) {
      log.error({ tagId: tag.id, err: error }, 'dynamic tag query failed; its members were left as they were');
    }
  }
}

/** True when the tag takes its members from a query, so they cannot be edited by hand. */
export async function isDynamicTag(db: Pick<Db, 'select'>, tagId: number): Promise<boolean> {
  const [tag] = await db.select({ query: tags.query }).from(tags).where(and(eq(tags.id, tagId), isNotNull(tags.query)));
  return tag !== undefined;
}

