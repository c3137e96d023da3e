import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../db/client';
import { assets, detections, findings, imports, technologies, vulnerabilities } from '../db/schema';
import { findingsBySeverity } from '../lib/findings/aggregates';
import { getFinding } from '../lib/findings/get-finding';
import { FINDING_SORTS, listFindings, type FindingListItem, type FindingSort } from '../lib/findings/list-findings';
import { AppError } from '../lib/http/app-error';
import { createTestDb } from './helpers/test-db';

let handle: DbHandle;
let db: Db;
const assetIds: number[] = [];

interface SeededFinding {
  id: number;
  detectionScore: number;
  severity: number;
  lastFound: string;
  title: string;
}
const seeded: SeededFinding[] = [];

// 41 findings with many ties: 4 detection scores, 5 severities, 6 lastFound values that differ
// only in microseconds, and 5 titles, so every sort has to break ties by id.
const FINDING_COUNT = 41;
const TITLES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const TIMESTAMPS = [
  '2026-03-01 10:00:00.000001+00',
  '2026-03-01 10:00:00.000002+00',
  '2026-03-01 10:00:00.000999+00',
  '2026-03-01 10:00:00.001+00',
  '2025-12-31 23:59:59.999999+00',
  '2026-03-01 10:00:00+00',
];

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;

  const now = new Date('2026-03-01T00:00:00Z');
  for (const name of ['web-01', 'db-01', 'cache-01']) {
    const [row] = await db.insert(assets).values({ name, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
    assetIds.push(row!.id);
  }

  for (let index = 0; index < FINDING_COUNT; index++) {
    const timestamp = TIMESTAMPS[index % TIMESTAMPS.length]!;
    const [row] = await db
      .insert(findings)
      .values({
        type: 'vulnerability',
        assetId: assetIds[index % assetIds.length]!,
        identityKey: `key-${index}`,
        title: TITLES[index % TITLES.length]!,
        severity: (index % 5) + 1,
        status: index % 7 === 0 ? 'fixed' : 'active',
        detectionScore: [90, 50, 50, 10][index % 4]!,
        firstFound: now,
        lastFound: sql`${timestamp}::timestamptz`,
      })
      .returning({ id: findings.id, detectionScore: findings.detectionScore, severity: findings.severity, title: findings.title });
    const [text] = await db
      .select({ value: sql<string>`to_char(${findings.lastFound} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')` })
      .from(findings)
      .where(eq(findings.id, row!.id));
    seeded.push({ ...row!, lastFound: text!.value });
  }
});

afterAll(async () => {
  await handle?.close();
});

const SORT_VALUE: Record<FindingSort, (finding: SeededFinding) => number | string> = {
  detectionScore: (finding) => finding.detectionScore,
  severity: (finding) => finding.severity,
  lastFound: (finding) => finding.lastFound,
  title: (finding) => finding.title,
  id: (finding) => finding.id,
};

/** Sorts the seeded ids as listFindings must: by value, ties by id in the opposite direction. */
function expectedOrder(sort: FindingSort, direction: 'asc' | 'desc'): number[] {
  const value = SORT_VALUE[sort];
  const sign = direction === 'asc' ? 1 : -1;
  return [...seeded]
    .sort((a, b) => {
      const left = value(a);
      const right = value(b);
      if (left < right) return -sign;
      if (left > right) return sign;
      return sign * (b.id - a.id);
    })
    .map((finding) => finding.id);
}

