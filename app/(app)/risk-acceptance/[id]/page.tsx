import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RevokeRuleButton } from '@/components/risk-acceptance/revoke-button';
import { RuleForm } from '@/components/risk-acceptance/rule-form';
import { RuleStateBadge } from '@/components/risk-acceptance/rule-state-badge';
import { DateTime } from '@/components/ui/date-time';
import { Fact, FactGrid } from '@/components/ui/fields';
import { hrefWith } from '@/components/ui/links';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { parseId } from '@/lib/http/ids';
import { getRiskAcceptanceRule } from '@/lib/risk-acceptance/rules';
import { REASON_TYPE_LABELS, TYPE_LABELS } from '@/lib/risk-acceptance/schemas';

export const metadata: Metadata = { title: 'Risk acceptance rule' };

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

export default async function RiskAcceptanceRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { db, user } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const rule = await getRiskAcceptanceRule(db, id);
  if (!rule) notFound();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'risk_acceptance', 'write') && rule.state !== 'revoked';

  return (
    <article className="space-y-6">
      <header className="space-y-3">
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/risk-acceptance" className="hover:text-tremor-content-strong hover:underline">
            Risk acceptance
          </Link>
          <span aria-hidden="true"> / </span>
          Rule {rule.id}
        </p>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h1 className="flex items-center gap-3 text-2xl font-semibold text-tremor-content-strong">
            {rule.name} <RuleStateBadge state={rule.state} />
          </h1>
          {canEdit ? <RevokeRuleButton ruleId={rule.id} name={rule.name} /> : null}
        </div>
      </header>
      <Card>
        <FactGrid>
          <Fact label="Type">{TYPE_LABELS[rule.type]}</Fact>
          <Fact label="Reason">{REASON_TYPE_LABELS[rule.reasonType]}</Fact>
          <Fact label="Start">
            <DateTime iso={rule.startDate} />
          </Fact>
          <Fact label="End">{rule.endDate ? <DateTime iso={rule.endDate} /> : 'no end date'}</Fact>
          <Fact label="Notice">{rule.notifyDaysBefore === 0 ? 'none' : `${rule.notifyDaysBefore} days before the end`}</Fact>
          <Fact label="Findings">
            {rule.state === 'revoked' ? (
              rule.findingCount
            ) : (
              <Link href={hrefWith('/findings', { q: `finding.riskAcceptance.ruleId:${rule.id}` })} className="text-tremor-brand hover:underline" data-testid="rule-findings-link">
                {rule.findingCount} {rule.findingCount === 1 ? 'finding' : 'findings'}
              </Link>
            )}
          </Fact>
          <Fact label="Created">
            <DateTime iso={rule.createdAt} /> {rule.createdBy ? `by ${rule.createdBy}` : ''}
          </Fact>
          {rule.revokedAt ? (
            <Fact label="Revoked">
              <DateTime iso={rule.revokedAt} /> {rule.revokedBy ? `by ${rule.revokedBy}` : ''}
            </Fact>
          ) : null}
          <Fact label="Query" wide>
            <span className="font-mono">{rule.query}</span>
          </Fact>
          <Fact label="Justification" wide>
            <span className="whitespace-pre-line">{rule.justification}</span>
          </Fact>
          {rule.refreshError ? (
            <Fact label="Last refresh failed" wide>
              <span className="text-red-700">{rule.refreshError}</span>
            </Fact>
          ) : null}
        </FactGrid>
      </Card>
      {canEdit ? (
        <Card>
          <h2 className={`mb-4 ${SECTION_TITLE}`}>Edit</h2>
          <RuleForm
            ruleId={rule.id}
            today={new Date().toISOString().slice(0, 10)}
            initial={{
              name: rule.name,
              type: rule.type,
              reasonType: rule.reasonType,
              justification: rule.justification,
              query: rule.query,
              startDate: rule.startDate,
              endDate: rule.endDate ?? '',
              notifyDaysBefore: rule.notifyDaysBefore,
            }}
          />
        </Card>
      ) : null}
    </article>
  );
}
