// Suggested fields for common CSV column names, so a new connector profile starts with the
// obvious mapping instead of every column kept in raw.

import type { ColumnMapping, ModelField } from './profile-schema';

/** Lower-case column name → model field. The first column to claim a field gets it. */
const SUGGESTIONS: Readonly<Record<string, ModelField>> = {
  host: 'asset.hostname',
  hostname: 'asset.hostname',
  'host name': 'asset.hostname',
  fqdn: 'asset.fqdn',
  ip: 'asset.ip',
  'ip address': 'asset.ip',
  title: 'finding.title',
  name: 'finding.title',
  severity: 'finding.severity',
  risk: 'finding.severity',
  cve: 'finding.cve',
  description: 'finding.description',
  solution: 'finding.solution',
  port: 'finding.port',
  protocol: 'finding.protocol',
};

/**
 * Adds the suggested field of each column that has none yet. A column already mapped, and a field
 * already taken by another column, are kept as they are, so a saved mapping is never changed.
 */
export function suggestMapping(columns: readonly string[], mapping: ColumnMapping): ColumnMapping {
  const next: ColumnMapping = { ...mapping };
  const taken = new Set(Object.values(mapping));
  for (const column of columns) {
    if (column in next) continue;
    const field = SUGGESTIONS[column.trim().toLowerCase()];
    if (field === undefined || taken.has(field)) continue;
    next[column] = field;
    taken.add(field);
  }
  return next;
}
