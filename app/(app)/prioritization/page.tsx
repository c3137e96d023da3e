import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { DetectionScore } from '@/components/ui/badges';
import { PageHeading } from '@/components/ui/states';
import { requireSession } from '@/lib/auth/session';
import { remediationPlan } from '@/lib/scoring/prioritization';

export const metadata: Metadata = { title: 'Prioritization' };

export default async function PrioritizationPage() {
  const { db } = await requireSession();
  const plan = await remediationPlan(db);

  return (
    <>
      <PageHeading title="What to fix first" />
      <Card>
        <p className="text-tremor-default">
          Each fix, a single finding or one CVE on every asset it affects, ranked by how far it would lower the organization&apos;s v2 Risk Score (now{' '}
          {plan.score.toFixed(1)}). The drop is computed by re-evaluating the affected assets and the organization without the fixed findings. While an asset at the 1000 cap holds
          the organization at 1000, fixes that cannot move it are ranked by how far they lower the affected assets&apos; v2 before the cap.
        </p>
        {plan.items.length === 0 ? (
          <p className="mt-4 text-tremor-default text-tremor-content-subtle">No open finding adds to the Risk Score.</p>
        ) : (
          <table className="mt-4 w-full text-left text-tremor-default" data-testid="remediation-plan">
            <thead>
              <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 font-medium">#</th>
                <th scope="col" className="py-2 font-medium">Fix</th>
                <th scope="col" className="py-2 font-medium">Scope</th>
                <th scope="col" className="py-2 font-medium">Detection Score</th>
                <th scope="col" className="py-2 text-right font-medium">Asset v2 drop before cap</th>
                <th scope="col" className="py-2 text-right font-medium">Expected drop</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {plan.items.map((item, index) =>
                item.kind === 'finding' ? (
                  <tr key={`finding-${item.findingId}`}>
                    <td className="py-2 tabular-nums">{index + 1}</td>
                    <td className="max-w-[28rem] truncate py-2">
                      <Link href={`/findings/${item.findingId}`} className="font-medium text-tremor-brand hover:underline">
                        {item.title}
                      </Link>
                    </td>
                    <td className="py-2">
                      <Link href={`/assets/${item.assetId}`} className="hover:underline">
                        {item.assetName}
                      </Link>
                    </td>
                    <td className="py-2">
                      <DetectionScore score={item.detectionScore} />
                    </td>
                    <td className="py-2 text-right tabular-nums">−{item.uncappedDrop.toFixed(1)}</td>
                    <td className="py-2 text-right tabular-nums text-tremor-content-strong">−{item.drop.toFixed(1)}</td>
                  </tr>
                ) : (
                  <tr key={`cve-${item.cveId}`}>
                    <td className="py-2 tabular-nums">{index + 1}</td>
                    <td className="py-2">
                      <span className="font-medium text-tremor-content-strong">{item.cveId}</span>
                    </td>
                    <td className="py-2">
                      {item.findingCount} findings on {item.assetCount} {item.assetCount === 1 ? 'asset' : 'assets'}
                    </td>
                    <td className="py-2">
                      <DetectionScore score={item.maxDetectionScore} />
                    </td>
                    <td className="py-2 text-right tabular-nums">−{item.uncappedDrop.toFixed(1)}</td>
                    <td className="py-2 text-right tabular-nums text-tremor-content-strong">−{item.drop.toFixed(1)}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
