import { describe, expect, it } from 'vitest';
import { AssetMatcher, displayName, mergeAsset, type StoredAsset } from '../../lib/ingest/asset-matcher';
import type { AssetRecord } from '../../lib/ingest/model';

const seen = new Date('2026-01-01T00:00:00Z');

function stored(fields: Partial<StoredAsset>): StoredAsset {
  return {
    id: 1,
    kind: 'host',
    name: 'host',
    fqdn: null,
    hostname: null,
    ipv4: [],
    ipv6: [],
    mac: [],
    os: null,
    cloudInstanceId: null,
    agentId: null,
    internetFacing: false,
    firstSeen: seen,
    lastSeen: seen,
    ...fields,
  };
}

function record(fields: Partial<AssetRecord>): AssetRecord {
  return { reportKey: 'r', name: 'host', kind: 'host', ...fields };
}

describe('AssetMatcher', () => {
  it('prefers the agent id over the FQDN', () => {
    const matcher = new AssetMatcher();
    matcher.add(stored({ id: 1, fqdn: 'web.example.com' }));
    matcher.add(stored({ id: 2, agentId: 'agent-7' }));
    expect(matcher.match(record({ agentId: 'agent-7', fqdn: 'web.example.com' }))).toMatchObject({ asset: { id: 2 }, rule: 'agent_id' });
  });

  it('matches FQDN case-insensitively', () => {
    const matcher = new AssetMatcher();
    matcher.add(stored({ id: 3, fqdn: 'DB01.Example.com' }));
    expect(matcher.match(record({ fqdn: 'db01.example.com' }))).toMatchObject({ asset: { id: 3 }, rule: 'fqdn' });
  });

  it('matches by IP when nothing conflicts', () => {
    const matcher = new AssetMatcher();
    matcher.add(stored({ id: 4, ipv4: ['10.0.0.5'] }));
    expect(matcher.match(record({ ipv4: ['10.0.0.5'] }))).toMatchObject({ asset: { id: 4 }, rule: 'ip' });
  });

  it('rejects an IP match between different FQDNs', () => {
    const matcher = new AssetMatcher();
    matcher.add(stored({ id: 5, fqdn: 'a.example.com', ipv4: ['10.0.0.5'] }));
    expect(matcher.match(record({ fqdn: 'b.example.com', ipv4: ['10.0.0.5'] }))).toBeUndefined();
  });

  it('matches images by kind and name only', () => {
    const matcher = new AssetMatcher();
    matcher.add(stored({ id: 6, kind: 'container_image', name: 'shop/web:1.2' }));
    expect(matcher.match(record({ kind: 'container_image', name: 'shop/web:1.2' }))).toMatchObject({ asset: { id: 6 }, rule: 'name' });
    expect(matcher.match(record({ kind: 'host', name: 'shop/web:1.2' }))).toBeUndefined();
  });
});

describe('mergeAsset', () => {
  it('reports no change for the same record', () => {
    const asset = stored({ fqdn: 'web.example.com', ipv4: ['10.0.0.1'] });
    expect(mergeAsset(asset, record({ fqdn: 'web.example.com', ipv4: ['10.0.0.1'] }), seen).changed).toBe(false);
  });

  it('unions addresses and widens the seen dates', () => {
    const later = new Date('2026-02-01T00:00:00Z');
    const { merged, changed } = mergeAsset(stored({ ipv4: ['10.0.0.1'] }), record({ ipv4: ['10.0.0.2'], os: 'Linux' }), later);
    expect(changed).toBe(true);
    expect(merged.ipv4).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(merged.os).toBe('Linux');
    expect(merged.lastSeen).toEqual(later);
    expect(merged.firstSeen).toEqual(seen);
  });

  it('keeps newer values against an older report', () => {
    const older = new Date('2025-12-01T00:00:00Z');
    const { merged } = mergeAsset(stored({ os: 'Windows Server 2022' }), record({ os: 'Windows Server 2016' }), older);
    expect(merged.os).toBe('Windows Server 2022');
    expect(merged.firstSeen).toEqual(older);
  });

  it('renames a host known only by its address', () => {
    const { merged, changed } = mergeAsset(stored({ name: '10.0.0.9', ipv4: ['10.0.0.9'] }), record({ fqdn: 'app.example.com', ipv4: ['10.0.0.9'] }), seen);
    expect(changed).toBe(true);
    expect(merged.name).toBe('app.example.com');
  });

  it('keeps a host name that is not an address', () => {
    const { merged } = mergeAsset(stored({ name: 'app01', ipv4: ['10.0.0.9'] }), record({ fqdn: 'app.example.com' }), seen);
    expect(merged.name).toBe('app01');
  });
});

describe('displayName', () => {
  it('prefers FQDN, then hostname, then the report name', () => {
    expect(displayName(record({ name: '10.0.0.1', fqdn: 'a.example.com', hostname: 'A' }))).toBe('a.example.com');
    expect(displayName(record({ name: '10.0.0.1', hostname: 'A' }))).toBe('A');
    expect(displayName(record({ name: '10.0.0.1' }))).toBe('10.0.0.1');
  });

  it('keeps the name of an image', () => {
    expect(displayName(record({ kind: 'container_image', name: 'shop/web:1', fqdn: 'x' }))).toBe('shop/web:1');
  });
});
