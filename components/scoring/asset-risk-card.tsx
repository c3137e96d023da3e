import { Card } from '@tremor/react';
import type { Db } from '@/db/client';
import { BandBadge, RiskScore } from '@/components/ui/badges';
import { riskBand } from '@/lib/scoring/bands';
import { explainAssetRisk } from '@/lib/scoring/explain-asset';
import { formatPoints } from './contributions-table';
import { AcceptedFindingsNote } from '@/components/risk-acceptance/accepted-findings-note';

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

/** Explains an asset's v1 and v2 Risk Scores term by term, rebuilt from its open findings and tags. */
export async function AssetRiskCard({ db, assetId }: { db: Db; assetId: number }) {
  const explanation = await explainAssetRisk(db, assetId);
  if (!explanation) return null;
  const { v1, v2 } = explanation;
  const criticalitySource = explanation.criticalityTag ? `from tag ${explanation.criticalityTag}` : 'default, no tag sets one';

  return (
    <Card>
      <h2 className={SECTION_TITLE}>Why this Risk Score</h2>
      <p className="mt-1 text-tremor-default text-tremor-content-subtle">
        Criticality {explanation.criticality} ({criticalitySource}) · {explanation.internetFacing ? 'internet-facing' : 'not internet-facing'} · fixed findings
        do not count
      </p>
      <AcceptedFindingsNote summary={explanation.acceptedFindings} />
      <div className="mt-4 grid gap-6 md:grid-cols-2">
        <section data-testid="asset-risk-v2">
          <h3 className="flex items-center gap-3 text-tremor-default font-medium text-tremor-content-strong">
            v2 <RiskScore score={v2.score} /> <BandBadge band={riskBand(v2.score)} />
          </h3>
          <p className="mt-1 text-tremor-label text-tremor-content-subtle">min(1000, criticality × external × [max × g + Σ count × W])</p>
          <ExplanationTerms
            terms={v2.terms}
            footer={[
              ['Sum', formatPoints(v2.base)],
              ['× criticality × external', `× ${v2.criticality} × ${v2.external}`],
              ['Risk Score v2', v2.capped ? `${v2.score} (capped at 1000)` : String(v2.score)],
            ]}
          />
        </section>
        <section data-testid="asset-risk-v1">
          <h3 className="flex items-center gap-3 text-tremor-default font-medium text-tremor-content-strong">
            v1 <RiskScore score={v1.score} /> <BandBadge band={riskBand(v1.score)} />
          </h3>
          <p className="mt-1 text-tremor-label text-tremor-content-subtle">min(1000, criticality × Σ W1 × mean × count^0.01)</p>
          <ExplanationTerms
            terms={v1.terms}
            footer={[
              ['× criticality', `× ${explanation.criticality}`],
              ['Risk Score v1', String(v1.score)],
            ]}
          />
        </section>
      </div>
    </Card>
  );
}

function ExplanationTerms({ terms, footer }: { terms: { name: string; value: string; points: number }[]; footer: [string, string][] }) {
  return (
    <table className="mt-3 w-full text-left text-tremor-default">
      <tbody className="divide-y divide-tremor-border">
        {terms.length === 0 ? (
          <tr>
            <td className="py-1.5 text-tremor-content-subtle">No open findings.</td>
          </tr>
        ) : (
          terms.map((term) => (
            <tr key={term.name}>
              <td className="py-1.5">{term.name}</td>
              <td className="py-1.5 text-tremor-content-subtle">{term.value}</td>
              <td className="py-1.5 text-right tabular-nums text-tremor-content-strong">{formatPoints(term.points)}</td>
            </tr>
          ))
        )}
        {footer.map(([name, value]) => (
          <tr key={name}>
            <td className="py-1.5 font-medium" colSpan={2}>
              {name}
            </td>
            <td className="py-1.5 text-right tabular-nums font-medium text-tremor-content-strong">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
