import { Card } from '@tremor/react';
import Link from 'next/link';
import type { Db } from '@/db/client';
import { StatusBadge } from '@/components/ui/badges';
import { DateTime } from '@/components/ui/date-time';
import { getStatusHistory } from '@/lib/findings/status-history';

/** Renders a finding's status changes as a timeline (first found, fixed, reopened) with the import behind each. */
export async function StatusTimelineCard({ db, findingId, firstFound, lastFound }: { db: Db; findingId: number; firstFound: string; lastFound: string }) {
  const changes = await getStatusHistory(db, findingId);

  return (
    <Card data-testid="finding-status-history">
      <h2 className="mb-1 text-tremor-title font-medium text-tremor-content-strong">Status history</h2>
      <p className="mb-4 text-tremor-default text-tremor-content-subtle">
        First found <DateTime iso={firstFound} />, last found <DateTime iso={lastFound} />.
      </p>
      {changes.length === 0 ? (
        <p className="text-tremor-default text-tremor-content-subtle">No status changes were recorded; the finding was imported before Riskboard kept its history.</p>
      ) : (
        <ol className="relative ml-2 space-y-4 border-l border-tremor-border">
          {changes.map((change) => (
            <li key={change.id} className="ml-4">
              <span aria-hidden="true" className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-tremor-brand" />
              <div className="flex flex-wrap items-center gap-2 text-tremor-default">
                <DateTime iso={change.changedAt} />
                {change.fromStatus ? (
                  <>
                    <StatusBadge status={change.fromStatus} />
                    <span aria-label="became">→</span>
                  </>
                ) : null}
                <StatusBadge status={change.toStatus} />
              </div>
              <p className="mt-1 break-words text-tremor-default text-tremor-content">
                {change.reason}
                {change.import ? (
                  <>
                    {' '}
                    (
                    <Link href={`/imports#import-${change.import.id}`} className="text-tremor-brand hover:underline">
                      import {change.import.id}, {change.import.fileName}
                    </Link>
                    )
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
