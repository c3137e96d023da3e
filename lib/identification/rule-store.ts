import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { appSettings, identificationRules, technologyAliases } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import { AliasTable, type AliasData } from './aliases';
import bundled from './data/technology-aliases.json';
import { IDENTITY_ATTRIBUTES, type IdentityAttribute } from './attributes';
import { DEFAULT_RULES, rulesSchema, type IdentificationRules } from './rules';

/** A stored rule, with whether it is one of the seeded defaults (those cannot be deleted). */
export interface StoredRule {
  attributes: IdentityAttribute[];
  enabled: boolean;
  builtin: boolean;
}

export interface StoredRules {
  vulnerability: StoredRule[];
  misconfiguration: StoredRule[];
}

const KNOWN = new Set<string>(IDENTITY_ATTRIBUTES);

/**
 * Reads the identification rules in their order. An import loads them once, at its first
 * finding, so every finding of one report is identified by one rule list.
 */
export async function loadIdentificationRules(db: Db | Tx): Promise<StoredRules> {
  const rows = await db.select().from(identificationRules).orderBy(asc(identificationRules.findingType), asc(identificationRules.position));
  const rules: StoredRules = { vulnerability: [], misconfiguration: [] };
  for (const row of rows) {
    // An attribute this version does not know (written by a newer one) makes the rule never apply.
    const attributes = row.attributes.filter((name): name is IdentityAttribute => KNOWN.has(name));
    rules[row.findingType].push({ attributes, enabled: row.enabled && attributes.length === row.attributes.length, builtin: row.builtin });
  }
  return rules;
}

/**
 * Replaces the rules of both finding types with `input` (validated), in one transaction. A
 * seeded default may be reordered or disabled but not removed; it keeps its `builtin` mark.
 */
export async function saveIdentificationRules(db: Db, input: unknown): Promise<StoredRules> {
  const parsed = parseOrThrow(rulesSchema, input);
  return db.transaction(async (tx) => {
    const current = await loadIdentificationRules(tx);
    const saved: StoredRules = { vulnerability: [], misconfiguration: [] };
    for (const type of ['vulnerability', 'misconfiguration'] as const) {
      const builtin = new Set(DEFAULT_RULES[type].map((rule) => rule.attributes.join('+')));
      const keep = new Set(parsed[type].map((rule) => rule.attributes.join('+')));
      const removed = current[type].find((rule) => rule.builtin && !keep.has(rule.attributes.join('+')));
      if (removed) {
        throw new AppError('invalid_input', `the default ${type} rule [${removed.attributes.join(', ')}] can be disabled but not deleted`);
      }
      await tx.delete(identificationRules).where(eq(identificationRules.findingType, type));
      const rows = parsed[type].map((rule, position) => ({
        findingType: type,
        position,
        attributes: rule.attributes,
        enabled: rule.enabled,
        builtin: builtin.has(rule.attributes.join('+')),
      }));
      if (rows.length > 0) await tx.insert(identificationRules).values(rows);
      saved[type] = rows.map((row) => ({ attributes: row.attributes, enabled: row.enabled, builtin: row.builtin }));
    }
    return saved;
  });
}

/** Drops the `builtin` marks, for code that only computes keys. */
export function plainRules(rules: StoredRules): IdentificationRules {
  return {
    vulnerability: rules.vulnerability.map(({ attributes, enabled }) => ({ attributes, enabled })),
    misconfiguration: rules.misconfiguration.map(({ attributes, enabled }) => ({ attributes, enabled })),
  };
}

/**
 * The bundled alias table with the organization's aliases on top. The identification settings
 * page and `/api/v1/identification/aliases` edit those rows (lib/identification/alias-store.ts).
 */
export async function loadAliasTable(db: Db | Tx): Promise<AliasTable> {
  return aliasTableOf(await db.select().from(technologyAliases));
}

/** Builds the bundled alias table with `rows` of `technology_aliases` on top. */
export function aliasTableOf(rows: { kind: string; alias: string; canonical: string }[]): AliasTable {
  if (rows.length === 0) return new AliasTable(bundled as AliasData);
  return new AliasTable(bundled as AliasData, aliasDataOf(rows));
}

/** Groups `technology_aliases` rows by canonical name, in the shape of the bundled table. */
export function aliasDataOf(rows: { kind: string; alias: string; canonical: string }[]): AliasData {
  const own: AliasData = { vendors: {}, products: {} };
  for (const row of rows) {
    const target = row.kind === 'vendor' ? own.vendors : own.products;
    (target[row.canonical] ??= []).push(row.alias);
  }
  return own;
}

/** `app_settings` key of the IP address matching window, in days. */
export const IP_WINDOW_SETTING = 'assetMatching.ipWindowDays';
export const DEFAULT_IP_WINDOW_DAYS = 30;

/**
 * Days within which an IP address still identifies an asset: a report's host matches an asset
 * by IP only if that asset was last seen no more than this many days before or after the scan.
 */
export async function getIpWindowDays(db: Db | Tx): Promise<number> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, IP_WINDOW_SETTING)).limit(1);
  const days = row ? Number(row.value) : Number.NaN;
  return Number.isInteger(days) && days >= 0 ? days : DEFAULT_IP_WINDOW_DAYS;
}

export async function setIpWindowDays(db: Db | Tx, days: number): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key: IP_WINDOW_SETTING, value: String(days) })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: String(days), updatedAt: sql`now()` } });
}
