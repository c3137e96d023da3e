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

/** Background class of each band's score bar, written out so Tailwind's content scan finds it. */
export const BAND_BAR_CLASSES = {
  critical: 'bg-red-500',
  high: 'bg-orange-500',
  medium: 'bg-amber-400',
  low: 'bg-emerald-500',
} as const satisfies Record<Band, string>;

/** Background class of each severity's bar, in the colors of SEVERITY_COLORS. */
export const SEVERITY_BAR_CLASSES = {
  5: 'bg-red-500',
  4: 'bg-orange-500',
  3: 'bg-amber-500',
  2: 'bg-sky-500',
  1: 'bg-slate-400',
} as const satisfies Record<Severity, string>;

/** Classes of the small count chip of each severity, in the colors of SEVERITY_COLORS. */
export const SEVERITY_CHIP_CLASSES = {
  5: 'bg-red-50 text-red-700 ring-red-200',
  4: 'bg-orange-50 text-orange-700 ring-orange-200',
  3: 'bg-amber-50 text-amber-700 ring-amber-200',
  2: 'bg-sky-50 text-sky-700 ring-sky-200',
  1: 'bg-slate-50 text-slate-600 ring-slate-200',
} as const satisfies Record<Severity, string>;

export const BAND_LABELS = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
} as const satisfies Record<Band, string>;
