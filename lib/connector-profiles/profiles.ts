// Storage of connector profiles: list, read, create, replace and delete, with the input checked
// by profileInputSchema. Names are unique regardless of case.

import { asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { connectorProfiles, users, type ConnectorProfileRow } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import { logger } from '../log';
import { csvOptionsSchema, profileInputSchema, type ProfileSettings } from './profile-schema';

const log = logger.child({ module: 'connector-profiles' });

/** A stored profile as the API and the pages show it. */
export interface ConnectorProfile extends ProfileSettings {
  id: number;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const profileIdSchema = z.number().int().positive();

const createdByUser = alias(users, 'created_by_user');
const updatedByUser = alias(users, 'updated_by_user');

function selectProfiles(db: Db) {
  return db
    .select({ profile: connectorProfiles, createdBy: createdByUser.email, updatedBy: updatedByUser.email })
    .from(connectorProfiles)
    .leftJoin(createdByUser, eq(createdByUser.id, connectorProfiles.createdBy))
    .leftJoin(updatedByUser, eq(updatedByUser.id, connectorProfiles.updatedBy));
}

/**
 * Converts a row to the API shape. The JSON columns are parsed again, so a row written by an
 * older version with fields this one lacks gets their defaults.
 */
function toProfile(row: { profile: ConnectorProfileRow; createdBy: string | null; updatedBy: string | null }): ConnectorProfile {
  const { profile } = row;
  return {
    id: profile.id,
    name: profile.name,
    format: profile.format as ProfileSettings['format'],
    sourceName: profile.sourceName,
    mapping: profile.mapping,
    csv: csvOptionsSchema.parse(profile.csvOptions),
    keepAbsentFindings: profile.keepAbsentFindings,
    defaultAssetKind: profile.defaultAssetKind,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export async function listProfiles(db: Db): Promise<ConnectorProfile[]> {
  const rows = await selectProfiles(db).orderBy(asc(sql`lower(${connectorProfiles.name})`));
  return rows.map(toProfile);
}

export async function getProfile(db: Db, id: number): Promise<ConnectorProfile | undefined> {
  const [row] = await selectProfiles(db).where(eq(connectorProfiles.id, id));
  return row ? toProfile(row) : undefined;
}

/** Returns the profile with this name, compared regardless of case. */
export async function getProfileByName(db: Db, name: string): Promise<ConnectorProfile | undefined> {
  const [row] = await selectProfiles(db).where(sql`lower(${connectorProfiles.name}) = lower(${name.trim()})`);
  return row ? toProfile(row) : undefined;
}

/** Creates a profile from unchecked input; throws AppError `invalid_input` naming the field, or for a taken name. */
export async function createProfile(db: Db, input: unknown, userId?: number): Promise<ConnectorProfile> {
  const settings = parseOrThrow(profileInputSchema, input);
  return db.transaction(async (tx) => {
    await assertNameFree(tx, settings.name);
    const [row] = await tx
      .insert(connectorProfiles)
      .values({ ...columnsOf(settings), createdBy: userId ?? null, updatedBy: userId ?? null })
      .returning({ id: connectorProfiles.id });
    if (!row) throw new Error('inserting the connector profile returned nothing');
    log.info({ profileId: row.id, name: settings.name, userId }, 'connector profile created');
    return requireProfile(tx, row.id);
  });
}

/** Replaces every setting of a profile; throws AppError `not_found` for an unknown id. */
export async function updateProfile(db: Db, id: number, input: unknown, userId?: number): Promise<ConnectorProfile> {
  const settings = parseOrThrow(profileInputSchema, input);
  return db.transaction(async (tx) => {
    await assertNameFree(tx, settings.name, id);
    const updated = await tx
      .update(connectorProfiles)
      .set({ ...columnsOf(settings), updatedBy: userId ?? null, updatedAt: new Date() })
      .where(eq(connectorProfiles.id, id))
      .returning({ id: connectorProfiles.id });
    if (updated.length === 0) throw new AppError('not_found', `connector profile ${id} was not found`);
    log.info({ profileId: id, name: settings.name, userId }, 'connector profile updated');
    return requireProfile(tx, id);
  });
}

/** Deletes a profile. Past imports keep their source name; later imports can no longer name the profile. */
export async function deleteProfile(db: Db, id: number, userId?: number): Promise<void> {
  const deleted = await db.delete(connectorProfiles).where(eq(connectorProfiles.id, id)).returning({ name: connectorProfiles.name });
  if (deleted.length === 0) throw new AppError('not_found', `connector profile ${id} was not found`);
  log.info({ profileId: id, name: deleted[0]?.name, userId }, 'connector profile deleted');
}

function columnsOf(settings: ProfileSettings) {
  return {
    name: settings.name,
    format: settings.format,
    sourceName: settings.sourceName,
    mapping: settings.mapping,
    csvOptions: settings.csv,
    keepAbsentFindings: settings.keepAbsentFindings,
    defaultAssetKind: settings.defaultAssetKind,
  };
}

async function assertNameFree(db: Db, name: string, exceptId?: number): Promise<void> {
  const existing = await getProfileByName(db, name);
  if (existing && existing.id !== exceptId) throw new AppError('invalid_input', `a connector profile named "${existing.name}" already exists; choose another name`);
}

async function requireProfile(db: Db, id: number): Promise<ConnectorProfile> {
  const profile = await getProfile(db, id);
  if (!profile) throw new Error(`connector profile ${id} vanished inside its own transaction`);
  return profile;
}
