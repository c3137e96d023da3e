import type { Color } from '@tremor/react';
import type { Band } from '@/lib/scoring/bands';
import type { Severity } from '@/lib/findings/severity';

/** Tremor color of each severity, shared by badges and charts so a severity looks the same everywhere. */
export const SEVERITY_COLORS = {
  5: 'red',
  4: 'orange',
  3: 'amber',
  2: 'sky',
  1: 'slate',
} as const satisfies Record<Severity, Color>;

/** Tremor color of each Risk Score and Detection Score band. */
export const BAND_COLORS = {
  critical: 'red',
  high: 'orange',
  medium: 'amber',
  low: 'emerald',
} as const satisfies Record<Band, Color>;

export const BAND_LABELS = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
} as const satisfies Record<Band, string>;
