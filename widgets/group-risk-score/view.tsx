'use client';

import Link from 'next/link';
import { BandBadge } from '@/components/ui/badges';
import type { WidgetViewProps } from '@/widgets/types';
import type { GroupRiskScoreData } from './data';
import type { GroupRiskScoreOptions } from './definition';

export default function GroupRiskScoreView({ data }: WidgetViewProps<GroupRiskScoreOptions, GroupRiskScoreData>) {
  const other = data.version === 'v1' ? 'v2' : 'v1';
  return (
    <div>
      <p className="text-tremor-default text-tremor-content-subtle">{data.name}</p>
      <p className="mt-1 flex items-baseline gap-3">
        <Link href={data.href} className="text-5xl font-semibold tabular-nums text-tremor-content-strong hover:underline" data-testid="group-risk-score-value">
          {data.score}
        </Link>
        <span className="text-tremor-default text-tremor-content-subtle">/ 1000 ({data.version})</span>
        <BandBadge band={data.band} />
      </p>
      <p className="mt-3 text-tremor-default">
        {other} is {data.otherScore} · {data.memberCount} {data.memberCount === 1 ? 'asset' : 'assets'} ·{' '}
        <Link href={data.href} className="text-tremor-brand hover:underline">
          Why this score
        </Link>
      </p>
    </div>
  );
}
