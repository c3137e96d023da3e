// Helpers for the parser tests: run a parser over text cut into small chunks, so tags, CDATA
// sections and JSON strings are split across chunk boundaries, and collect what it emits.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { AssetRecord, FindingRecord, ParseContext, ReportMetadata, ReportParser } from '../../lib/ingest/model';
import { ReportError } from '../../lib/ingest/report-error';

export interface ParsedReport {
  assets: AssetRecord[];
  findings: FindingRecord[];
  metadata: Partial<ReportMetadata>;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/ingest/', import.meta.url));

export function readFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}

/**
 * Parses text and checks the parser contract on the way: an asset is emitted once, before any
 * finding that points at it.
 */
export async function parseText(parser: ReportParser, text: string, chunkSize = 97, context?: ParseContext): Promise<ParsedReport> {
  const report: ParsedReport = { assets: [], findings: [], metadata: {} };
  const assetKeys = new Set<string>();
  for await (const record of parser.parse(chunksOf(text, chunkSize), (meta) => Object.assign(report.metadata, meta), context)) {
    if (record.kind === 'asset') {
      expect(assetKeys.has(record.asset.reportKey), `asset ${record.asset.reportKey} emitted twice`).toBe(false);
      assetKeys.add(record.asset.reportKey);
      report.assets.push(record.asset);
    } else {
      expect(assetKeys.has(record.finding.assetKey), `finding ${record.finding.title} before its asset`).toBe(true);
      report.findings.push(record.finding);
    }
  }
  return report;
}

export function parseFixture(parser: ReportParser, name: string): Promise<ParsedReport> {
  return parseText(parser, readFixture(name));
}

/** Parses text that must be rejected and returns the ReportError. */
export async function parseError(parser: ReportParser, text: string, context?: ParseContext): Promise<ReportError> {
  try {
    await parseText(parser, text, 97, context);
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('the parser accepted input that should be rejected');
}

/** Returns the one finding with this vendor id on this asset, failing the test if there is not exactly one. */
export function findingOf(report: ParsedReport, assetKey: string, vendorId: string): FindingRecord {
  const matches = report.findings.filter((finding) => finding.assetKey === assetKey && finding.vendorId === vendorId);
  expect(matches, `findings ${vendorId} on ${assetKey}`).toHaveLength(1);
  const [finding] = matches;
  if (!finding) throw new Error(`no finding ${vendorId} on ${assetKey}`);
  return finding;
}

export function assetOf(report: ParsedReport, reportKey: string): AssetRecord {
  const asset = report.assets.find((candidate) => candidate.reportKey === reportKey);
  if (!asset) throw new Error(`no asset ${reportKey}; assets are ${report.assets.map((a) => a.reportKey).join(', ')}`);
  return asset;
}
