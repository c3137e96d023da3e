import type { RuleState } from '@/lib/risk-acceptance/schemas';

const STATE_CLASSES = {
  active: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20',
  upcoming: 'bg-blue-50 text-blue-800 ring-blue-600/20',
  expired: 'bg-gray-100 text-gray-700 ring-gray-500/20',
  revoked: 'bg-red-50 text-red-800 ring-red-600/20',
} as const satisfies Record<RuleState, string>;

/** Shows the state of a risk acceptance rule: upcoming, active, expired or revoked. */
export function RuleStateBadge({ state }: { state: RuleState }) {
  return <span className={`inline-flex rounded-md px-2 py-0.5 text-tremor-label font-medium ring-1 ring-inset ${STATE_CLASSES[state]}`}>{state}</span>;
}
