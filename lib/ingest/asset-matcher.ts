import type { AssetRecord } from './model';

/** The attributes of a stored asset that matching looks at. */
export interface StoredAsset {
  id: number;
  kind: string;
  name: string;
  fqdn: string | null;
  hostname: string | null;
  ipv4: string[];
  ipv6: string[];
  mac: string[];
  os: string | null;
  cloudInstanceId: string | null;
  agentId: string | null;
  internetFacing: boolean;
  firstSeen: Date;
  lastSeen: Date;
}

export type MatchRule = 'agent_id' | 'cloud_instance_id' | 'fqdn' | 'hostname' | 'ip' | 'name';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Finds the stored asset a report's asset record is, trying the identifiers from the most to the
 * least reliable: agent id, cloud instance id, FQDN, hostname, then IP address. An IP address is
 * reused across hosts (DHCP, NAT), so it only matches when the two sides do not carry different
 * FQDNs or hostnames, and only when the asset was seen within `ipWindowDays` of the record (an
 * address handed to another machine since then must not pull its findings onto the old asset).
 * The window is measured to the asset's last sighting as a whole, which carried the address
 * among its addresses. Assets that are not hosts (images, repositories) match by kind and name.
 */
export class AssetMatcher {
  private readonly byAgent = new Map<string, StoredAsset>();
  private readonly byCloud = new Map<string, StoredAsset>();
  private readonly byFqdn = new Map<string, StoredAsset>();
  private readonly byHostname = new Map<string, StoredAsset>();
  /** Every asset seen with an address; an address passes between machines over time. */
  private readonly byIp = new Map<string, StoredAsset[]>();
  private readonly byName = new Map<string, StoredAsset>();

  constructor(private readonly options: { ipWindowDays?: number } = {}) {}

  add(asset: StoredAsset): void {
    if (asset.agentId) this.byAgent.set(asset.agentId, asset);
    if (asset.cloudInstanceId) this.byCloud.set(asset.cloudInstanceId, asset);
    if (asset.fqdn) this.byFqdn.set(asset.fqdn.toLowerCase(), asset);
    if (asset.hostname) this.byHostname.set(asset.hostname.toLowerCase(), asset);
    for (const ip of [...asset.ipv4, ...asset.ipv6]) {
      const list = (this.byIp.get(ip) ?? []).filter((known) => known.id !== asset.id);
      list.push(asset);
      this.byIp.set(ip, list);
    }
    if (asset.kind !== 'host') this.byName.set(nameKey(asset.kind, asset.name), asset);
  }

  match(record: AssetRecord, seenAt?: Date): { asset: StoredAsset; rule: MatchRule } | undefined {
    if (record.agentId) {
      const asset = this.byAgent.get(record.agentId);
      if (asset) return { asset, rule: 'agent_id' };
    }
    if (record.cloudInstanceId) {
      const asset = this.byCloud.get(record.cloudInstanceId);
      if (asset) return { asset, rule: 'cloud_instance_id' };
    }
    if (record.kind !== 'host') {
      const asset = this.byName.get(nameKey(record.kind, record.name));
      return asset ? { asset, rule: 'name' } : undefined;
    }
    if (record.fqdn) {
      const asset = this.byFqdn.get(record.fqdn.toLowerCase());
      if (asset && !conflicts(record, asset)) return { asset, rule: 'fqdn' };
    }
    if (record.hostname) {
      const asset = this.byHostname.get(record.hostname.toLowerCase());
      if (asset && !conflicts(record, asset)) return { asset, rule: 'hostname' };
    }
    for (const ip of [...(record.ipv4 ?? []), ...(record.ipv6 ?? [])]) {
      // The most recently seen asset with the address wins.
      const candidates = [...(this.byIp.get(ip) ?? [])].sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime());
      const asset = candidates.find((candidate) => !conflicts(record, candidate) && this.withinIpWindow(candidate, seenAt));
      if (asset) return { asset, rule: 'ip' };
    }
    return undefined;
  }

  private withinIpWindow(asset: StoredAsset, seenAt: Date | undefined): boolean {
    const days = this.options.ipWindowDays;
    if (days === undefined || !seenAt) return true;
    return Math.abs(seenAt.getTime() - asset.lastSeen.getTime()) <= days * DAY_MS;
  }
}

