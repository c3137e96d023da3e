import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { AssetRiskCard } from '@/components/scoring/asset-risk-card';
import { notFound } from 'next/navigation';
import Link from 'next/link';
import { ASSET_KIND_LABELS, assetIdentifiers } from '@/components/assets/asset-labels';
import { FindingsTable } from '@/components/findings/findings-table';
import { AssetTagsPanel } from '@/components/tags/asset-tags-panel';
import { RiskScore, SeverityBadge } from '@/components/ui/badges';
import { CopyLinkButton } from '@/components/ui/copy-link-button';
import { SEVERITY_BAR_CLASSES } from '@/components/ui/colors';
import { DateTime } from '@/components/ui/date-time';
import { Field, Fields } from '@/components/ui/fields';
import { PageLinks, hrefWith } from '@/components/ui/links';
import { InvalidQuery } from '@/components/ui/states';
import { getAsset } from '@/lib/assets/get-asset';
import { requireSession } from '@/lib/auth/session';
import { latestAssetMatch } from '@/lib/identification/asset-match-store';
import { FINDING_SORT_DEFAULT_DIRECTION, listFindings, listFindingsInputSchema, type FindingSort } from '@/lib/findings/list-findings';
import { parseOrThrow } from '@/lib/http/app-error';
import { parseId } from '@/lib/http/ids';
import { firstValues, loadOrExplain } from '@/lib/http/query';
import type { SortDirection } from '@/lib/pagination/keyset';

export const metadata: Metadata = { title: 'Asset' };

interface AssetPageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function AssetPage({ params, searchParams }: AssetPageProps) {
  const { db } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const asset = await getAsset(db, id);
  if (!asset) notFound();
  const identifiedBy = await latestAssetMatch(db, asset.id);

  const query = firstValues(await searchParams);
  const openTotal = asset.openFindingsBySeverity.reduce((sum, entry) => sum + entry.count, 0);
  const basePath = `/assets/${asset.id}`;
  const findingsResult = await loadOrExplain(async () => {
    const input = parseOrThrow(listFindingsInputSchema, { sort: query.sort, direction: query.direction, cursor: query.cursor, assetId: asset.id });
    const direction = input.direction ?? FINDING_SORT_DEFAULT_DIRECTION[input.sort];
    return { input, direction, page: await listFindings(db, { ...input, direction }) };
  });

