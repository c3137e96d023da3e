import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';

/** An ATT&CK technique mapped to one of a finding's CVEs. */
export interface FindingTechnique {
  techniqueId: string;
  /** From the imported ATT&CK release, else as the mapping names it. */
  name: string;
  tactics: string[];
  /** `exploitation_technique`, `primary_impact`, `secondary_impact` or `uncategorized`. */
  mappingTypes: string[];
  cveIds: string[];
  url: string | null;
}

/** An ATT&CK group tied to one of a finding's CVEs. */
export interface FindingThreatGroup {
  groupId: string;
  name: string;
  aliases: string[];
  /** Paths by which ATT&CK ties the group to the CVE: group, campaign, software or relationship. */
  via: string[];
  cveIds: string[];
  url: string | null;
}

export interface FindingAttackContext {
  techniques: FindingTechnique[];
  groups: FindingThreatGroup[];
}

/**
 * Reads the ATT&CK techniques mapped to a finding's CVEs (all mapping sets merged) and the
 * groups tied to them, ordered by technique id and group name.
 */
export async function getFindingAttackContext(db: Db | Tx, findingId: number): Promise<FindingAttackContext> {
  const techniques = await queryRows<{ technique_id: string; name: string; tactics: string[]; mapping_types: string[]; cve_ids: string[]; url: string | null }>(
    db,
    sql`select m.technique_id, coalesce(t.name, max(m.technique_name), m.technique_id) as name, coalesce(t.tactics, '{}') as tactics,
          array_agg(distinct m.mapping_type order by m.mapping_type) as mapping_types,
          array_agg(distinct m.cve_id order by m.cve_id) as cve_ids, t.url
        from findings f
        join cve_attack_techniques m on m.cve_id = any(array_append(f.cve_ids, f.cve_id))
        left join attack_techniques t on t.attack_id = m.technique_id
        where f.id = ${findingId}
        group by m.technique_id, t.attack_id
        order by m.technique_id`,
  );
  const groups = await queryRows<{ group_id: string; name: string; aliases: string[]; via: string[]; cve_ids: string[]; url: string | null }>(
    db,
    sql`select g.attack_id as group_id, g.name, g.aliases, array_agg(distinct l.via order by l.via) as via,
          array_agg(distinct l.cve_id order by l.cve_id) as cve_ids, g.url
        from findings f
        join cve_attack_groups l on l.cve_id = any(array_append(f.cve_ids, f.cve_id))
        join attack_groups g on g.attack_id = l.group_id
        where f.id = ${findingId}
        group by g.attack_id
        order by g.name`,
  );
  return {
    techniques: techniques.map((row) => ({ techniqueId: row.technique_id, name: row.name, tactics: row.tactics, mappingTypes: row.mapping_types, cveIds: row.cve_ids, url: row.url })),
    groups: groups.map((row) => ({ groupId: row.group_id, name: row.name, aliases: row.aliases, via: row.via, cveIds: row.cve_ids, url: row.url })),
  };
}