async function readAllPages(sort: FindingSort, direction: 'asc' | 'desc', limit: number) {
  const pages: FindingListItem[][] = [];
  const prevCursors: (string | null)[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listFindings(db, { sort, direction, limit, cursor });
    expect(page.total).toBe(FINDING_COUNT);
    pages.push(page.items);
    prevCursors.push(page.prevCursor);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { pages, prevCursors };
}

describe('listFindings', () => {
  for (const sort of FINDING_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`pages by ${sort} ${direction} in order, each row once`, async () => {
        const { pages } = await readAllPages(sort, direction, 6);
        const ids = pages.flat().map((item) => item.id);

        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(FINDING_COUNT);
        expect(ids).toEqual(expectedOrder(sort, direction));
        expect(pages.slice(0, -1).every((page) => page.length === 6)).toBe(true);
      });
    }
  }

  it('walks back with prevCursor to the same pages', async () => {
    const { pages, prevCursors } = await readAllPages('detectionScore', 'desc', 5);
    expect(prevCursors[0]).toBeNull();

    let cursor = prevCursors[prevCursors.length - 1] ?? undefined;
    for (let index = pages.length - 2; index >= 0; index--) {
      expect(cursor).toBeDefined();
      const page = await listFindings(db, { sort: 'detectionScore', direction: 'desc', limit: 5, cursor });
      expect(page.items.map((item) => item.id)).toEqual(pages[index]!.map((item) => item.id));
      expect(page.nextCursor).not.toBeNull();
      cursor = page.prevCursor ?? undefined;
    }
    expect(cursor).toBeUndefined();
  });

  it('uses default sort and page size', async () => {
    const page = await listFindings(db);
    expect(page.items).toHaveLength(41);
    expect(page.items.map((item) => item.id)).toEqual(expectedOrder('detectionScore', 'desc'));
    expect(page.nextCursor).toBeNull();
  });

  it('filters by asset', async () => {
    const page = await listFindings(db, { assetId: assetIds[1], limit: 500 });
    expect(page.total).toBe(14);
    expect(page.items.every((item) => item.asset.id === assetIds[1])).toBe(true);
    expect(page.items[0]!.asset.name).toBe('db-01');
  });

  it('returns explicit fields only', async () => {
    const page = await listFindings(db, { limit: 1 });
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      ['asset', 'cveId', 'detectionScore', 'firstFound', 'id', 'lastFound', 'port', 'protocol', 'severity', 'sources', 'status', 'title', 'type'].sort(),
    );
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const invalidCursors: [string, string][] = [
    ['not base64url', 'abc$%^'],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['empty object', encode({})],
    ['another sort', encode({ s: 'severity', d: 'desc', v: '3', i: 4 })],
    ['another direction', encode({ s: 'detectionScore', d: 'asc', v: '3', i: 4 })],
    ['SQL in the value', encode({ s: 'detectionScore', d: 'desc', v: '1; drop table findings', i: 4 })],
    ['integer out of range', encode({ s: 'detectionScore', d: 'desc', v: '99999999999', i: 4 })],
    ['id out of range', encode({ s: 'detectionScore', d: 'desc', v: '3', i: 2 ** 40 })],
    ['negative id', encode({ s: 'detectionScore', d: 'desc', v: '3', i: -1 })],
    ['very long', 'A'.repeat(10_000)],
  ];
  for (const [name, cursor] of invalidCursors) {
    it(`rejects a cursor that is ${name}`, async () => {
      const failure = listFindings(db, { sort: 'detectionScore', direction: 'desc', cursor });
      await expect(failure).rejects.toBeInstanceOf(AppError);
      await expect(failure).rejects.toMatchObject({ code: 'invalid_input' });
    });
  }

  it('rejects an invalid timestamp cursor', async () => {
    const cursor = encode({ s: 'lastFound', d: 'desc', v: '2026-13-45T99:00:00.000000Z', i: 1 });
    await expect(listFindings(db, { sort: 'lastFound', direction: 'desc', cursor })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('rejects a limit outside 1–500', async () => {
    await expect(listFindings(db, { limit: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(listFindings(db, { limit: 501 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('findingsBySeverity', () => {
  it('counts open findings per severity', async () => {
    const counts = await findingsBySeverity(db);
    const open = seeded.filter((_, index) => index % 7 !== 0);

    expect(counts.map((entry) => entry.severity)).toEqual([5, 4, 3, 2, 1]);
    for (const entry of counts) {
      expect(entry.count).toBe(open.filter((finding) => finding.severity === entry.severity).length);
    }
  });
});

describe('getFinding', () => {
  it('returns the finding with its detections and catalog entry', async () => {
    const started = new Date('2026-02-01T00:00:00Z');
    const [first] = await db.insert(imports).values({ fileName: 'scan-1.nessus', status: 'succeeded', startedAt: started }).returning();
    const [second] = await db.insert(imports).values({ fileName: 'scan-2.json', status: 'succeeded', startedAt: started }).returning();
    const [technology] = await db.insert(technologies).values({ assetId: assetIds[0]!, product: 'openssl', version: '3.0.1' }).returning();
    await db.insert(vulnerabilities).values({
      cveId: 'CVE-2024-0001',
      cvss3BaseScore: 9.8,
      epssScore: 0.5,
      isKev: true,
      references: [{ url: 'https://example.org/advisory' }],
    });
    const [finding] = await db
      .insert(findings)
      .values({
        type: 'vulnerability',
        assetId: assetIds[0]!,
        identityKey: 'cve-2024-0001',
        cveId: 'CVE-2024-0001',
        title: 'OpenSSL <script>alert(1)</script>',
        severity: 5,
        detectionScore: 97,
        technologyId: technology!.id,
        sources: ['Nessus', 'Trivy'],
        firstFound: started,
        lastFound: started,
      })
      .returning();
    await db.insert(detections).values([
      { findingId: finding!.id, source: 'Nessus', sourceFindingId: '12345', firstImportId: first!.id, lastImportId: second!.id, firstSeen: started, lastSeen: started, raw: { plugin_id: '12345', output: 'vulnerable' } },
      { findingId: finding!.id, source: 'Trivy', firstImportId: second!.id, lastImportId: second!.id, firstSeen: new Date('2026-02-02T00:00:00Z'), lastSeen: started, raw: { PkgName: 'openssl' } },
    ]);

    const detail = await getFinding(db, finding!.id);

    expect(detail?.title).toBe('OpenSSL <script>alert(1)</script>');
    expect(detail?.asset).toMatchObject({ id: assetIds[0], name: 'web-01' });
    expect(detail?.technology).toMatchObject({ product: 'openssl', version: '3.0.1' });
    expect(detail?.vulnerability).toMatchObject({ cveId: 'CVE-2024-0001', isKev: true, epssScore: 0.5, references: [{ url: 'https://example.org/advisory', tags: [] }] });
    expect(detail?.detections.map((detection) => detection.source)).toEqual(['Nessus', 'Trivy']);
    expect(detail?.detections[0]).toMatchObject({
      sourceFindingId: '12345',
      firstImport: { id: first!.id, fileName: 'scan-1.nessus' },
      lastImport: { id: second!.id, fileName: 'scan-2.json' },
      raw: { plugin_id: '12345', output: 'vulnerable' },
    });
  });

  it('returns undefined for an unknown id', async () => {
    expect(await getFinding(db, 2_000_000_000)).toBeUndefined();
  });
});
