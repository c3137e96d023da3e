import type { Metadata } from 'next';
import { GroupRiskExplanationView } from '@/components/scoring/group-risk-explanation';
import { hrefWith } from '@/components/ui/links';
import { PageHeading } from '@/components/ui/states';
import { requireSession } from '@/lib/auth/session';
import { explainGroupRisk } from '@/lib/scoring/groups';

export const metadata: Metadata = { title: 'Organization Risk Score' };

export default async function OrganizationRiskPage() {
  const { db } = await requireSession();
  const explanation = await explainGroupRisk(db, { kind: 'organization' });
  if (!explanation) throw new Error('the organization always has a Risk Score explanation');

  return (
    <>
      <PageHeading title="Organization Risk Score" />
      <GroupRiskExplanationView explanation={explanation} membersHref={hrefWith('/assets', { sort: 'riskScore', direction: 'desc' })} />
    </>
  );
}
