import { Badge } from '@tremor/react';
import { BAND_COLORS, BAND_LABELS, SEVERITY_COLORS } from '@/components/ui/colors';
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

/** Shows an Asset Risk Score (0–1000), rounded, with its band. */
export function RiskScore({ score }: { score: number }) {
  return (
    <span className="inline-flex items-center gap-2 tabular-nums">
      {Math.round(score)}
      <BandBadge band={riskBand(score)} />
    </span>
  );
}

/** Shows a Detection Score (1–100) with its band. */
export function DetectionScore({ score }: { score: number }) {
  return (
    <span className="inline-flex items-center gap-2 tabular-nums">
      {score}
      <BandBadge band={detectionScoreBand(score)} />
    </span>
  );
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
