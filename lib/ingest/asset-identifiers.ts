import type { StoredAsset } from './asset-matcher';

/** The attributes of an asset that give its identifiers. */
export type IdentifiedAsset = Pick<StoredAsset, 'kind' | 'name' | 'fqdn' | 'hostname' | 'ipv4' | 'ipv6' | 'agentId' | 'cloudInstanceId'>;

/**
 * Returns the keys of an asset in the `asset_identifiers` claim registry, sorted and without
 * repeats: `agent:<id>`, `cloud:<instance id>`, and for hosts `fqdn:<lower FQDN>`,
 * `hostname:<lower hostname>` and `ip:<address>` per address; for other kinds
 * `name:<kind>:<lower trimmed name>`. They follow what AssetMatcher matches on, so two records the
 * matcher would join share a key. Migration 0016_asset_identifiers.sql backfills with the same rules.
 */
export function assetIdentifiers(asset: IdentifiedAsset): string[] {
  const keys = new Set<string>();
  if (asset.agentId) keys.add(`agent:${asset.agentId}`);
  if (asset.cloudInstanceId) keys.add(`cloud:${asset.cloudInstanceId}`);

  if (asset.kind === 'host') {
    if (asset.fqdn) keys.add(`fqdn:${asset.fqdn.toLowerCase()}`);
    if (asset.hostname) keys.add(`hostname:${asset.hostname.toLowerCase()}`);
    for (const address of [...asset.ipv4, ...asset.ipv6]) {
      if (address) keys.add(`ip:${address}`);
    }
  } else {
    const name = asset.name.trim().toLowerCase();
    if (name) keys.add(`name:${asset.kind}:${name}`);
  }

  return [...keys].sort();
}
