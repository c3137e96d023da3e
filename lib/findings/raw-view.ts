import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { detections } from '../../db/schema';
import { idParamsSchema } from '../http/ids';
import type { FindingDetail } from './get-finding';

/** Longest string value the finding page shows in full; longer ones are cut with a marker. */
export const RAW_VIEW_MAX_STRING = 8 * 1024;
/** Largest pretty-printed raw view the finding page shows for one detection. */
export const RAW_VIEW_MAX_TOTAL = 256 * 1024;

/** A detection's raw attributes prepared for display: pretty-printed JSON, bounded in size. */
export interface RawView {
  text: string;
  lineCount: number;
  /** True when a string was shortened or the view was cut; the full value is in the download. */
  truncated: boolean;
}

interface RawViewLimits {
  maxString?: number;
  maxTotal?: number;
}

function boundValue(value: unknown, maxString: number, state: { truncated: boolean }): unknown {
  if (typeof value === 'string') {
    if (value.length <= maxString) return value;
    state.truncated = true;
    return `${value.slice(0, maxString)}… (${value.length - maxString} more characters)`;
  }
  if (Array.isArray(value)) return value.map((item) => boundValue(item, maxString, state));
  if (value !== null && typeof value === 'object') {
    const bounded: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      bounded[boundValue(key, maxString, state) as string] = boundValue(item, maxString, state);
    }
    return bounded;
  }
  return value;
}

/**
 * Prepares raw report attributes for the finding page on the server, so one long value in a report
 * cannot make the page megabytes large: each string over `maxString` characters is cut with a
 * "… (N more characters)" marker, and the whole text is cut at `maxTotal` characters with a note.
 */
export function boundRawForView(raw: unknown, limits: RawViewLimits = {}): RawView {
  const maxString = limits.maxString ?? RAW_VIEW_MAX_STRING;
  const maxTotal = limits.maxTotal ?? RAW_VIEW_MAX_TOTAL;
  const state = { truncated: false };
  let text = JSON.stringify(boundValue(raw, maxString, state), null, 2) ?? 'null';
  if (text.length > maxTotal) {
    const lineCount = text.split('\n').length;
    text = `${text.slice(0, maxTotal)}\n… (view cut at ${Math.round(maxTotal / 1024)} KiB of ${Math.ceil(text.length / 1024)} KiB, ${lineCount} lines; download the raw JSON for the rest)`;
    state.truncated = true;
  }
  return { text, lineCount: text.split('\n').length, truncated: state.truncated };
}

/** A detection as the finding page shows it: its raw attributes replaced by a bounded view. */
export type DetectionView = Omit<FindingDetail['detections'][number], 'raw'> & { rawView: RawView };

/** Replaces each detection's raw attributes with a bounded view, for the finding page. */
export function detectionsForView(finding: FindingDetail): DetectionView[] {
  return finding.detections.map(({ raw, ...detection }) => ({ ...detection, rawView: boundRawForView(raw) }));
}

/** Route params of `/api/v1/findings/{id}/detections/{detectionId}/raw`. */
export const detectionRawParamsSchema = z.object({ id: idParamsSchema.shape.id, detectionId: idParamsSchema.shape.id });

/** Path of the download of a detection's full raw attributes. */
export function detectionRawPath(findingId: number, detectionId: number): string {
  return `/api/v1/findings/${findingId}/detections/${detectionId}/raw`;
}

/** Returns a detection's raw attributes in full, or undefined when the finding has no such detection. */
export async function getDetectionRaw(db: Db, findingId: number, detectionId: number): Promise<Record<string, unknown> | undefined> {
  const [row] = await db
    .select({ raw: detections.raw })
    .from(detections)
    .where(and(eq(detections.id, detectionId), eq(detections.findingId, findingId)));
  return row?.raw;
}
