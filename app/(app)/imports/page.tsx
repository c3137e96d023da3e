import { Badge, Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import type { Metadata } from 'next';
import { UploadForm } from '@/components/imports/upload-form';
import { DateTime } from '@/components/ui/date-time';
import { PageHeading } from '@/components/ui/states';
import { MINIMUM_ROLE, hasRole } from '@/lib/auth/roles';
import { requireSession } from '@/lib/auth/session';
import { listImports, type ImportListItem } from '@/lib/imports/list-imports';

export const metadata: Metadata = { title: 'Imports' };

const STATUS_COLORS = { running: 'blue', succeeded: 'emerald', failed: 'red' } as const satisfies Record<ImportListItem['status'], string>;

function formatCounts(item: ImportListItem): string {
  if (!item.counts) return '—';
  const { assetsCreated, assetsUpdated, findingsNew, findingsUpdated, detections } = item.counts;
  return `${assetsCreated + assetsUpdated} assets, ${findingsNew} new and ${findingsUpdated} updated findings, ${detections} detections`;
}

export default async function ImportsPage() {
  const { db, user } = await requireSession();
  const items = await listImports(db);

  return (
    <>
      <PageHeading title="Imports" />
      <Card className="mb-6">
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Upload a scanner report</h2>
        {hasRole(user.role, MINIMUM_ROLE.importReports) ? (
          <UploadForm />
        ) : (
          <p className="text-tremor-default">Your role ({user.role}) can view imports but not upload reports. Ask an administrator for the {MINIMUM_ROLE.importReports} role.</p>
        )}
      </Card>

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Past imports</h2>
        {items.length === 0 ? (
          <p className="text-tremor-default">No report has been imported yet.</p>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>File</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Source</TableHeaderCell>
                <TableHeaderCell>Result</TableHeaderCell>
                <TableHeaderCell>Started</TableHeaderCell>
                <TableHeaderCell>By</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((item) => (
                <TableRow key={item.id} id={`import-${item.id}`}>
                  <TableCell className="max-w-xs whitespace-normal break-all font-medium text-tremor-content-strong">{item.fileName}</TableCell>
                  <TableCell>
                    <Badge color={STATUS_COLORS[item.status]} size="xs">
                      {item.status}
                    </Badge>
                  </TableCell>
                  <TableCell>{item.source ?? item.format ?? '—'}</TableCell>
                  <TableCell className="max-w-md whitespace-normal break-words">
                    {item.status === 'failed' ? <span className="text-red-700">{item.error ?? 'failed without a message'}</span> : formatCounts(item)}
                  </TableCell>
                  <TableCell>
                    <DateTime iso={item.startedAt} />
                  </TableCell>
                  <TableCell>{item.createdBy?.email ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
