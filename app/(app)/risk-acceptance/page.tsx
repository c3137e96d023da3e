import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listExpiringRules } from '@/lib/risk-acceptance/expiry';
import { listRiskAcceptanceRules, type RiskAcceptanceRuleView } from '@/lib/risk-acceptance/rules';
import { REASON_TYPE_LABELS, TYPE_LABELS, type RuleState } from '@/lib/risk-acceptance/schemas';

export const metadata: Metadata = { title: 'Risk acceptance' };

const SECTIONS: { state: RuleState; title: string; empty: string }[] = [
  { state: 'active', title: 'Active', empty: 'No rule is active: every open finding counts toward Risk Scores.' },
  { state: 'upcoming', title: 'Upcoming', empty: 'No rule starts later.' },
  { state: 'expired', title: 'Expired', empty: 'No rule has ended.' },
  { state: 'revoked', title: 'Revoked', empty: 'No rule was revoked.' },
];

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

export default async function RiskAcceptancePage() {
  const { db, user } = await requireSession();
  const [rules, expiring] = await Promise.all([listRiskAcceptanceRules(db), listExpiringRules(db)]);
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'risk_acceptance', 'write');

  return (
    <>
      <PageHeading title="Risk acceptance" description="Findings under an active rule do not count toward Risk Scores until the rule ends or is revoked.">
        {canEdit ? (
          <Link href="/risk-acceptance/new" className="rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-white hover:bg-tremor-brand-emphasis">
            New rule
          </Link>
        ) : null}
      </PageHeading>
      <Card id="expiring" className="mb-6" data-testid="expiring-rules">
        <h2 className={SECTION_TITLE}>Expiring risk acceptances</h2>
        {expiring.length === 0 ? (
          <p className="mt-2 text-tremor-default text-tremor-content-subtle">No rule ends within its notice period.</p>
        ) : (
          <ul className="mt-3 divide-y divide-tremor-border text-tremor-default">
            {expiring.map((rule) => (
              <li key={rule.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                <Link href={`/risk-acceptance/${rule.id}`} className="font-medium text-tremor-brand hover:underline">
                  {rule.name}
                </Link>
                <span className="text-tremor-content">
                  ends in {rule.daysLeft} {rule.daysLeft === 1 ? 'day' : 'days'} (<DateTime iso={rule.endDate} />) · {rule.findingCount} {rule.findingCount === 1 ? 'finding' : 'findings'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <div className="space-y-6">
        {SECTIONS.map((section) => (
          <RuleSection key={section.state} title={section.title} empty={section.empty} rules={rules.filter((rule) => rule.state === section.state)} />
        ))}
      </div>
    </>
  );
}

function RuleSection({ title, empty, rules }: { title: string; empty: string; rules: RiskAcceptanceRuleView[] }) {
  return (
    <Card>
      <h2 className={SECTION_TITLE}>
        {title} ({rules.length})
      </h2>
      {rules.length === 0 ? (
        <p className="mt-2 text-tremor-default text-tremor-content-subtle">{empty}</p>
      ) : (
        <table className="mt-3 w-full text-left text-tremor-default" data-testid={`rules-${title.toLowerCase()}`}>
          <thead>
            <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
              <th scope="col" className="py-2 font-medium">Rule</th>
              <th scope="col" className="py-2 font-medium">Type</th>
              <th scope="col" className="py-2 font-medium">Period</th>
              <th scope="col" className="py-2 text-right font-medium">Findings</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-tremor-border">
            {rules.map((rule) => (
              <tr key={rule.id}>
                <td className="py-2">
                  <Link href={`/risk-acceptance/${rule.id}`} className="font-medium text-tremor-brand hover:underline">
                    {rule.name}
                  </Link>
                  <p className="mt-0.5 truncate font-mono text-tremor-label text-tremor-content" title={rule.query}>
                    {rule.query}
                  </p>
                </td>
                <td className="py-2">
                  {TYPE_LABELS[rule.type]}
                  <p className="text-tremor-label text-tremor-content-subtle">{REASON_TYPE_LABELS[rule.reasonType]}</p>
                </td>
                <td className="py-2">
                  <DateTime iso={rule.startDate} /> to {rule.endDate ? <DateTime iso={rule.endDate} /> : 'no end'}
                </td>
                <td className="py-2 text-right tabular-nums">{rule.findingCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
