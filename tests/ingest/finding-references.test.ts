import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { findings } from '../../db/schema';
import { getFinding } from '../../lib/findings/get-finding';
import { importReport } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';

const REPORT = `<?xml version="1.0" ?>
<NessusClientData_v2><Report name="refs">
<ReportHost name="10.9.0.1"><HostProperties><tag name="host-ip">10.9.0.1</tag><tag name="HOST_END_TIMESTAMP">1767225600</tag></HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="2" pluginID="4242" pluginName="Weak TLS" pluginFamily="General">
<description>Weak TLS.</description>
<see_also>https://example.org/advisory-1
https://example.org/advisory-2</see_also>
</ReportItem>
</ReportHost></Report></NessusClientData_v2>`;

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

describe('finding references', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
  });

  afterAll(async () => {
    await handle.close();
  });

  it('stores the report links and shows them', async () => {
    const summary = await importReport(handle.db, { fileName: 'refs.nessus', bytes: bytes(REPORT) });
    expect(summary.status).toBe('succeeded');

    const [row] = await handle.db.select().from(findings).where(eq(findings.title, 'Weak TLS'));
    expect(row?.references).toEqual(['https://example.org/advisory-1', 'https://example.org/advisory-2']);

    const detail = await getFinding(handle.db, row?.id ?? 0);
    expect(detail?.references.map((reference) => reference.url)).toEqual(['https://example.org/advisory-1', 'https://example.org/advisory-2']);
  });
});