  return (
    <article className="space-y-6">
      <header className="space-y-3">
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/assets" className="hover:text-tremor-content-strong hover:underline">
            Assets
          </Link>
          <span aria-hidden="true"> / </span>
          {ASSET_KIND_LABELS[asset.kind]}
        </p>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 flex-1">
            <h1 className="break-words text-2xl font-semibold text-tremor-content-strong">{asset.name}</h1>
            <p className="mt-1 break-words text-tremor-default text-tremor-content-subtle">{assetIdentifiers(asset).join(' · ')}</p>
          </div>
          <CopyLinkButton path={basePath} />
        </div>
        <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-tremor-default">
          <span className="flex items-center gap-2">
            <span className="text-tremor-content-subtle">Risk Score</span>
            <RiskScore score={asset.riskScore} showBand />
          </span>
          <span>
            <span className="text-tremor-content-subtle">Criticality </span>
            <span className="font-medium text-tremor-content-strong">{asset.criticalityScore} of 5</span>
          </span>
          {asset.internetFacing ? (
            <span className="rounded-tremor-small bg-red-50 px-1.5 text-tremor-label text-red-700 ring-1 ring-inset ring-red-200">internet-facing</span>
          ) : null}
        </div>
      </header>

      <AssetRiskCard db={db} assetId={asset.id} />

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Attributes</h2>
          <Fields>
            <Field label="FQDN">{asset.fqdn}</Field>
            <Field label="Hostname">{asset.hostname}</Field>
            <Field label="IPv4">{asset.ipv4.join(', ')}</Field>
            <Field label="IPv6">{asset.ipv6.join(', ')}</Field>
            <Field label="MAC">{asset.mac.join(', ')}</Field>
            <Field label="Operating system">{asset.os}</Field>
            <Field label="Internet-facing">{asset.internetFacing ? 'Yes' : 'No'}</Field>
            <Field label="Criticality">{`${asset.criticalityScore} of 5`}</Field>
            <Field label="Cloud instance id">{asset.cloudInstanceId}</Field>
            <Field label="Agent id">{asset.agentId}</Field>
            <Field label="First seen">
              <DateTime iso={asset.firstSeen} />
            </Field>
            <Field label="Last seen">
              <DateTime iso={asset.lastSeen} />
            </Field>
            <Field label="Identified by">
              {identifiedBy ? (
                <>
                  {identifiedBy.matchedBy === 'new' ? 'created as a new asset' : `matched by ${identifiedBy.label}`} in import {identifiedBy.importId} (
                  {identifiedBy.fileName}
                  {identifiedBy.source ? `, ${identifiedBy.source}` : ''})
                </>
              ) : undefined}
            </Field>
            <Field label="Tags">
              <AssetTagsPanel assetId={asset.id} tags={asset.tags} />
            </Field>
          </Fields>
        </Card>

        <Card>
          <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Open findings</h2>
          <p className="mb-4 text-tremor-default">
            <span className="text-3xl font-semibold tabular-nums text-tremor-content-strong">{openTotal}</span> open
          </p>
          <ul className="space-y-3">
            {asset.openFindingsBySeverity.map((entry) => (
              <li key={entry.severity} className="grid grid-cols-[7rem_1fr_3rem] items-center gap-3 text-tremor-default">
                <span>
                  <SeverityBadge severity={entry.severity} />
                </span>
                <span className="h-1.5 overflow-hidden rounded-tremor-full bg-tremor-background-subtle" aria-hidden="true">
                  <span className={`block h-full rounded-tremor-full ${SEVERITY_BAR_CLASSES[entry.severity]}`} style={{ width: `${openTotal === 0 ? 0 : (entry.count / openTotal) * 100}%` }} />
                </span>
                <span className="text-right tabular-nums text-tremor-content-strong">{entry.count}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Findings</h2>
        {!findingsResult.ok ? (
          <InvalidQuery message={findingsResult.message} resetHref={basePath} />
        ) : findingsResult.value.page.total === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No findings on this asset.</p>
        ) : (
          <>
            <FindingsTable
              items={findingsResult.value.page.items}
              sort={findingsResult.value.input.sort}
              direction={findingsResult.value.direction}
              sortHref={(sort: FindingSort, direction: SortDirection) => hrefWith(basePath, { sort, direction })}
              hideAsset
            />
            <PageLinks
              total={findingsResult.value.page.total}
              shown={findingsResult.value.page.items.length}
              previousHref={pageHref(basePath, findingsResult.value, findingsResult.value.page.prevCursor)}
              nextHref={pageHref(basePath, findingsResult.value, findingsResult.value.page.nextCursor)}
              noun="findings"
            />
          </>
        )}
      </Card>

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Technologies ({asset.technologies.length})</h2>
        {asset.technologies.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No technologies reported.</p>
        ) : (
          <ul className="divide-y divide-tremor-border text-tremor-default">
            {asset.technologies.map((technology) => (
              <li key={technology.id} className="py-2">
                <span className="font-medium text-tremor-content-strong">{[technology.vendor, technology.product].filter(Boolean).join(' ')}</span>
                {technology.version ? <span className="ml-2">{technology.version}</span> : null}
                {technology.path ? <span className="ml-2 break-all text-tremor-content-subtle">{technology.path}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </article>
  );
}

function pageHref(basePath: string, list: { input: { sort: FindingSort }; direction: SortDirection }, cursor: string | null): string | null {
  return cursor ? hrefWith(basePath, { sort: list.input.sort, direction: list.direction, cursor }) : null;
}
