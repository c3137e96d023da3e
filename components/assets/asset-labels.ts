import type { AssetListItem } from '@/lib/assets/list-assets';

export const ASSET_KIND_LABELS = {
  host: 'Host',
  container_image: 'Container image',
  repository: 'Repository',
  application: 'Application',
  cloud_resource: 'Cloud resource',
} as const satisfies Record<AssetListItem['kind'], string>;

/**
 * Returns the names and addresses that identify an asset besides its name: the FQDN or else the
 * hostname when either differs from the name, then the IPv4 addresses. An asset with none of
 * them is described by its kind, so the line under a name is never empty.
 */
export function assetIdentifiers(asset: Pick<AssetListItem, 'name' | 'kind' | 'fqdn' | 'hostname' | 'ipv4'>): string[] {
  const hostName = asset.fqdn ?? asset.hostname;
  const parts = [...(hostName && hostName.toLowerCase() !== asset.name.toLowerCase() ? [hostName] : []), ...asset.ipv4];
  return parts.length > 0 ? parts : [ASSET_KIND_LABELS[asset.kind]];
}
