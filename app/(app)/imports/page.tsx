import { Badge, Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import type { Metadata } from 'next';
import { ImportProgress } from '@/components/imports/import-progress';
import { UploadForm } from '@/components/imports/upload-form';
import { DateTime } from '@/components/ui/date-time';
import { PageHeading } from '@/components/ui/states';
import { MINIMUM_ROLE, hasRole } from '@/lib/auth/roles';
import { requireSession } from '@/lib/auth/session';
import { listImports, type ImportListItem } from '@/lib/imports/list-imports';
import { listProfiles } from '@/lib/connector-profiles/profiles';
import { ASSET_NAME_FORMATS } from '@/lib/ingest/parsers';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Imports' };

const STATUS_COLORS = { queued: 'gray', running: 'blue', succeeded: 'emerald', failed: 'red' } as const satisfies Record<ImportListItem['status'], string>;
const STATUS_LABELS = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed' } as const satisfies Record<ImportListItem['status'], string>;

const CELL = 'px-3 py-3';

/** Formats a byte count with a decimal unit, as file managers do: `12.3 MB`. */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function formatNumber(count: number): string {
  return count.toLocaleString('en-US');
}

function formatCounts(item: ImportListItem): string {
  if (!item.counts) return '—';
  const { assetsCreated, assetsUpdated, assetsUnchanged, findingsNew, findingsUpdated, findingsUnchanged, findingsFixed, detections } = item.counts;
  const parts = [
    plural(assetsCreated + assetsUpdated + assetsUnchanged, 'asset'),
    `findings: ${formatNumber(findingsNew)} new, ${formatNumber(findingsUpdated)} updated, ${formatNumber(findingsUnchanged)} unchanged, ${formatNumber(findingsFixed)} fixed`,
  ];
  const { findingsReopened = 0, findingsMerged = 0, findingsSkipped = 0 } = item.counts;
  if (findingsReopened > 0) parts.push(`${formatNumber(findingsReopened)} reopened`);
  if (findingsMerged > 0) parts.push(`${formatNumber(findingsMerged)} merged from another source`);
  if (findingsSkipped > 0) parts.push(`${formatNumber(findingsSkipped)} skipped`);
  parts.push(plural(detections, 'new detection'));
  if (item.counts.endOfLifeFindings !== undefined) parts.push(`${plural(item.counts.endOfLifeFindings, 'end-of-life finding')} derived`);
  return parts.join('; ');
}

/** Why records were skipped, e.g. `3 × finding listed twice in the report; merged into one`. */
function skippedReasons(item: ImportListItem): string[] {
  return Object.entries(item.counts?.skipped ?? {}).map(([reason, count]) => `${formatNumber(count)} × ${reason}`);
}

export default async function ImportsPage() {
  const { db, user } = await requireSession();
  const items = await listImports(db);
  const profiles = await listProfiles(db);

  return (
    <>
      <PageHeading title="Imports" />
      <Card className="mb-6">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-tremor-title font-medium text-tremor-content-strong">Upload a scanner report</h2>
          <Link href="/imports/connector-profiles" className="text-tremor-default font-medium text-tremor-brand hover:underline">
            Connector profiles
          </Link>
        </div>
        {hasRole(user.role, MINIMUM_ROLE.importReports) ? (
          <UploadForm profiles={profiles.map(({ id, name }) => ({ id, name }))} assetNameFormats={[...ASSET_NAME_FORMATS]} />
        ) : (
          <p className="text-tremor-default text-tremor-content-subtle">Your role ({user.role}) can view imports but not upload reports. Ask an administrator for the {MINIMUM_ROLE.importReports} role.</p>
        )}
      </Card>

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Past imports</h2>
        {items.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No report has been imported yet. Upload one above, or run <code className="font-mono text-tremor-label">npx riskboard import FILE</code> on the server.</p>
        ) : (
          <Table className="-mx-3">
            <TableHead>
              <TableRow className="border-b border-tremor-border">
                <TableHeaderCell className="px-3">File</TableHeaderCell>
                <TableHeaderCell className="px-3">Status</TableHeaderCell>
                <TableHeaderCell className="px-3">Source</TableHeaderCell>
                <TableHeaderCell className="px-3">Result</TableHeaderCell>
                <TableHeaderCell className="px-3">Started</TableHeaderCell>
                <TableHeaderCell className="px-3">By</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((item) => (
                <TableRow key={item.id} id={`import-${item.id}`} className="scroll-mt-24 target:bg-tremor-brand-faint">
                  <TableCell className={`${CELL} min-w-[12rem] max-w-xs whitespace-normal`}>
                    <span className="block break-words font-medium text-tremor-content-strong">{item.fileName}</span>
                    <span className="block text-tremor-label text-tremor-content-subtle">
                      Import {item.id}
                      {item.sizeBytes === null ? '' : ` · ${formatBytes(item.sizeBytes)}`}
                    </span>
                    {item.assetName === null ? null : (
                      <span className="block break-words text-tremor-label text-tremor-content-subtle">Asset name: {item.assetName}</span>
                    )}
                  </TableCell>
                  <TableCell className={CELL}>
                    <Badge color={STATUS_COLORS[item.status]} size="xs">
                      {STATUS_LABELS[item.status]}
                    </Badge>
                  </TableCell>
                  <TableCell className={CELL}>{item.source ?? item.format ?? '—'}</TableCell>
                  <TableCell className={`${CELL} min-w-[16rem] max-w-md whitespace-normal break-words`}>
                    {item.status === 'failed' ? <span className="text-red-700">{item.error ?? 'failed without a message'}</span> : null}
                    {item.status === 'succeeded' ? (
                      <>
                        {formatCounts(item)}
                        {skippedReasons(item).map((reason) => (
                          <span key={reason} className="block text-tremor-label text-tremor-content-subtle">
                            Skipped: {reason}
                          </span>
                        ))}
                      </>
                    ) : null}
                    {(item.status === 'queued' || item.status === 'running') && item.progress ? (
                      <ImportProgress importId={item.id} initial={{ status: item.status, progress: item.progress }} />
                    ) : null}
                    {item.status === 'running' && !item.progress ? 'Importing…' : null}
                  </TableCell>
                  <TableCell className={CELL}>
                    <DateTime iso={item.startedAt} />
                  </TableCell>
                  <TableCell className={CELL}>{item.createdBy?.email ?? <span className="text-tremor-content-subtle">—</span>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
