import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { assets, assetTags, tags } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import { queryFilter } from '../query/filter';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { isDynamicTag, refreshDynamicTag } from './dynamic-tags';
import { assetSearchInputSchema, createTagInputSchema, tagAssetsInputSchema, updateTagInputSchema } from './schemas';

export interface TagSummary {
  id: number;
  name: string;
  criticalityScore: number | null;
  assetCount: number;
  /** Query of a dynamic tag, or null for a static tag. */
  query?: string | null;
}

export interface TagMember {
  id: number;
  name: string;
  kind: string;
  riskScore: number;
}

/** Members listed on a tag's page; the count is always exact. */
export const TAG_MEMBER_PAGE_SIZE = 500;

/** Lists every tag by name with its number of assets. */
export async function listTags(db: Db | Tx): Promise<TagSummary[]> {
  const rows = await db
    .select({ id: tags.id, name: tags.name, criticalityScore: tags.criticalityScore, query: tags.query, assetCount: count(assetTags.assetId) })
    .from(tags)
    .leftJoin(assetTags, eq(assetTags.tagId, tags.id))
    .groupBy(tags.id)
    .orderBy(asc(sql`lower(${tags.name})`), asc(tags.id));
  return rows.map((row) => ({ ...row, assetCount: Number(row.assetCount) }));
}

/** Returns one tag with its member count and its first members by name, or undefined. */
export async function getTag(db: Db | Tx, id: number): Promise<(TagSummary & { members: TagMember[] }) | undefined> {
  const [tag] = await db.select().from(tags).where(eq(tags.id, id));
  if (!tag) return undefined;

  const [total] = await db.select({ value: count() }).from(assetTags).where(eq(assetTags.tagId, id));
  const members = await db
    .select({ id: assets.id, name: assets.name, kind: assets.kind, riskScore: assets.riskScore })
    .from(assetTags)
    .innerJoin(assets, eq(assets.id, assetTags.assetId))
    .where(eq(assetTags.tagId, id))
    .orderBy(asc(sql`lower(${assets.name})`), asc(assets.id))
    .limit(TAG_MEMBER_PAGE_SIZE);
  return { id: tag.id, name: tag.name, criticalityScore: tag.criticalityScore, query: tag.query, assetCount: Number(total?.value ?? 0), members };
}

/** Creates a static tag. Throws AppError `invalid_input` when the name is taken (ignoring case). */
export async function createTag(db: Db, input: unknown): Promise<TagSummary> {
  const parsed = parseOrThrow(createTagInputSchema, input);
  // An invalid query is rejected, with its position, before the tag exists.
  if (parsed.query) await queryFilter(db, 'asset', parsed.query);

  const created = await db.transaction(async (tx) => {
    await assertNameFree(tx, parsed.name);
    const [tag] = await tx.insert(tags).values({ name: parsed.name, criticalityScore: parsed.criticalityScore, query: parsed.query }).returning();
    if (!tag) throw new Error(`inserting tag "${parsed.name}" returned no row`);
    return tag;
  });

  const { added } = created.query ? await refreshDynamicTag(db, created.id, created.query) : { added: 0 };
  return { id: created.id, name: created.name, criticalityScore: created.criticalityScore, assetCount: added };
}

/**
 * Renames a tag or sets its Asset Criticality Score. A changed score recomputes the criticality
 * and Risk Scores of the tag's assets in the same transaction.
 */
export async function updateTag(db: Db, id: number, input: unknown): Promise<void> {
  const parsed = parseOrThrow(updateTagInputSchema, input);
  if (parsed.query) await queryFilter(db, 'asset', parsed.query);
  await db.transaction(async (tx) => {
    const [tag] = await tx.select().from(tags).where(eq(tags.id, id)).for('update');
    if (!tag) throw tagNotFound(id);

    if (parsed.name !== undefined && parsed.name !== tag.name) {
      await assertNameFree(tx, parsed.name, id);
      await tx.update(tags).set({ name: parsed.name }).where(eq(tags.id, id));
    }
    if (parsed.criticalityScore !== undefined && parsed.criticalityScore !== tag.criticalityScore) {
      await tx.update(tags).set({ criticalityScore: parsed.criticalityScore }).where(eq(tags.id, id));
      await recomputeAssetRiskScores(tx, await memberIds(tx, id));
    }
    if (parsed.query !== undefined && parsed.query !== tag.query) {
      await tx.update(tags).set({ query: parsed.query }).where(eq(tags.id, id));
    }
  });

  // A new query replaces the members; a tag made static again keeps its current members.
  if (parsed.query) await refreshDynamicTag(db, id, parsed.query);
}

/** Deletes a tag; its assets lose its Asset Criticality Score, so their scores are recomputed. */
export async function deleteTag(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const members = await memberIds(tx, id);
    const deleted = await tx.delete(tags).where(eq(tags.id, id)).returning({ id: tags.id });
    if (deleted.length === 0) throw tagNotFound(id);
    await recomputeAssetRiskScores(tx, members);
  });
}

