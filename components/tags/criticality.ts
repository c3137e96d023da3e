/** Choices of the Asset Criticality Score select: none, then 1 (lowest) to 5 (highest). */
export const CRITICALITY_OPTIONS = [
  { value: '', label: 'None' },
  { value: '1', label: '1 – lowest' },
  { value: '2', label: '2 – low' },
  { value: '3', label: '3 – medium' },
  { value: '4', label: '4 – high' },
  { value: '5', label: '5 – highest' },
] as const;

export function parseCriticality(value: string): number | null {
  return value === '' ? null : Number(value);
}

export const INPUT_CLASS =
  'rounded-tremor-default border border-tremor-border bg-tremor-background px-3 py-2 text-tremor-default text-tremor-content-strong shadow-tremor-input focus:border-tremor-brand focus:outline-none';
