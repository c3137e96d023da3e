import { asc, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findingMergeRules, sourceTrustRanking } from '../../db/schema';
import { parseOrThrow } from '../http/app-error';
import { toJson } from '../ingest/store/sql-params';
import { FIELD_GROUPS, MERGE_STRATEGIES, type FieldGroup, type MergeStrategy } from './merge-rule-names';
import type { ObservedFields } from './observation';

export { FIELD_GROUP_LABELS, FIELD_GROUPS, MERGE_STRATEGIES, STRATEGY_LABELS, type FieldGroup, type MergeStrategy } from './merge-rule-names';

export interface MergeRules {
  strategies: Record<FieldGroup, MergeStrategy>;
  /** Source names, most trusted first. Sources not listed rank after every listed one. */
  trustRanking: string[];
}

export const mergeRulesSchema = z.object({
  strategies: z.object({
    severity: z.enum(MERGE_STRATEGIES),
    text: z.enum(MERGE_STRATEGIES),
    cvss: z.enum(MERGE_STRATEGIES),
    remediation: z.enum(MERGE_STRATEGIES),
  }),
  trustRanking: z
    .array(z.string().trim().min(1).max(100))
    .max(100)
    .refine((sources) => new Set(sources.map((source) => source.toLowerCase())).size === sources.length, 'each source is ranked once'),
});

export const DEFAULT_MERGE_RULES: MergeRules = {
  strategies: { severity: 'most_recent', text: 'most_recent', cvss: 'most_recent', remediation: 'most_recent' },
  trustRanking: [],
};

/** One detection of a finding as merge rules see it. */
export interface MergeCandidate {
  source: string;
  lastSeen: Date;
  fields: ObservedFields;
}

/**
 * Picks, per field group, the detection whose values the finding shows. Ties fall to the most
 * recent detection, then to the source name, so the choice never depends on row order.
 */
export function chooseFields(candidates: readonly MergeCandidate[], rules: MergeRules): ObservedFields | undefined {
  if (candidates.length === 0) return undefined;
  const rank = new Map(rules.trustRanking.map((source, index) => [source.toLowerCase(), index]));
  const trust = (candidate: MergeCandidate) => rank.get(candidate.source.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  const recent = (a: MergeCandidate, b: MergeCandidate) => b.lastSeen.getTime() - a.lastSeen.getTime() || a.source.localeCompare(b.source);
  const order: Record<MergeStrategy, (a: MergeCandidate, b: MergeCandidate) => number> = {
    most_recent: recent,
    source_trust: (a, b) => trust(a) - trust(b) || recent(a, b),
    highest_severity: (a, b) => b.fields.severity - a.fields.severity || recent(a, b),
  };
  const pick = (group: FieldGroup) => [...candidates].sort(order[rules.strategies[group]])[0] as MergeCandidate;

  const severity = pick('severity').fields;
  const text = pick('text').fields;
  const cvss = pick('cvss').fields;
  const remediation = pick('remediation').fields;
  return {
    severity: severity.severity,
    title: text.title,
    description: text.description,
    cvss2: cvss.cvss2,
    cvss3: cvss.cvss3,
    cvss3Vector: cvss.cvss3Vector,
    fixedVersion: remediation.fixedVersion,
    solution: remediation.solution,
  };
}

export async function loadMergeRules(db: Db | Tx): Promise<MergeRules> {
  const [strategies, ranking] = await Promise.all([
    db.select().from(findingMergeRules),
    db.select().from(sourceTrustRanking).orderBy(asc(sourceTrustRanking.position)),
  ]);
  const rules: MergeRules = { strategies: { ...DEFAULT_MERGE_RULES.strategies }, trustRanking: ranking.map((row) => row.source) };
  for (const row of strategies) {
    const group = FIELD_GROUPS.find((name) => name === row.fieldGroup);
    const strategy = MERGE_STRATEGIES.find((name) => name === row.strategy);
    if (group && strategy) rules.strategies[group] = strategy;
  }
  return rules;
}

export async function saveMergeRules(db: Db, input: unknown): Promise<MergeRules> {
  const parsed = parseOrThrow(mergeRulesSchema, input);
  await db.transaction(async (tx) => {
    for (const group of FIELD_GROUPS) {
      await tx
        .insert(findingMergeRules)
        .values({ fieldGroup: group, strategy: parsed.strategies[group] })
        .onConflictDoUpdate({ target: findingMergeRules.fieldGroup, set: { strategy: parsed.strategies[group], updatedAt: sql`now()` } });
    }
    await tx.delete(sourceTrustRanking);
    if (parsed.trustRanking.length > 0) await tx.insert(sourceTrustRanking).values(parsed.trustRanking.map((source, position) => ({ source, position })));
  });
  return parsed;
}

/** True when the rules choose as imports do without them (the latest observation wins). */
export function isMostRecentOnly(rules: MergeRules): boolean {
  return FIELD_GROUPS.every((group) => rules.strategies[group] === 'most_recent');
}

/**
 * Sets the displayed fields of the given findings that more than one source reported, from
 * their detections' observations by the merge rules. Returns the ids of findings whose severity
 * or CVSS changed, whose Detection Score must be recomputed.
 */
export async function applyMergeRules(tx: Tx, findingIds: readonly number[], rules: MergeRules): Promise<number[]> {
  if (findingIds.length === 0) return [];
  const rows = await queryRows<{ finding_id: number; source: string; last_seen: string | Date; observation: { fields?: ObservedFields } | null }>(
    tx,
    sql`
      select d.finding_id, d.source, d.last_seen, d.observation
      from detections d
      join findings f on f.id = d.finding_id
      where d.finding_id in (select value::int from json_array_elements_text(${toJson([...findingIds])}::json))
        and cardinality(f.sources) > 1
        and d.observation is not null
    `,
  );
  const byFinding = new Map<number, MergeCandidate[]>();
  for (const row of rows) {
    const fields = row.observation?.fields;
    if (!fields) continue;
    const list = byFinding.get(row.finding_id) ?? [];
    list.push({ source: row.source, lastSeen: new Date(row.last_seen), fields });
    byFinding.set(row.finding_id, list);
  }

  const updates = [...byFinding].flatMap(([id, candidates]) => {
    const chosen = chooseFields(candidates, rules);
    return chosen ? [{ id, ...chosen }] : [];
  });
  if (updates.length === 0) return [];
  const changed = await queryRows<{ id: number }>(
    tx,
    sql`
      update findings f set
        severity = u."severity", title = u."title", description = u."description", solution = u."solution",
        cvss2_base_score = u."cvss2", cvss3_base_score = u."cvss3", cvss3_vector = u."cvss3Vector", fixed_version = u."fixedVersion",
        updated_at = now()
      from json_to_recordset(${toJson(updates)}::json) as u(id int, "severity" int, "title" text, "description" text, "solution" text,
        "cvss2" real, "cvss3" real, "cvss3Vector" text, "fixedVersion" text)
      where f.id = u.id
        and (f.severity, f.title, f.description, f.solution, f.cvss2_base_score, f.cvss3_base_score, f.cvss3_vector, f.fixed_version)
          is distinct from (u."severity", u."title", u."description", u."solution", u."cvss2", u."cvss3", u."cvss3Vector", u."fixedVersion")
      returning f.id
    `,
  );
  return changed.map((row) => row.id);
}
