import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { assets, findings, imports } from '../../db/schema';
import { previewProfile, PREVIEW_ROWS } from '../../lib/connector-profiles/preview';
import { createProfile, deleteProfile, getProfile, getProfileByName, listProfiles, updateProfile } from '../../lib/connector-profiles/profiles';
import type { ProfileInput } from '../../lib/connector-profiles/profile-schema';
import { AppError } from '../../lib/http/app-error';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
});

afterAll(async () => {
  await handle.close();
});

const PROFILE: ProfileInput = {
  name: 'Pentest tracker',
  sourceName: 'Pentest tracker',
  mapping: { Host: 'asset.fqdn', Issue: 'finding.title', Risk: 'finding.severity', Ref: 'finding.sourceFindingId' },
  csv: { severityMap: { P1: 'critical', P2: 'high', P3: 'medium' } },
};

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function importCsv(profile: string, text: string, fileName = 'tracker.csv'): Promise<ImportSummary> {
  return importReport(handle.db, { fileName, bytes: bytes(text), profile });
}

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe('connector profile storage', () => {
  it('creates, reads, updates and deletes', async () => {
    const created = await createProfile(handle.db, { ...PROFILE, name: 'Storage test' });
    expect(created.format).toBe('generic-csv');
    expect(created.csv).toEqual({ delimiter: 'auto', skipLines: 0, hasHeaderRow: true, dateFormat: 'iso', severityMap: { P1: 'critical', P2: 'high', P3: 'medium' } });
    expect(created.keepAbsentFindings).toBe(false);
    expect(created.defaultAssetKind).toBe('host');

    expect((await getProfile(handle.db, created.id))?.name).toBe('Storage test');
    expect((await getProfileByName(handle.db, 'STORAGE TEST'))?.id).toBe(created.id);
    expect((await listProfiles(handle.db)).map((profile) => profile.name)).toContain('Storage test');

    const updated = await updateProfile(handle.db, created.id, { ...PROFILE, name: 'Storage test 2', keepAbsentFindings: true, defaultAssetKind: 'application' });
    expect(updated.name).toBe('Storage test 2');
    expect(updated.keepAbsentFindings).toBe(true);
    expect(updated.defaultAssetKind).toBe('application');
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    await deleteProfile(handle.db, created.id);
    expect(await getProfile(handle.db, created.id)).toBeUndefined();
  });

  it('rejects a taken name in any case', async () => {
    await createProfile(handle.db, { ...PROFILE, name: 'Unique name' });
    await expectAppError(createProfile(handle.db, { ...PROFILE, name: 'unique NAME' }), 'invalid_input', /already exists/);
  });

  it('rejects an incomplete mapping', async () => {
    await expectAppError(createProfile(handle.db, { ...PROFILE, name: 'No title', mapping: { Host: 'asset.fqdn' } }), 'invalid_input', /Finding: title/);
  });

  it('rejects an unknown field and severity name', async () => {
    await expectAppError(createProfile(handle.db, { ...PROFILE, name: 'Bad field', mapping: { Host: 'asset.color', Issue: 'finding.title' } }), 'invalid_input', /mapping/);
    await expectAppError(createProfile(handle.db, { ...PROFILE, name: 'Bad severity', csv: { severityMap: { P1: 'severe' } } }), 'invalid_input', /severityMap/);
  });

  it('reports unknown ids as not found', async () => {
    await expectAppError(updateProfile(handle.db, 999_999, PROFILE), 'not_found', /999999/);
    await expectAppError(deleteProfile(handle.db, 999_999), 'not_found', /999999/);
  });
});

describe('import with a profile', () => {
  beforeAll(async () => {
    await createProfile(handle.db, PROFILE);
  });

  it('stores findings under the profile source', async () => {
    const summary = await importCsv('pentest TRACKER', 'Host,Issue,Risk,Ref,Owner\nshop.example.com,SQL injection,P1,PT-1,alice\nshop.example.com,Verbose errors,P3,PT-2,bob\n');
    expect(summary.error).toBeUndefined();
    expect(summary.format).toBe('generic-csv');
    expect(summary.source).toBe('Pentest tracker');
    expect(summary.counts.findingsNew).toBe(2);

    const rows = await handle.db.select({ title: findings.title, severity: findings.severity, sources: findings.sources }).from(findings).innerJoin(assets, eq(assets.id, findings.assetId)).where(eq(assets.name, 'shop.example.com'));
    const sqli = rows.find((row) => row.title === 'SQL injection');
    expect(sqli?.severity).toBe(5);
    expect(sqli?.sources).toEqual(['Pentest tracker']);
    const [logged] = await handle.db.select({ source: imports.source, format: imports.format }).from(imports).where(eq(imports.id, summary.importId));
    expect(logged).toEqual({ source: 'Pentest tracker', format: 'generic-csv' });
  });

  it('rejects an unknown profile', async () => {
    const summary = await importCsv('No such profile', 'Host,Issue\nh,t\n');
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toContain('connector profile "No such profile" does not exist');
    expect(summary.error?.position?.field).toBe('profile');
  });

  it('rejects a generic CSV without a profile', async () => {
    const summary = await importReport(handle.db, { fileName: 'x.csv', bytes: bytes('Host,Issue\nh,t\n'), format: 'generic-csv' });
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toContain('needs a connector profile');
  });

  it('writes nothing when a later row is invalid', async () => {
    const before = await handle.db.$count(findings);
    const summary = await importCsv('Pentest tracker', 'Host,Issue,Risk,Ref\nnew.example.com,Fine,P2,PT-9\nnew.example.com,Broken,P7,PT-10\n', 'broken.csv');
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toBe('broken.csv: Risk has the unknown severity "P7"; add it to the profile\'s severity map (it maps "p1", "p2", "p3") or use info, low, medium, high or critical (line 3, field Risk)');
    expect(await handle.db.$count(findings)).toBe(before);
  });
});

