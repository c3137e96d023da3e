import { Card } from '@tremor/react';
import type { Db } from '@/db/client';
import { BandBadge, DetectionScore } from '@/components/ui/badges';
import { detectionScoreBand } from '@/lib/scoring/bands';
import { explainDetectionScore } from '@/lib/scoring/explain-finding';
import { formatPoints } from './contributions-table';

/** Lists the factors of a finding's Detection Score with the points each adds. */
export async function DetectionScoreCard({ db, findingId }: { db: Db; findingId: number }) {
  const explanation = await explainDetectionScore(db, findingId);
  if (!explanation) return null;
  const { current, stored } = explanation;

  return (
    <Card>
      <h2 className="flex flex-wrap items-center gap-3 text-tremor-title font-medium text-tremor-content-strong">
        Why this Detection Score <DetectionScore score={current.score} /> <BandBadge band={detectionScoreBand(current.score)} />
      </h2>
      {stored !== current.score ? (
        <p className="mt-1 text-tremor-default text-tremor-content-subtle">
          The stored score is {stored}, computed when the finding was imported or its CVEs last changed in a feed; from today&apos;s data it is {current.score}.
        </p>
      ) : null}
      <table className="mt-4 w-full text-left text-tremor-default" data-testid="detection-score-factors">
        <thead>
          <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
            <th scope="col" className="py-2 font-medium">Factor</th>
            <th scope="col" className="py-2 font-medium">Value</th>
            <th scope="col" className="py-2 text-right font-medium">Points</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-tremor-border">
          {current.factors.map((factor) => (
            <tr key={factor.name}>
              <td className="py-1.5">{factor.name}</td>
              <td className="py-1.5 text-tremor-content-subtle">{factor.value}</td>
              <td className="py-1.5 text-right tabular-nums text-tremor-content-strong">{formatPoints(factor.contribution)}</td>
            </tr>
          ))}
          <tr>
            <td className="py-1.5 font-medium" colSpan={2}>
              Detection Score, rounded and kept within 1–100
            </td>
            <td className="py-1.5 text-right font-medium tabular-nums text-tremor-content-strong">{current.score}</td>
          </tr>
        </tbody>
      </table>
    </Card>
  );
}
