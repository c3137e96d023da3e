'use client';

import { ProgressBar } from '@tremor/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ASSET_NAME_MAX_LENGTH, parseAssetName } from '@/lib/ingest/asset-name-schema';
import { FORMATS, type ReportFormat } from '@/lib/ingest/model';

const FORMAT_LABELS = {
  nessus: 'Nessus (.nessus v2)',
  'qualys-asset-data': 'Qualys asset data XML',
  'qualys-scan': 'Qualys scan XML',
  'qualys-detection': 'Qualys host detection XML',
  trivy: 'Trivy JSON',
  grype: 'Grype JSON',
  cyclonedx: 'CycloneDX JSON',
  'osv-scanner': 'OSV-Scanner JSON',
  'nessus-csv': 'Nessus CSV',
  'qualys-csv': 'Qualys CSV',
  'openvas-csv': 'Greenbone CSV',
  'generic-csv': 'Generic CSV (choose a connector profile)',
  'generic-json': 'DefectDojo generic findings JSON',
  'kube-bench': 'kube-bench JSON',
  'prowler-ocsf': 'Prowler OCSF JSON',
  'prowler-csv': 'Prowler CSV',
  checkov: 'Checkov JSON',
  wazuh: 'Wazuh JSON',
  'ms-defender': 'Microsoft Defender zip',
  'aws-inspector2': 'Amazon Inspector JSON',
  'aws-securityhub': 'AWS Security Hub JSON',
  'openvas-xml': 'Greenbone XML',
  'cyclonedx-xml': 'CycloneDX XML',
  'dependency-check': 'Dependency-Check XML',
  nexpose: 'Nexpose / InsightVM XML',
  sarif: 'SARIF JSON',
  'npm-audit': 'npm audit JSON',
  'qualys-was': 'Qualys WAS XML',
  'yarn-audit': 'yarn audit JSON',
  wiz: 'Wiz CSV',
} as const satisfies Record<ReportFormat, string>;

/** The parts of an import summary this form shows. */
interface SummaryView {
  importId: number;
  fileName: string;
  status: 'succeeded' | 'failed';
  source?: string;
  counts: Record<string, number>;
  error?: { code?: string; message: string };
  durationMs: number;
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; percent: number }
  | { phase: 'importing' }
  | { phase: 'done'; summary: SummaryView }
  | { phase: 'queued'; importId: number; fileName: string }
  | { phase: 'error'; message: string };

/** Summary counts in display order, with the label for one and for any other number. */
const COUNT_LABELS: [key: string, singular: string, plural: string][] = [
  ['assetsCreated', 'asset created', 'assets created'],
  ['assetsUpdated', 'asset updated', 'assets updated'],
  ['assetsUnchanged', 'asset unchanged', 'assets unchanged'],
  ['findingsNew', 'new finding', 'new findings'],
  ['findingsUpdated', 'finding updated', 'findings updated'],
  ['findingsUnchanged', 'finding unchanged', 'findings unchanged'],
  ['findingsFixed', 'fixed', 'fixed'],
  ['findingsReopened', 'reopened', 'reopened'],
  ['findingsMerged', 'merged from another source', 'merged from another source'],
  ['findingsSkipped', 'skipped', 'skipped'],
  ['detections', 'new detection', 'new detections'],
  ['endOfLifeFindings', 'end-of-life finding derived', 'end-of-life findings derived'],
];

function parseResponse(xhr: XMLHttpRequest): UploadState {
  let body: unknown;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    return { phase: 'error', message: `The server returned status ${xhr.status} without a readable body. Try again; if it persists, check the server log.` };
  }
  if (xhr.status === 202 && body && typeof body === 'object' && 'importId' in body) {
    const queued = body as { importId: number; fileName?: string };
    return { phase: 'queued', importId: queued.importId, fileName: queued.fileName ?? 'the report' };
  }
  if (body && typeof body === 'object' && 'importId' in body && 'status' in body) return { phase: 'done', summary: body as SummaryView };
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error: { message?: unknown } }).error;
    return { phase: 'error', message: typeof error.message === 'string' ? error.message : `The upload failed with status ${xhr.status}.` };
  }
  return { phase: 'error', message: `The upload failed with status ${xhr.status}.` };
}

