import Link from 'next/link';
import type { AcceptedFindingsSummary } from '@/lib/risk-acceptance/exclusions';

/** Names the open findings a score leaves out because an active risk acceptance covers them, and the rules. */
export function AcceptedFindingsNote({ summary }: { summary: AcceptedFindingsSummary }) {
  if (summary.findingCount === 0) return null;
  return (
    <p className="mt-1 text-tremor-default text-tremor-content-subtle" data-testid="accepted-findings-note">
      {summary.findingCount} open {summary.findingCount === 1 ? 'finding is' : 'findings are'} left out under an active risk acceptance:{' '}
      {summary.rules.map((rule, index) => (
        <span key={rule.ruleId}>
          {index > 0 ? ', ' : ''}
          <Link href={`/risk-acceptance/${rule.ruleId}`} className="text-tremor-brand hover:underline">
            {rule.name}
          </Link>{' '}
          ({rule.findingCount})
        </span>
      ))}
      .
    </p>
  );
}
