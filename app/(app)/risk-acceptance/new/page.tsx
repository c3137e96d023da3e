import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { RuleForm } from '@/components/risk-acceptance/rule-form';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'New risk acceptance rule' };

export default async function NewRiskAcceptancePage() {
  const { user } = await requireSession();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'risk_acceptance', 'write');
  return (
    <>
      <PageHeading title="New risk acceptance rule">
        <Link href="/risk-acceptance" className="text-tremor-default text-tremor-brand hover:underline">
          All rules
        </Link>
      </PageHeading>
      <Card>
        {canEdit ? (
          <RuleForm today={new Date().toISOString().slice(0, 10)} />
        ) : (
          <p className="text-tremor-default text-tremor-content">Your role ({user.role}) may view risk acceptances but not create them; the manager and admin roles can.</p>
        )}
      </Card>
    </>
  );
}
