import type { Tx } from '../../db/client';
import { assetIdentifiers } from './asset-identifiers';
import { AssetMatcher, type MatchRule, type StoredAsset } from './asset-matcher';
import type { AssetRecord } from './model';
import { claimIdentifiers, identifierOwners, insertAssets, loadAssetCandidates, transferIdentifier } from './store/asset-store';

/** Rounds of matching again and moving identifiers before a new asset's claim gives up. */
const MAX_CLAIM_ROUNDS = 5;

/** Outcome for a new asset that lost an identifier claim. */
export type SettledAsset = { kind: 'kept' } | { kind: 'merged'; into: StoredAsset; rule: MatchRule };

export interface ContestedAsset {
  asset: StoredAsset;
  /** False when the insert left the asset out because its agent or cloud instance id is on another asset. */
  inserted: boolean;
  /** Identifiers registered to another asset. */
  lostIdentifiers: string[];
}

/**
 * Settles a new asset some of whose identifiers are registered to another asset, often one that a
 * concurrent import has just committed. The asset's record is matched again against the assets as they are
 * now. When it matches one, the caller merges the new asset into it. When it still matches none,
 * it is a different asset (an address outside the IP window, conflicting FQDNs), and the lost
 * identifiers move to it, as the asset seen last. A move that finds the identifier moved again
 * meanwhile starts another round.
 */
export async function settleContestedAsset(
  tx: Tx,
  contested: ContestedAsset,
  options: { ipWindowDays: number | undefined; createdIds: ReadonlySet<number> },
): Promise<SettledAsset> {
  const { asset } = contested;
  const record = assetRecordOf(asset);
  let inserted = contested.inserted;
  let lost = contested.lostIdentifiers;

  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    // Each statement reads what committed before it began, so this reads the winners' rows.
    // The batch's own new assets are left out: the first matching pass already weighed them.
    const matcher = new AssetMatcher({ ipWindowDays: options.ipWindowDays });
    for (const candidate of await loadAssetCandidates(tx, [record])) {
      if (!options.createdIds.has(candidate.id)) matcher.add(candidate);
    }
    const found = matcher.match(record, asset.lastSeen);
    if (found) return { kind: 'merged', into: found.asset, rule: found.rule };

    if (!inserted) {
      // The asset that held the agent or cloud instance id is gone, so the insert is tried again.
      if (!(await insertAssets(tx, [asset])).has(asset.id)) continue;
      inserted = true;
      const identifiers = assetIdentifiers(asset);
      const won = await claimIdentifiers(tx, identifiers.map((identifier) => ({ identifier, assetId: asset.id })));
      lost = identifiers.filter((identifier) => won.get(identifier) !== asset.id);
      if (lost.length === 0) return { kind: 'kept' };
      continue;
    }

    lost = await moveIdentifiers(tx, asset.id, lost);
    if (lost.length === 0) return { kind: 'kept' };
  }

  throw new Error(
    `asset ${asset.id} ("${asset.name}") could not claim ${lost.join(', ')} after ${MAX_CLAIM_ROUNDS} rounds, because concurrent imports kept changing their owners; import the report again`,
  );
}

/** Moves identifiers onto `assetId` from the assets they are registered to; returns those that moved meanwhile. */
async function moveIdentifiers(tx: Tx, assetId: number, identifiers: string[]): Promise<string[]> {
  const owners = await identifierOwners(tx, identifiers);
  const remaining: string[] = [];
  for (const identifier of identifiers) {
    const owner = owners.get(identifier);
    if (owner === assetId) continue;
    if (owner === undefined) {
      const won = await claimIdentifiers(tx, [{ identifier, assetId }]);
      if (won.get(identifier) !== assetId) remaining.push(identifier);
      continue;
    }
    if (!(await transferIdentifier(tx, identifier, owner, assetId))) remaining.push(identifier);
  }
  return remaining;
}

/** Returns a stored asset as a report record, to match it or merge it into another asset. */
export function assetRecordOf(asset: StoredAsset): AssetRecord {
  return {
    reportKey: `asset:${asset.id}`,
    kind: asset.kind as AssetRecord['kind'],
    name: asset.name,
    fqdn: asset.fqdn ?? undefined,
    hostname: asset.hostname ?? undefined,
    ipv4: asset.ipv4,
    ipv6: asset.ipv6,
    mac: asset.mac,
    os: asset.os ?? undefined,
    cloudInstanceId: asset.cloudInstanceId ?? undefined,
    agentId: asset.agentId ?? undefined,
    internetFacing: asset.internetFacing,
    firstSeen: asset.firstSeen,
    lastSeen: asset.lastSeen,
  };
}