describe('absent findings', () => {
  const first = 'Host,Issue,Risk,Ref,Seen\nlife.example.com,Old TLS,P2,L-1,2026-03-01\nlife.example.com,Weak password,P1,L-2,2026-03-01\n';
  const second = 'Host,Issue,Risk,Ref,Seen\nlife.example.com,Old TLS,P2,L-1,2026-03-08\n';

  async function statusesOn(assetName: string): Promise<Map<string, string>> {
    const rows = await handle.db.select({ title: findings.title, status: findings.status }).from(findings).innerJoin(assets, eq(assets.id, findings.assetId)).where(eq(assets.name, assetName));
    return new Map(rows.map((row) => [row.title, row.status]));
  }

  it('become fixed by default', async () => {
    const mapping = { ...PROFILE.mapping, Seen: 'finding.lastSeen' } as const;
    await createProfile(handle.db, { ...PROFILE, name: 'Fixing', sourceName: 'Fixing source', mapping });
    expect((await importCsv('Fixing', first.replaceAll('life.', 'fix.'), 'fix-1.csv')).counts.findingsNew).toBe(2);
    const summary = await importCsv('Fixing', second.replaceAll('life.', 'fix.'), 'fix-2.csv');
    expect(summary.counts.findingsFixed).toBe(1);
    const statuses = await statusesOn('fix.example.com');
    expect(statuses.get('Weak password')).toBe('fixed');
    expect(statuses.get('Old TLS')).toBe('active');
  });

  it('stay open with keepAbsentFindings', async () => {
    const mapping = { ...PROFILE.mapping, Seen: 'finding.lastSeen' } as const;
    await createProfile(handle.db, { ...PROFILE, name: 'Keeping', sourceName: 'Keeping source', mapping, keepAbsentFindings: true });
    expect((await importCsv('Keeping', first, 'keep-1.csv')).counts.findingsNew).toBe(2);
    const summary = await importCsv('Keeping', second, 'keep-2.csv');
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.findingsFixed).toBe(0);
    const statuses = await statusesOn('life.example.com');
    expect(statuses.get('Weak password')).toBe('new');
    expect(statuses.get('Old TLS')).toBe('active');
  });
});

describe('profile preview', () => {
  it('maps the first rows with messages', async () => {
    const rows = Array.from({ length: 30 }, (_, index) => `host${index}.example.com,Issue ${index},${index === 2 ? 'P9' : 'P2'},R-${index},note ${index}`);
    const preview = await previewProfile({ sample: ['Host,Issue,Risk,Ref,Note', ...rows].join('\n'), mapping: PROFILE.mapping, csv: { severityMap: { P2: 'high' } } });

    expect(preview.columns).toEqual(['Host', 'Issue', 'Risk', 'Ref', 'Note']);
    expect(preview.issues).toEqual([]);
    expect(preview.rows).toHaveLength(PREVIEW_ROWS);
    expect(preview.rows[0]).toEqual({
      line: 2,
      values: { 'asset.fqdn': 'host0.example.com', 'finding.title': 'Issue 0', 'finding.severity': '4 (high)', 'finding.sourceFindingId': 'R-0' },
      rawColumns: 1,
    });
    expect(preview.rows[2]?.error).toEqual({ line: 4, column: 'Risk', message: expect.stringContaining('"P9"') as string });
  });

  it('lists what an incomplete mapping lacks', async () => {
    const preview = await previewProfile({ sample: 'A;B\n1;2\n', mapping: { A: 'finding.title', Missing: 'asset.name' }, csv: { delimiter: ';' } });
    expect(preview.columns).toEqual(['A', 'B']);
    expect(preview.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('"Missing"')]);
    expect(preview.rows[0]?.error?.message).toContain('row names no asset');
  });

  it('explains a missing asset mapping', async () => {
    const preview = await previewProfile({ sample: 'Host,Title\nh1,Telnet\n', mapping: { Title: 'finding.title' } });
    expect(preview.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('asset name, FQDN, host name, IP address or URL') as string]);
    expect(preview.rows[0]?.error?.message).toContain('no column is mapped to an asset field');
    expect(preview.rows[0]?.error?.message).not.toContain('is blank');
  });

  it('reports a malformed sample', async () => {
    const preview = await previewProfile({ sample: 'A,B\n"1,2\n', mapping: { A: 'finding.title', B: 'asset.name' } });
    expect(preview.issues[0]?.message).toContain('invalid CSV');
  });

  it('rejects invalid settings', async () => {
    await expectAppError(previewProfile({ sample: 'A\n1\n', csv: { dateFormat: 'soon' } }), 'invalid_input', /dateFormat/);
  });
});
