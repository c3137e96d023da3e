import Link from 'next/link';
import type { Db } from '@/db/client';
import { listExpiringRules } from '@/lib/risk-acceptance/expiry';

/** Shows a line on the home page when risk acceptances end within their notice period. */
export async function ExpiringAcceptancesNotice({ db }: { db: Db }) {
  const expiring = await listExpiringRules(db);
  if (expiring.length === 0) return null;
  const first = expiring[0]!;
  return (
    <p className="mb-6 rounded-tremor-default border border-amber-300 bg-amber-50 px-4 py-3 text-tremor-default text-amber-900" data-testid="expiring-acceptances">
      <Link href="/risk-acceptance#expiring" className="font-medium underline">
        {expiring.length} risk {expiring.length === 1 ? 'acceptance ends' : 'acceptances end'} soon
      </Link>
      : the first, {first.name}, in {first.daysLeft} {first.daysLeft === 1 ? 'day' : 'days'}. Its findings count toward Risk Scores again when it ends.
    </p>
  );
}
