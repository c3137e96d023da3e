import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { assets, assetTags } from '../../db/schema';
import { importReport } from '../../lib/ingest/import-report';
import { addAssetsToTag, createTag, updateTag } from '../../lib/tags/tags';
import { createTestDb } from '../helpers/test-db';

function nessus(hosts: { fqdn: string; ip: string; os: string }[], scannedAt: Date): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const body = hosts
    .map(
      (host) => `<ReportHost name="${host.ip}"><HostProperties><tag name="host-ip">${host.ip}</tag><tag name="host-fqdn">${host.fqdn}</tag>
<tag name="operating-system">${host.os}</tag><tag name="HOST_END_TIMESTAMP">${seconds}</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="2" pluginID="1" pluginName="Something" pluginFamily="General"><description>x</description></ReportItem>
</ReportHost>`,
    )
    .join('\n');
  return `<?xml version="1.0" ?><NessusClientData_v2><Report name="tags">${body}</Report></NessusClientData_v2>`;
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function memberNames(handle: DbHandle, tagId: number): Promise<string[]> {
  const rows = await handle.db
    .select({ name: assets.name })
    .from(assetTags)
    .innerJoin(assets, eq(assets.id, assetTags.assetId))
    .where(eq(assetTags.tagId, tagId));
  return rows.map((row) => row.name).sort();
}

describe('dynamic tags', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    const report = nessus(
      [
        { fqdn: 'win1.example', ip: '10.1.0.1', os: 'Microsoft Windows Server 2019' },
        { fqdn: 'lin1.example', ip: '10.1.0.2', os: 'Ubuntu 22.04' },
      ],
      new Date('2026-01-05T00:00:00Z'),
    );
    await importReport(handle.db, { fileName: 'first.nessus', bytes: bytes(report) });
  });

  afterAll(async () => {
    await handle.close();
  });

  it('takes the assets its query matches', async () => {
    const tag = await createTag(handle.db, { name: 'windows', criticalityScore: 4, query: 'asset.os:*windows*' });
    expect(tag.assetCount).toBe(1);
    expect(await memberNames(handle, tag.id)).toEqual(['win1.example']);
    const [windows] = await handle.db.select().from(assets).where(eq(assets.name, 'win1.example'));
    expect(windows?.criticalityScore).toBe(4);
  });

  it('follows an import', async () => {
    const report = nessus([{ fqdn: 'win2.example', ip: '10.1.0.3', os: 'Microsoft Windows 11' }], new Date('2026-01-06T00:00:00Z'));
    await importReport(handle.db, { fileName: 'second.nessus', bytes: bytes(report) });
    const [tag] = (await handle.db.query.tags.findMany()).filter((row) => row.name === 'windows');
    expect(await memberNames(handle, tag!.id)).toEqual(['win1.example', 'win2.example']);
  });

  it('replaces members when the query changes', async () => {
    const [tag] = (await handle.db.query.tags.findMany()).filter((row) => row.name === 'windows');
    await updateTag(handle.db, tag!.id, { query: 'asset.os:ubuntu*' });
    expect(await memberNames(handle, tag!.id)).toEqual(['lin1.example']);
  });

  it('rejects an invalid query with its position', async () => {
    await expect(createTag(handle.db, { name: 'broken', query: 'asset.oss:windows' })).rejects.toThrow(/asset\.os/);
    expect((await handle.db.query.tags.findMany()).some((row) => row.name === 'broken')).toBe(false);
  });

  it('rejects hand edits of members', async () => {
    const [tag] = (await handle.db.query.tags.findMany()).filter((row) => row.name === 'windows');
    await expect(addAssetsToTag(handle.db, tag!.id, { assetIds: [1] })).rejects.toThrow(/takes its members from its query/);
  });
});
