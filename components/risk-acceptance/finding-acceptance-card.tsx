import { Card } from '@tremor/react';
import Link from 'next/link';
import type { Db } from '@/db/client';
import { DateTime } from '@/components/ui/date-time';
import { acceptancesOfFinding } from '@/lib/risk-acceptance/exclusions';
import { REASON_TYPE_LABELS, TYPE_LABELS, type ReasonType } from '@/lib/risk-acceptance/schemas';
import { RuleStateBadge } from './rule-state-badge';

/**
 * Shows the risk acceptance rules that cover a finding. Under an active one the finding is left
 * out of Risk Scores; its Detection Score stays as it is.
 */
export async function FindingAcceptanceCard({ db, findingId }: { db: Db; findingId: number }) {
  const acceptances = await acceptancesOfFinding(db, findingId);
  if (acceptances.length === 0) return null;
  const active = acceptances.some((acceptance) => acceptance.state === 'active');
  return (
    <Card data-testid="finding-acceptance">
      <h2 className="text-tremor-title font-medium text-tremor-content-strong">Risk acceptance</h2>
      <p className="mt-1 text-tremor-default text-tremor-content-subtle">
        {active
          ? 'An active rule covers this finding: it does not count toward Risk Scores. Its Detection Score is unchanged.'
          : 'No rule covers this finding now, so it counts toward Risk Scores.'}
      </p>
      <ul className="mt-4 divide-y divide-tremor-border">
        {acceptances.map((acceptance) => (
          <li key={acceptance.ruleId} className="py-3 text-tremor-default">
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <Link href={`/risk-acceptance/${acceptance.ruleId}`} className="font-medium text-tremor-brand hover:underline">
                {acceptance.name}
              </Link>
              <RuleStateBadge state={acceptance.state} />
              <span className="text-tremor-content">{TYPE_LABELS[acceptance.type]}</span>
              <span className="text-tremor-content-subtle">{REASON_TYPE_LABELS[acceptance.reasonType as ReasonType] ?? acceptance.reasonType}</span>
            </p>
            <p className="mt-1 text-tremor-content-subtle">
              <DateTime iso={acceptance.startDate} /> to {acceptance.endDate ? <DateTime iso={acceptance.endDate} /> : 'no end date'}
            </p>
            <p className="mt-1 whitespace-pre-line text-tremor-content">{acceptance.justification}</p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
