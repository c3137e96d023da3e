import { Card } from '@tremor/react';
import type { Db } from '@/db/client';
import { ExternalLink } from '@/components/ui/links';
import { getFindingAttackContext } from '@/lib/findings/attack-context';

const MAPPING_LABELS: Record<string, string> = {
  exploitation_technique: 'exploitation',
  primary_impact: 'primary impact',
  secondary_impact: 'secondary impact',
  uncategorized: 'uncategorized',
};

/** Lists the ATT&CK tactics and techniques mapped to a finding's CVEs and the groups tied to them. */
export async function AttackCard({ db, findingId }: { db: Db; findingId: number }) {
  const { techniques, groups } = await getFindingAttackContext(db, findingId);
  if (techniques.length === 0 && groups.length === 0) return null;

  return (
    <Card className="space-y-6" data-testid="finding-attack">
      {techniques.length > 0 ? (
        <section>
          <h2 className="mb-3 text-tremor-title font-medium text-tremor-content-strong">MITRE ATT&amp;CK techniques</h2>
          <table className="w-full text-left text-tremor-default">
            <thead>
              <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 font-medium">Tactics</th>
                <th scope="col" className="py-2 font-medium">Technique</th>
                <th scope="col" className="py-2 font-medium">Mapped as</th>
                <th scope="col" className="py-2 font-medium">CVE</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {techniques.map((technique) => (
                <tr key={technique.techniqueId}>
                  <td className="py-1.5">{technique.tactics.length > 0 ? technique.tactics.join(', ') : '—'}</td>
                  <td className="py-1.5">
                    {technique.url ? <ExternalLink href={technique.url}>{`${technique.techniqueId} ${technique.name}`}</ExternalLink> : `${technique.techniqueId} ${technique.name}`}
                  </td>
                  <td className="py-1.5 text-tremor-content-subtle">{technique.mappingTypes.map((type) => MAPPING_LABELS[type] ?? type).join(', ')}</td>
                  <td className="py-1.5 font-mono text-tremor-label">{technique.cveIds.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {groups.length > 0 ? (
        <section>
          <h2 className="mb-3 text-tremor-title font-medium text-tremor-content-strong">Threat actors</h2>
          <ul className="space-y-1.5 text-tremor-default">
            {groups.map((group) => (
              <li key={group.groupId}>
                {group.url ? <ExternalLink href={group.url}>{`${group.name} (${group.groupId})`}</ExternalLink> : `${group.name} (${group.groupId})`}
                {group.aliases.length > 0 ? <span className="ml-2 text-tremor-content-subtle">also {group.aliases.join(', ')}</span> : null}
                <span className="ml-2 text-tremor-label text-tremor-content-subtle">
                  {group.cveIds.join(', ')} via {group.via.join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Card>
  );
}
