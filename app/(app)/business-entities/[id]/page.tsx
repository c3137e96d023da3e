import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { GroupRiskExplanationView } from '@/components/scoring/group-risk-explanation';
import { hrefWith } from '@/components/ui/links';
import { requireSession } from '@/lib/auth/session';
import { parseId } from '@/lib/http/ids';
import { quoteQueryValue } from '@/lib/query/quote';
import { explainGroupRisk } from '@/lib/scoring/groups';

export const metadata: Metadata = { title: 'Business entity' };

interface BusinessEntityPageProps {
  params: Promise<{ id: string }>;
}

export default async function BusinessEntityPage({ params }: BusinessEntityPageProps) {
  const { db } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const explanation = await explainGroupRisk(db, { kind: 'business_entity', id });
  if (!explanation) notFound();
  // NOTE: the query compares names ignoring case, so a second entity whose name differs only in
  // case would add its members to this list.
  const membersHref = hrefWith('/assets', { sort: 'riskScore', direction: 'desc', q: `asset.businessEntity.name:${quoteQueryValue(explanation.name)}` });

  return (
    <article className="space-y-6">
      <header>
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/business-entities" className="hover:text-tremor-content-strong hover:underline">
            Business entities
          </Link>
        </p>
        <h1 className="mt-2 break-words text-2xl font-semibold text-tremor-content-strong">{explanation.name}</h1>
        <p className="mt-1 text-tremor-default text-tremor-content-subtle">Members are the assets of the business entity&apos;s tags, each counted once.</p>
      </header>
      <GroupRiskExplanationView explanation={explanation} membersHref={membersHref} />
    </article>
  );
}
