'use client';

import { ProgressBar } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Fields of `GET /api/v1/imports/{id}` that the progress bar reads. */
export interface ImportProgressState {
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { bytesDone: number; bytesTotal: number | null; records: number; percent: number | null } | null;
}

const POLL_INTERVAL_MS = 1000;

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/**
 * Progress of a background import. Polls the import every second while it is queued or running,
 * then refreshes the page so the row shows the result.
 */
export function ImportProgress({ importId, initial }: { importId: number; initial: ImportProgressState }) {
  const router = useRouter();
  const [state, setState] = useState(initial);
  const [pollError, setPollError] = useState<string | undefined>();
  const active = state.status === 'queued' || state.status === 'running';

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/v1/imports/${importId}`, { cache: 'no-store' });
        if (!response.ok) throw new Error(`status ${response.status}`);
        const body = (await response.json()) as ImportProgressState;
        if (cancelled) return;
        setPollError(undefined);
        setState({ status: body.status, progress: body.progress });
        if (body.status !== 'queued' && body.status !== 'running') router.refresh();
      } catch (error) {
        if (!cancelled) setPollError(`Could not read the progress (${error instanceof Error ? error.message : String(error)}); retrying.`);
        if (!cancelled) setState((previous) => ({ ...previous }));
      }
    }, POLL_INTERVAL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [active, importId, router, state]);

  const progress = state.progress;
  const percent = progress?.percent ?? 0;
  let label = 'Queued; waiting for the background worker';
  if (state.status === 'running') {
    label = progress?.bytesTotal
      ? `Importing: ${percent}% (${megabytes(progress.bytesDone)} of ${megabytes(progress.bytesTotal)} MB read, ${progress.records.toLocaleString('en-US')} findings)`
      : 'Importing…';
  } else if (!active) {
    label = state.status === 'succeeded' ? 'Finished; loading the result…' : 'Failed; loading the error…';
  }

  return (
    <div className="min-w-[14rem]" data-testid={`import-progress-${importId}`}>
      <p className="text-tremor-default text-tremor-content-emphasis">{label}</p>
      <ProgressBar value={state.status === 'queued' ? 0 : percent} className="mt-2" showAnimation={false} aria-label={`Import ${importId} progress`} />
      {pollError ? <p className="mt-1 text-tremor-label text-tremor-content-subtle">{pollError}</p> : null}
    </div>
  );
}