/** True when both sides carry a strong identifier and the values differ: two different machines. */
function conflicts(record: AssetRecord, asset: StoredAsset): boolean {
  if (record.agentId && asset.agentId && record.agentId !== asset.agentId) return true;
  if (record.cloudInstanceId && asset.cloudInstanceId && record.cloudInstanceId !== asset.cloudInstanceId) return true;
  if (record.fqdn && asset.fqdn && record.fqdn.toLowerCase() !== asset.fqdn.toLowerCase()) return true;
  if (record.hostname && asset.hostname && record.hostname.toLowerCase() !== asset.hostname.toLowerCase()) return true;
  return false;
}

function nameKey(kind: string, name: string): string {
  return `${kind}|${name.trim().toLowerCase()}`;
}

/**
 * Merges a newer record into a stored asset: identifiers are filled in where missing, addresses
 * are unioned, and the seen dates widen. Returns the merged asset and whether anything changed.
 */
export function mergeAsset(stored: StoredAsset, record: AssetRecord, seenAt: Date): { merged: StoredAsset; changed: boolean } {
  const newer = seenAt.getTime() >= stored.lastSeen.getTime();
  const pick = (current: string | null, incoming: string | undefined): string | null =>
    incoming && (newer || !current) ? incoming : current;

  const merged: StoredAsset = {
    ...stored,
    name: stored.kind === 'host' && isAddressName(stored) ? displayName(record) : stored.name,
    fqdn: pick(stored.fqdn, record.fqdn),
    hostname: pick(stored.hostname, record.hostname),
    os: pick(stored.os, record.os),
    agentId: stored.agentId ?? record.agentId ?? null,
    cloudInstanceId: stored.cloudInstanceId ?? record.cloudInstanceId ?? null,
    ipv4: union(stored.ipv4, record.ipv4),
    ipv6: union(stored.ipv6, record.ipv6),
    mac: union(stored.mac, record.mac),
    internetFacing: stored.internetFacing || record.internetFacing === true,
    firstSeen: new Date(Math.min(stored.firstSeen.getTime(), (record.firstSeen ?? seenAt).getTime())),
    lastSeen: new Date(Math.max(stored.lastSeen.getTime(), seenAt.getTime())),
  };

  const changed =
    merged.name !== stored.name ||
    merged.fqdn !== stored.fqdn ||
    merged.hostname !== stored.hostname ||
    merged.os !== stored.os ||
    merged.agentId !== stored.agentId ||
    merged.cloudInstanceId !== stored.cloudInstanceId ||
    merged.ipv4.length !== stored.ipv4.length ||
    merged.ipv6.length !== stored.ipv6.length ||
    merged.mac.length !== stored.mac.length ||
    merged.internetFacing !== stored.internetFacing ||
    merged.firstSeen.getTime() !== stored.firstSeen.getTime() ||
    merged.lastSeen.getTime() !== stored.lastSeen.getTime();

  return { merged, changed };
}

/**
 * Returns the name to show for a new asset: for a host its FQDN, else its hostname, else what
 * the report called it (often only an IP address).
 */
export function displayName(record: AssetRecord): string {
  if (record.kind !== 'host') return record.name;
  return record.fqdn ?? record.hostname ?? record.name;
}

/** True when a host is named after one of its addresses, so a later report's FQDN may rename it. */
function isAddressName(asset: StoredAsset): boolean {
  return asset.ipv4.includes(asset.name) || asset.ipv6.includes(asset.name);
}

function union(current: string[], incoming: string[] | undefined): string[] {
  if (!incoming || incoming.length === 0) return current;
  const seen = new Set(current);
  const result = [...current];
  for (const value of incoming) {
    if (!seen.has(value)) {
      seen.add(value);
      result.push(value);
    }
  }
  return result;
}