/** Adds assets to a tag; assets already on it are left as they are. Returns how many were added. */
export async function addAssetsToTag(db: Db, tagId: number, input: unknown): Promise<number> {
  const { assetIds } = parseOrThrow(tagAssetsInputSchema, input);
  return db.transaction(async (tx) => {
    await requireTag(tx, tagId);
    await requireStatic(tx, tagId);
    const unique = [...new Set(assetIds)];
    const found = await tx.select({ id: assets.id }).from(assets).where(inArray(assets.id, unique));
    if (found.length !== unique.length) {
      const known = new Set(found.map((row) => row.id));
      const missing = unique.filter((id) => !known.has(id));
      throw new AppError('not_found', `asset ${missing.slice(0, 10).join(', ')} was not found; reload the page and pick the assets again`);
    }
    const added = await tx
      .insert(assetTags)
      .values(unique.map((assetId) => ({ assetId, tagId })))
      .onConflictDoNothing()
      .returning({ assetId: assetTags.assetId });
    await recomputeAssetRiskScores(tx, added.map((row) => row.assetId));
    return added.length;
  });
}

/** Removes assets from a tag; ids not on it are ignored. Returns how many were removed. */
export async function removeAssetsFromTag(db: Db, tagId: number, input: unknown): Promise<number> {
  const { assetIds } = parseOrThrow(tagAssetsInputSchema, input);
  return db.transaction(async (tx) => {
    await requireTag(tx, tagId);
    await requireStatic(tx, tagId);
    const removed = await tx
      .delete(assetTags)
      .where(and(eq(assetTags.tagId, tagId), inArray(assetTags.assetId, assetIds)))
      .returning({ assetId: assetTags.assetId });
    await recomputeAssetRiskScores(tx, removed.map((row) => row.assetId));
    return removed.length;
  });
}

async function memberIds(tx: Tx, tagId: number): Promise<number[]> {
  const rows = await tx.select({ assetId: assetTags.assetId }).from(assetTags).where(eq(assetTags.tagId, tagId));
  return rows.map((row) => row.assetId);
}

async function requireTag(tx: Tx, id: number): Promise<void> {
  const [tag] = await tx.select({ id: tags.id }).from(tags).where(eq(tags.id, id));
  if (!tag) throw tagNotFound(id);
}

async function requireStatic(tx: Tx, id: number): Promise<void> {
  if (await isDynamicTag(tx, id)) {
    throw new AppError('invalid_input', `tag ${id} takes its members from its query; change the query, or clear it to edit members by hand`);
  }
}

async function assertNameFree(tx: Tx, name: string, exceptId?: number): Promise<void> {
  const [existing] = await tx.select({ id: tags.id, name: tags.name }).from(tags).where(sql`lower(${tags.name}) = lower(${name})`);
  if (existing && existing.id !== exceptId) throw new AppError('invalid_input', `a tag named "${existing.name}" already exists; choose another name`);
}

function tagNotFound(id: number): AppError {
  return new AppError('not_found', `tag ${id} was not found; it may have been deleted`);
}

export interface AssetMatch {
  id: number;
  name: string;
  kind: string;
  /** Whether the asset is already on the tag the search is for. */
  onTag: boolean;
}

/**
 * Finds assets whose name, FQDN or hostname contains the query, ignoring case, for adding to a
 * tag. The query is matched literally: `%` and `_` are escaped.
 */
export async function searchAssetsForTag(db: Db | Tx, tagId: number, input: unknown): Promise<AssetMatch[]> {
  const { query, limit } = parseOrThrow(assetSearchInputSchema, input);
  const pattern = `%${query.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const rows = await db
    .select({
      id: assets.id,
      name: assets.name,
      kind: assets.kind,
      onTag: sql<boolean>`exists (select 1 from asset_tags m where m.asset_id = ${assets.id} and m.tag_id = ${tagId})`,
    })
    .from(assets)
    .where(sql`${assets.name} ilike ${pattern} or ${assets.fqdn} ilike ${pattern} or ${assets.hostname} ilike ${pattern}`)
    .orderBy(asc(sql`lower(${assets.name})`), asc(assets.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, onTag: Boolean(row.onTag) }));
}

/** Lists the tags of one asset by name. */
export async function listAssetTags(db: Db | Tx, assetId: number): Promise<{ id: number; name: string; criticalityScore: number | null }[]> {
  return db
    .select({ id: tags.id, name: tags.name, criticalityScore: tags.criticalityScore })
    .from(assetTags)
    .innerJoin(tags, eq(tags.id, assetTags.tagId))
    .where(eq(assetTags.assetId, assetId))
    .orderBy(asc(sql`lower(${tags.name})`));
}
