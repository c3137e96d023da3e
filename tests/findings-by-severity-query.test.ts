import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { findingsBySeverity } from '../lib/findings/aggregates';
import { importReport } from '../lib/ingest/import-report';
import { queryFilter } from '../lib/query/filter';
import { createTestDb } from './helpers/test-db';

const REPORT = `<?xml version="1.0" ?><NessusClientData_v2><Report name="widget">
<ReportHost name="10.3.0.1"><HostProperties><tag name="host-ip">10.3.0.1</tag><tag name="HOST_END_TIMESTAMP">1767225600</tag></HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="4" pluginID="1" pluginName="Critical web flaw" pluginFamily="Web"><description>x</description></ReportItem>
<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="2" pluginID="2" pluginName="Medium ssh flaw" pluginFamily="General"><description>x</description></ReportItem>
</ReportHost></Report></NessusClientData_v2>`;

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

describe('findings by severity with a query', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    await importReport(handle.db, { fileName: 'widget.nessus', bytes: bytes(REPORT) });
  });

  afterAll(async () => {
    await handle.close();
  });

  it('counts only matching findings', async () => {
    const all = await findingsBySeverity(handle.db);
    expect(all.reduce((sum, entry) => sum + entry.count, 0)).toBe(2);

    const query = await queryFilter(handle.db, 'finding', 'finding.port:443');
    const filtered = await findingsBySeverity(handle.db, { query });
    expect(filtered.find((entry) => entry.severity === 5)?.count).toBe(1);
    expect(filtered.reduce((sum, entry) => sum + entry.count, 0)).toBe(1);
  });
});
