import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** An ATT&CK technique or sub-technique, e.g. `T1190` or `T1059.001`. */
export const attackTechniques = pgTable('attack_techniques', {
  attackId: text().primaryKey(),
  stixId: text().notNull(),
  name: text().notNull(),
  /** Tactic names in kill-chain order of the object, e.g. `{Initial Access}`. */
  tactics: text().array().notNull(),
  /** Revoked or deprecated in the imported ATT&CK release. */
  retired: boolean().notNull().default(false),
  url: text(),
});

/** An ATT&CK group (STIX `intrusion-set`), e.g. `G0007` APT28. */
export const attackGroups = pgTable('attack_groups', {
  attackId: text().primaryKey(),
  stixId: text().notNull(),
  name: text().notNull(),
  aliases: text().array().notNull(),
  url: text(),
});

/**
 * A CVE tied to a named group. `via` names how ATT&CK ties them: `group` (the group's own
 * description or references name the CVE), `campaign` (a campaign attributed to the group),
 * `software` (malware or a tool the group uses) or `relationship` (the text of one of the
 * group's `uses` relationships).
 */
export const cveAttackGroups = pgTable(
  'cve_attack_groups',
  {
    cveId: text().notNull(),
    groupId: text()
      .notNull()
      .references(() => attackGroups.attackId, { onDelete: 'cascade' }),
    via: text().notNull(),
    /** ATT&CK id or STIX id of the campaign, software or relationship that names the CVE. */
    viaObject: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.cveId, table.groupId, table.via, table.viaObject] })],
);

/**
 * A CVE mapped to an ATT&CK technique by a published mapping. `mappingType` is the mapping's
 * role: `exploitation_technique`, `primary_impact`, `secondary_impact` or `uncategorized`.
 * No foreign key to `attack_techniques`: a mapping may name a technique of another ATT&CK release.
 */
export const cveAttackTechniques = pgTable(
  'cve_attack_techniques',
  {
    cveId: text().notNull(),
    techniqueId: text().notNull(),
    mappingType: text().notNull(),
    /** Technique name as the mapping gives it, shown when the technique is not imported. */
    techniqueName: text(),
    /** Name of the mapping set, e.g. `mappings-explorer kev 07/28/2025 attack 16.1 enterprise`. */
    source: text().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.cveId, table.techniqueId, table.mappingType, table.source] }),
    index('cve_attack_techniques_technique_idx').on(table.techniqueId),
  ],
);

export type AttackTechnique = typeof attackTechniques.$inferSelect;
export type AttackGroup = typeof attackGroups.$inferSelect;
