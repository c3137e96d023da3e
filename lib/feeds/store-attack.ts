import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { toJson } from '../ingest/store/sql-params';
import type { AttackData } from './parse-attack';

/** Rows per statement, so one JSON parameter stays small. */
const BATCH = 2000;

/**
 * Stores ATT&CK data. Each kind of data present in the input replaces what is stored of it:
 * techniques, groups with their CVE links, and each named mapping set. Then every CVE's
 * `threat_actors` in the vulnerability catalog is rebuilt from the group links, and the CVEs
 * whose list changed are queued in `feed_changed_cves` for rescoring. Returns the number of
 * catalog rows changed.
 */
export async function storeAttackData(tx: Tx, data: AttackData): Promise<number> {
  if (data.techniques) {
    await tx.execute(sql`delete from attack_techniques`);
    // ATT&CK keeps a revoked object next to its replacement under the same id; the active one wins.
    const byId = new Map<string, (typeof data.techniques)[number]>();
    for (const entry of data.techniques) {
      const seen = byId.get(entry.attackId);
      if (!seen || (seen.retired && !entry.retired)) byId.set(entry.attackId, entry);
    }
    const techniques = [...byId.values()];
    for (let start = 0; start < techniques.length; start += BATCH) {
      const rows = techniques.slice(start, start + BATCH).map((entry) => ({
        attack_id: entry.attackId, stix_id: entry.stixId, name: entry.name, tactics: entry.tactics, retired: entry.retired, url: entry.url,
      }));
      await tx.execute(sql`
        insert into attack_techniques (attack_id, stix_id, name, tactics, retired, url)
        select x.attack_id, x.stix_id, x.name, x.tactics, x.retired, x.url
        from json_to_recordset(${toJson(rows)}::json) as x(attack_id text, stix_id text, name text, tactics text[], retired boolean, url text)
      `);
    }
  }

  if (data.groups) {
    await tx.execute(sql`delete from attack_groups`);
    const rows = data.groups.map((group) => ({ attack_id: group.attackId, stix_id: group.stixId, name: group.name, aliases: group.aliases, url: group.url }));
    await tx.execute(sql`
      insert into attack_groups (attack_id, stix_id, name, aliases, url)
      select x.attack_id, x.stix_id, x.name, x.aliases, x.url
      from json_to_recordset(${toJson(rows)}::json) as x(attack_id text, stix_id text, name text, aliases text[], url text)
      on conflict (attack_id) do nothing
    `);
    for (let start = 0; start < data.cveGroups.length; start += BATCH) {
      const links = data.cveGroups.slice(start, start + BATCH).map((link) => ({ cve_id: link.cveId, group_id: link.groupId, via: link.via, via_object: link.viaObject }));
      await tx.execute(sql`
        insert into cve_attack_groups (cve_id, group_id, via, via_object)
        select x.cve_id, x.group_id, x.via, x.via_object
        from json_to_recordset(${toJson(links)}::json) as x(cve_id text, group_id text, via text, via_object text)
        on conflict do nothing
      `);
    }
  }

  for (const [source, mappings] of data.mappings) {
    await tx.execute(sql`delete from cve_attack_techniques where source = ${source}`);
    for (let start = 0; start < mappings.length; start += BATCH) {
      const rows = mappings.slice(start, start + BATCH).map((entry) => ({ cve_id: entry.cveId, technique_id: entry.techniqueId, mapping_type: entry.mappingType, technique_name: entry.techniqueName }));
      await tx.execute(sql`
        insert into cve_attack_techniques (cve_id, technique_id, mapping_type, technique_name, source)
        select x.cve_id, x.technique_id, x.mapping_type, x.technique_name, ${source}
        from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, technique_id text, mapping_type text, technique_name text)
        on conflict do nothing
      `);
    }
  }

  if (!data.groups) return 0;
  const changed = await queryRows<{ cve_id: string }>(tx, sql`
    with actors as (
      select l.cve_id, array_agg(distinct g.name order by g.name) as names
      from cve_attack_groups l join attack_groups g on g.attack_id = l.group_id
      group by l.cve_id
    ),
    cleared as (
      update vulnerabilities v set threat_actors = '{}', updated_at = now()
      where cardinality(v.threat_actors) > 0 and not exists (select 1 from actors a where a.cve_id = v.cve_id)
      returning v.cve_id
    ),
    upserted as (
      insert into vulnerabilities as v (cve_id, threat_actors)
      select cve_id, names from actors
      on conflict (cve_id) do update set threat_actors = excluded.threat_actors, updated_at = now()
      where v.threat_actors is distinct from excluded.threat_actors
      returning v.cve_id
    ),
    changed as (select cve_id from cleared union select cve_id from upserted)
    insert into feed_changed_cves select cve_id from changed on conflict do nothing
    returning cve_id
  `);
  return changed.length;
}
