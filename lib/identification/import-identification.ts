import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import type { AliasTable } from './aliases';
import { loadMergeRules, type MergeRules } from './merge-rules';
import { getIpWindowDays, loadAliasTable, loadIdentificationRules, plainRules } from './rule-store';
import type { IdentificationRules } from './rules';

/** Everything an import needs to identify assets and findings, read once at its start. */
export interface ImportIdentification {
  rules: IdentificationRules;
  aliases: AliasTable;
  mergeRules: MergeRules;
  ipWindowDays: number;
}

export async function loadImportIdentification(tx: Db | Tx): Promise<ImportIdentification> {
  const [rules, aliases, mergeRules, ipWindowDays] = await Promise.all([loadIdentificationRules(tx), loadAliasTable(tx), loadMergeRules(tx), getIpWindowDays(tx)]);
  return { rules: plainRules(rules), aliases, mergeRules, ipWindowDays };
}

/** `app_settings` row that imports lock while they run on the rules they read; its value is when the rules last changed. */
export const RULES_CHANGED_SETTING = 'identification.rulesChangedAt';

/**
 * Takes a KEY SHARE lock on the rules-changed row until the import's transaction ends. Call it
 * before reading the rules. Saving rules does not wait for it, but the barrier a re-identification
 * starts with (`waitForImportsOnOldRules`) does.
 */
export async function lockRulesForImport(tx: Tx): Promise<void> {
  await tx.execute(sql`select key from app_settings where key = ${RULES_CHANGED_SETTING} for key share`);
}

/** Records that the rules, aliases or merge rules changed; every start of a re-identification calls it. */
export async function markRulesChanged(db: Db | Tx): Promise<void> {
  await db.execute(sql`
    insert into app_settings (key, value, updated_at) values (${RULES_CHANGED_SETTING}, now()::text, now())
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
  `);
}

/**
 * Waits until every import that locked the rules-changed row, and so may have read the rules
 * before they changed, has committed or rolled back. Imports that start later read the new rules.
 */
export async function waitForImportsOnOldRules(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select key from app_settings where key = ${RULES_CHANGED_SETTING} for update`);
  });
}
