import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { businessEntities, businessEntityTags, tags } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { businessEntityInputSchema } from './schemas';

export interface BusinessEntitySummary {
  id: number;
  name: string;
  description: string | null;
  tags: { id: number; name: string }[];
  /** Distinct assets on any of the entity's tags. */
  assetCount: number;
}

/** Lists every business entity by name with its tags and number of distinct member assets. */
export async function listBusinessEntities(db: Db | Tx): Promise<BusinessEntitySummary[]> {
  const rows = await queryRows<{ id: number; name: string; description: string | null; tags: { id: number; name: string }[] | null; asset_count: number }>(
    db,
    sql`
      select e.id, e.name, e.description,
        (select json_agg(json_build_object('id', t.id, 'name', t.name) order by lower(t.name))
           from business_entity_tags bt join tags t on t.id = bt.tag_id where bt.business_entity_id = e.id) as tags,
        (select count(distinct at.asset_id)::int
           from business_entity_tags bt join asset_tags at on at.tag_id = bt.tag_id where bt.business_entity_id = e.id) as asset_count
      from business_entities e
      order by lower(e.name), e.id
    `,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, description: row.description, tags: row.tags ?? [], assetCount: Number(row.asset_count) }));
}

/** Returns one business entity with its tags and member count, or undefined. */
export async function getBusinessEntity(db: Db | Tx, id: number): Promise<BusinessEntitySummary | undefined> {
  const [entity] = await db.select().from(businessEntities).where(eq(businessEntities.id, id));
  if (!entity) return undefined;
  const entityTags = await db
    .select({ id: tags.id, name: tags.name })
    .from(businessEntityTags)
    .innerJoin(tags, eq(tags.id, businessEntityTags.tagId))
    .where(eq(businessEntityTags.businessEntityId, id))
    .orderBy(asc(sql`lower(${tags.name})`));
  const members = await businessEntityMemberIds(db, id);
  return { id: entity.id, name: entity.name, description: entity.description, tags: entityTags, assetCount: members.length };
}

/** Creates a business entity from tags. Throws AppError `invalid_input` for a taken name or an unknown tag. */
export async function createBusinessEntity(db: Db, input: unknown): Promise<{ id: number }> {
  const parsed = parseOrThrow(businessEntityInputSchema, input);
  return db.transaction(async (tx) => {
    await assertNameFree(tx, parsed.name);
    const tagIds = await requireTags(tx, parsed.tagIds);
    const [entity] = await tx.insert(businessEntities).values({ name: parsed.name, description: parsed.description }).returning({ id: businessEntities.id });
    if (!entity) throw new Error(`inserting business entity "${parsed.name}" returned no row`);
    if (tagIds.length > 0) await tx.insert(businessEntityTags).values(tagIds.map((tagId) => ({ businessEntityId: entity.id, tagId })));
    await refreshScores(tx, entity.id, []);
    return entity;
  });
}

/** Replaces a business entity's name, description and tags. */
export async function updateBusinessEntity(db: Db, id: number, input: unknown): Promise<void> {
  const parsed = parseOrThrow(businessEntityInputSchema, input);
  await db.transaction(async (tx) => {
    const [entity] = await tx.select().from(businessEntities).where(eq(businessEntities.id, id)).for('update');
    if (!entity) throw entityNotFound(id);
    await assertNameFree(tx, parsed.name, id);
    const tagIds = await requireTags(tx, parsed.tagIds);

    const before = await businessEntityMemberIds(tx, id);
    await tx.update(businessEntities).set({ name: parsed.name, description: parsed.description }).where(eq(businessEntities.id, id));
    await tx.delete(businessEntityTags).where(eq(businessEntityTags.businessEntityId, id));
    if (tagIds.length > 0) await tx.insert(businessEntityTags).values(tagIds.map((tagId) => ({ businessEntityId: id, tagId })));
    await refreshScores(tx, id, before);
  });
}

/** Deletes a business entity; its tags and assets stay. */
export async function deleteBusinessEntity(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(businessEntities).where(eq(businessEntities.id, id)).returning({ id: businessEntities.id });
  if (deleted.length === 0) throw entityNotFound(id);
}

/**
 * Recomputes the scores of the entity's old and new members, which also refreshes today's
 * snapshot of every business entity they belong to (lib/scoring/recompute.ts).
 */
async function refreshScores(tx: Tx, id: number, before: number[]): Promise<void> {
  const after = await businessEntityMemberIds(tx, id);
  await recomputeAssetRiskScores(tx, [...new Set([...before, ...after])]);
}

/** Returns the ids of the entity's members: the union of its tags' assets, each once. */
export async function businessEntityMemberIds(db: Db | Tx, id: number): Promise<number[]> {
  const rows = await queryRows<{ asset_id: number }>(
    db,
    sql`select distinct at.asset_id from business_entity_tags bt join asset_tags at on at.tag_id = bt.tag_id where bt.business_entity_id = ${id}`,
  );
  return rows.map((row) => Number(row.asset_id));
}

async function requireTags(tx: Tx, tagIds: number[]): Promise<number[]> {
  const unique = [...new Set(tagIds)];
  if (unique.length === 0) return [];
  const found = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.id, unique));
  if (found.length !== unique.length) {
    const known = new Set(found.map((row) => row.id));
    throw new AppError('invalid_input', `tag ${unique.filter((tagId) => !known.has(tagId)).join(', ')} was not found; reload the page and pick the tags again`);
  }
  return unique;
}

async function assertNameFree(tx: Tx, name: string, exceptId?: number): Promise<void> {
  const [existing] = await tx
    .select({ id: businessEntities.id, name: businessEntities.name })
    .from(businessEntities)
    .where(sql`lower(${businessEntities.name}) = lower(${name})`);
  if (existing && existing.id !== exceptId) throw new AppError('invalid_input', `a business entity named "${existing.name}" already exists; choose another name`);
}

function entityNotFound(id: number): AppError {
  return new AppError('not_found', `business entity ${id} was not found; it may have been deleted`);
}
