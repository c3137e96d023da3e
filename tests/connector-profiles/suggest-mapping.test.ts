import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../../lib/connector-profiles/suggest-mapping';

describe('suggestMapping', () => {
  it('maps common column names whatever their case', () => {
    expect(suggestMapping(['HOST', 'Title', 'severity', 'Cve', 'Port', 'Protocol', 'Description', 'Solution', 'Notes'], {})).toEqual({
      HOST: 'asset.hostname',
      Title: 'finding.title',
      severity: 'finding.severity',
      Cve: 'finding.cve',
      Port: 'finding.port',
      Protocol: 'finding.protocol',
      Description: 'finding.description',
      Solution: 'finding.solution',
    });
  });

  it('gives a field to the first column that claims it', () => {
    expect(suggestMapping(['Host', 'Hostname', 'Name', 'Title', 'Risk', 'Severity', 'IP'], {})).toEqual({
      Host: 'asset.hostname',
      Name: 'finding.title',
      Risk: 'finding.severity',
      IP: 'asset.ip',
    });
  });

  it('keeps a saved mapping and the fields it uses', () => {
    const saved = { Host: 'asset.name', Summary: 'finding.title' } as const;
    expect(suggestMapping(['Host', 'Summary', 'Title', 'Hostname'], saved)).toEqual({ Host: 'asset.name', Summary: 'finding.title', Hostname: 'asset.hostname' });
  });
});
