import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonView } from '../../components/ui/json-view';
import type { Db } from '../../db/client';
import { assets, detections, findings, imports } from '../../db/schema';
import { getFinding } from '../../lib/findings/get-finding';
import { RAW_VIEW_MAX_TOTAL, boundRawForView, detectionRawPath, detectionsForView } from '../../lib/findings/raw-view';
import { LOCAL_TOKEN_HEADER } from '../../lib/http/with-api';
import { GET as getDetectionRaw } from '../../app/api/v1/findings/[id]/detections/[detectionId]/raw/route';
import { openProcessDb } from '../api-access/process-db';

describe('boundRawForView', () => {
  it('keeps small values as they are', () => {
    const raw = { plugin_id: '12345', ports: [443, 8443], nested: { ok: true, none: null } };
    const view = boundRawForView(raw);
    expect(view.truncated).toBe(false);
    expect(JSON.parse(view.text)).toEqual(raw);
    expect(view.lineCount).toBe(view.text.split('\n').length);
  });

  it('cuts each long string, also inside arrays and nested objects, with a visible marker', () => {
    const raw = { output: 'a'.repeat(30), list: ['short', 'b'.repeat(25)], deep: { text: 'c'.repeat(20) } };
    const view = boundRawForView(raw, { maxString: 10 });
    expect(view.truncated).toBe(true);
    const shown = JSON.parse(view.text) as { output: string; list: string[]; deep: { text: string } };
    expect(shown.output).toBe(`${'a'.repeat(10)}… (20 more characters)`);
    expect(shown.list).toEqual(['short', `${'b'.repeat(10)}… (15 more characters)`]);
    expect(shown.deep.text).toBe(`${'c'.repeat(10)}… (10 more characters)`);
  });

  it('cuts the whole view at the total bound with a note', () => {
    const raw = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`field_${index}`, 'x'.repeat(100)]));
    const view = boundRawForView(raw, { maxString: 1000, maxTotal: 2000 });
    expect(view.truncated).toBe(true);
    expect(view.text.length).toBeLessThan(2200);
    expect(view.text).toMatch(/… \(view cut at 2 KiB of \d+ KiB, 502 lines; download the raw JSON for the rest\)$/);
  });
});

describe('finding page with a 5 MB raw value', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let findingId = 0;
  let detectionId = 0;
  const hugeText = 'A long description line. '.repeat(200_000);
  const LOCAL_TOKEN = 'raw-view-local-token';

  beforeAll(async () => {
    ({ db, cleanup } = await openProcessDb());
    process.env.RISKBOARD_LOCAL_TOKEN = LOCAL_TOKEN;
    const now = new Date('2026-03-01T00:00:00Z');
    const [asset] = await db.insert(assets).values({ name: 'big-01', firstSeen: now, lastSeen: now }).returning({ id: assets.id });
    const [report] = await db.insert(imports).values({ fileName: 'big-desc.json', status: 'succeeded', startedAt: now }).returning({ id: imports.id });
    const [finding] = await db
      .insert(findings)
      .values({ type: 'vulnerability', assetId: asset!.id, identityKey: 'big', title: 'Huge description', severity: 3, status: 'active', detectionScore: 40, firstFound: now, lastFound: now })
      .returning({ id: findings.id });
    findingId = finding!.id;
    const [detection] = await db
      .insert(detections)
      .values({ findingId, source: 'Generic JSON', firstImportId: report!.id, lastImportId: report!.id, firstSeen: now, lastSeen: now, raw: { title: 'Huge description', description: hugeText } })
      .returning({ id: detections.id });
    detectionId = detection!.id;
  }, 120_000);

  afterAll(async () => {
    delete process.env.RISKBOARD_LOCAL_TOKEN;
    await cleanup();
  });

  it('renders the raw attributes in a few KiB with a download link', async () => {
    const finding = await getFinding(db, findingId);
    expect(finding?.detections[0]?.raw.description).toBe(hugeText);
    const [detection] = detectionsForView(finding!);
    expect(detection).toBeDefined();
    expect(detection).not.toHaveProperty('raw');
    const html = renderToStaticMarkup(createElement(JsonView, { view: detection!.rawView, summary: 'Raw attributes from the report', downloadHref: detectionRawPath(findingId, detectionId) }));
    expect(hugeText.length).toBeGreaterThanOrEqual(5_000_000);
    expect(html.length).toBeLessThan(RAW_VIEW_MAX_TOTAL);
    expect(html.length).toBeLessThan(16 * 1024);
    expect(html).toContain(`… (${hugeText.length - 8 * 1024} more characters)`);
    expect(html).toContain(`href="/api/v1/findings/${findingId}/detections/${detectionId}/raw"`);
    expect(html).toContain('Download the full raw JSON');
  });

  it('downloads the full raw JSON from the API', async () => {
    const request = new Request(`http://127.0.0.1:3100${detectionRawPath(findingId, detectionId)}`, { headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN } });
    const response = await getDetectionRaw(request, { params: Promise.resolve({ id: String(findingId), detectionId: String(detectionId) }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="finding-${findingId}-detection-${detectionId}-raw.json"`);
    expect(((await response.json()) as { description: string }).description).toBe(hugeText);
  });

  it('answers 404 for a detection of another finding', async () => {
    const request = new Request('http://127.0.0.1:3100/x', { headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN } });
    const response = await getDetectionRaw(request, { params: Promise.resolve({ id: String(findingId + 1), detectionId: String(detectionId) }) });
    expect(response.status).toBe(404);
  });
});
