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
