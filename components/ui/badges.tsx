import { Badge } from '@tremor/react';
import { BAND_BAR_CLASSES, BAND_COLORS, BAND_LABELS, SEVERITY_COLORS } from '@/components/ui/colors';
import { isSeverity, severityLabel } from '@/lib/findings/severity';
import { detectionScoreBand, riskBand, type Band } from '@/lib/scoring/bands';

export function SeverityBadge({ severity }: { severity: number }) {
  const color = isSeverity(severity) ? SEVERITY_COLORS[severity] : 'gray';
  return (
    <Badge color={color} size="xs">
      {severityLabel(severity)}
    </Badge>
  );
}

export function BandBadge({ band }: { band: Band }) {
  return (
    <Badge color={BAND_COLORS[band]} size="xs">
      {BAND_LABELS[band]}
    </Badge>
  );
}

interface ScoreMeterProps {
  score: number;
  max: number;
  band: Band;
  /** Name of the score, for the tooltip and screen readers. */
  name: string;
  /** Prints the band name after the bar; tables leave it in the tooltip. */
  showBand?: boolean;
}

/**
 * Shows a score as a number with a short bar filled in its band's color. A bar, not a badge, so
 * that a score band never reads like the severity badge next to it.
 */
function ScoreMeter({ score, max, band, name, showBand = false }: ScoreMeterProps) {
  const percent = Math.min(100, Math.max(0, (score / max) * 100));
  const description = `${name} ${score} of ${max}, ${BAND_LABELS[band].toLowerCase()} band`;
  return (
    <span className="inline-flex items-center gap-2 whitespace-nowrap" title={description}>
      <span className="min-w-[2ch] text-right font-medium tabular-nums text-tremor-content-strong" aria-hidden="true">
        {score}
      </span>
      <span className="h-1.5 w-12 overflow-hidden rounded-tremor-full bg-tremor-background-subtle" aria-hidden="true">
        <span className={`block h-full rounded-tremor-full ${BAND_BAR_CLASSES[band]}`} style={{ width: `${percent}%` }} />
      </span>
      {showBand ? (
        <span className="text-tremor-label text-tremor-content" aria-hidden="true">
          {BAND_LABELS[band]}
        </span>
      ) : null}
      <span className="sr-only">{description}</span>
    </span>
  );
}

/** Shows an Asset Risk Score (0–1000), rounded, with a bar in its band's color. */
export function RiskScore({ score, showBand }: { score: number; showBand?: boolean }) {
  const rounded = Math.round(score);
  return <ScoreMeter score={rounded} max={1000} band={riskBand(score)} name="Risk Score" showBand={showBand} />;
}

/** Shows a Detection Score (1–100) with a bar in its band's color. */
export function DetectionScore({ score, showBand }: { score: number; showBand?: boolean }) {
  return <ScoreMeter score={score} max={100} band={detectionScoreBand(score)} name="Detection Score" showBand={showBand} />;
}

const STATUS_COLORS = { new: 'blue', active: 'orange', reopened: 'red', fixed: 'emerald' } as const;
const STATUS_LABELS = { new: 'New', active: 'Active', reopened: 'Reopened', fixed: 'Fixed' } as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_LABELS }) {
  return (
    <Badge color={STATUS_COLORS[status]} size="xs">
      {STATUS_LABELS[status]}
    </Badge>
  );
}