/**
 * Uploads one report with a progress bar, then shows its import summary or error. A chosen
 * connector profile replaces the format, because the profile decides how the file is read.
 * `assetNameFormats` are the formats whose report's one asset the Asset name field may name.
 */
export function UploadForm({ profiles = [], assetNameFormats = [] }: { profiles?: { id: number; name: string }[]; assetNameFormats?: ReportFormat[] }) {
  const router = useRouter();
  const fileInput = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<ReportFormat | ''>('');
  const [profile, setProfile] = useState('');
  const [assetName, setAssetName] = useState('');
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const busy = state.phase === 'uploading' || state.phase === 'importing';

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setState({ phase: 'error', message: 'Choose a report file first.' });
      return;
    }

    // A blank asset name means none, so the asset is named after the report or its file.
    const namedAsset = assetName.trim() === '' ? undefined : parseAssetName(assetName);
    if (namedAsset?.error !== undefined) {
      setState({ phase: 'error', message: `Check the asset name: ${namedAsset.error}.` });
      return;
    }

    // The fields go before the file, although the server also reads them after it.
    const body = new FormData();
    if (profile) body.append('profile', profile);
    else if (format) body.append('format', format);
    if (namedAsset?.name !== undefined) body.append('assetName', namedAsset.name);
    body.append('file', file);

    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports');
    xhr.upload.onprogress = (progress) => {
      if (progress.lengthComputable) setState({ phase: 'uploading', percent: Math.round((progress.loaded / progress.total) * 100) });
    };
    xhr.upload.onload = () => setState({ phase: 'importing' });
    xhr.onload = () => {
      const result = parseResponse(xhr);
      // A kept asset name would silently put the next upload into the same asset.
      if (result.phase === 'queued' || (result.phase === 'done' && result.summary.status === 'succeeded')) setAssetName('');
      setState(result);
      router.refresh();
    };
    xhr.onerror = () => setState({ phase: 'error', message: 'The connection to the server failed during the upload. Check that the server is running and try again.' });
    setState({ phase: 'uploading', percent: 0 });
    xhr.send(body);
  }

  return (
    <div>
      <form onSubmit={handleSubmit} className="flex flex-wrap items-end gap-4">
        <div className="min-w-0">
          <label htmlFor="report-file" className="block text-tremor-default font-medium text-tremor-content-strong">
            Report file
          </label>
          <input
            id="report-file"
            ref={fileInput}
            type="file"
            name="file"
            accept=".nessus,.xml,.json,.zip,.csv"
            disabled={busy}
            aria-describedby="report-file-hint"
            className="mt-1 block max-w-full text-tremor-default file:mr-3 file:cursor-pointer file:rounded-tremor-small file:border-0 file:bg-tremor-background-subtle file:px-3 file:py-2 file:font-medium file:text-tremor-content-emphasis hover:file:bg-tremor-border"
          />
        </div>
        <div>
          <label htmlFor="report-format" className="block text-tremor-default font-medium text-tremor-content-strong">
            Format
          </label>
          <select
            id="report-format"
            value={format}
            disabled={busy || profile !== ''}
            onChange={(event) => setFormat(event.target.value as ReportFormat | '')}
            className="mt-1 block rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input"
          >
            <option value="">Detect automatically</option>
            {FORMATS.map((value) => (
              <option key={value} value={value}>
                {FORMAT_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        {profiles.length > 0 ? (
          <div>
            <label htmlFor="report-profile" className="block text-tremor-default font-medium text-tremor-content-strong">
              Connector profile
            </label>
            <select
              id="report-profile"
              value={profile}
              disabled={busy}
              onChange={(event) => setProfile(event.target.value)}
              className="mt-1 block rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input"
            >
              <option value="">None</option>
              {profiles.map((option) => (
                <option key={option.id} value={option.name}>
                  {option.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="min-w-0">
          <label htmlFor="report-asset-name" className="block text-tremor-default font-medium text-tremor-content-strong">
            Asset name
          </label>
          <input
            id="report-asset-name"
            type="text"
            value={assetName}
            maxLength={ASSET_NAME_MAX_LENGTH}
            disabled={busy}
            placeholder="Named after the report"
            aria-describedby="report-asset-name-hint"
            onChange={(event) => setAssetName(event.target.value)}
            className="mt-1 block w-56 max-w-full rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input"
          />
        </div>
        <button
          type="submit"
          disabled={busy}
          className="rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis disabled:opacity-60"
        >
          Upload and import
        </button>
      </form>
      <p id="report-file-hint" className="mt-2 text-tremor-label text-tremor-content-subtle">
        {Object.values(FORMAT_LABELS).join(', ')}. Importing the same file again changes nothing.
      </p>
      {assetNameFormats.length > 0 ? (
        <p id="report-asset-name-hint" className="mt-1 text-tremor-label text-tremor-content-subtle">
          Asset name: names the asset of a report of one asset ({assetNameFormats.map((value) => FORMAT_LABELS[value]).join(', ')}), such
          as a cluster or project. Reports with the same asset name update one asset, and different names keep them apart. Leave it empty
          to name the asset after the report or its file. Other formats reject it.
        </p>
      ) : null}

      <div className="mt-4 empty:hidden" aria-live="polite">
        {state.phase === 'uploading' ? (
          <div className="max-w-xl">
            <p className="text-tremor-default">Uploading… {state.percent}%</p>
            <ProgressBar value={state.percent} className="mt-2" showAnimation={false} />
          </div>
        ) : null}
        {state.phase === 'importing' ? (
          <div className="max-w-xl">
            <p className="text-tremor-default">Importing… large reports take a few minutes.</p>
            <div className="mt-2 h-2 animate-pulse rounded-tremor-full bg-tremor-brand-muted" />
          </div>
        ) : null}
        {state.phase === 'error' ? <ErrorMessage title="Upload failed">{state.message}</ErrorMessage> : null}
        {state.phase === 'done' ? <SummaryResult summary={state.summary} /> : null}
        {state.phase === 'queued' ? (
          <div role="status" className="rounded-tremor-default border border-blue-200 bg-blue-50 p-4 text-tremor-default text-blue-900">
            <p className="break-words font-semibold">
              {state.fileName} is large, so it is imported in the background as import {state.importId}.
            </p>
            <p className="mt-1">
              Its progress shows in{' '}
              <a href={`#import-${state.importId}`} className="font-medium underline">
                the list of past imports
              </a>
              ; you can leave this page meanwhile.
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ErrorMessage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div role="alert" className="rounded-tremor-default border border-red-200 bg-red-50 p-4 text-tremor-default text-red-800">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{children}</p>
    </div>
  );
}

function SummaryResult({ summary }: { summary: SummaryView }) {
  if (summary.status === 'failed') {
    const formatHint =
      summary.error?.code === 'unknown_format' || summary.error?.code === 'wrong_format'
        ? ' If the file is a supported report, choose its format in the Format list and upload it again. For a CSV file of another layout, choose or create a connector profile.'
        : '';
    return (
      <ErrorMessage title={`Import ${summary.importId} failed`}>
        {summary.error?.message ?? 'The server gave no reason.'}
        {formatHint}
      </ErrorMessage>
    );
  }
  return (
    <div role="status" className="rounded-tremor-default border border-emerald-200 bg-emerald-50 p-4 text-tremor-default text-emerald-900">
      <p className="break-words font-semibold">
        Imported {summary.fileName}
        {summary.source ? ` (${summary.source})` : ''} in {(summary.durationMs / 1000).toFixed(1)} s.
      </p>
      <ul className="mt-2 flex flex-wrap gap-x-5 gap-y-1">
        {COUNT_LABELS.map(([key, singular, plural]) => {
          const count = summary.counts[key] ?? 0;
          return (
            <li key={key}>
              <span className="font-semibold tabular-nums">{count.toLocaleString('en-US')}</span> {count === 1 ? singular : plural}
            </li>
          );
        })}
      </ul>
      <p className="mt-3 flex gap-4">
        <Link href="/assets?sort=lastSeen" className="font-medium underline">
          View assets
        </Link>
        <Link href="/findings?sort=lastFound" className="font-medium underline">
          View findings
        </Link>
      </p>
    </div>
  );
}
