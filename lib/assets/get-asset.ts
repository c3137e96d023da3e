import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { assetTags, assets, tags, technologies } from '../../db/schema';
import type { AssetListItem } from './list-assets';
import { findingsBySeverity, type SeverityCount } from '../findings/aggregates';
import { getScoringSettings } from '../scoring/settings';

export interface AssetDetail extends Omit<AssetListItem, 'openFindings'> {
  ipv6: string[];
  mac: string[];
  cloudInstanceId: string | null;
  agentId: string | null;
  firstSeen: string;
  tags: { id: number; name: string; criticalityScore: number | null }[];
  technologies: { id: number; vendor: string | null; product: string; version: string | null; cpe: string | null; path: string | null }[];
  /** Open findings of this asset per severity, most severe first. */
  openFindingsBySeverity: SeverityCount[];
}

/** Returns one asset with its tags, technologies and open-finding counts, or undefined. */
export async function getAsset(db: Db, id: number): Promise<AssetDetail | undefined> {
  const [asset] = await db.select().from(assets).where(eq(assets.id, id)).limit(1);
  if (!asset) return undefined;

  const [tagRows, technologyRows, severityCounts] = await Promise.all([
    db
      .select({ id: tags.id, name: tags.name, criticalityScore: tags.criticalityScore })
      .from(assetTags)
      .innerJoin(tags, eq(tags.id, assetTags.tagId))
      .where(eq(assetTags.assetId, id))
      .orderBy(asc(tags.name)),
    db
      .select({ id: technologies.id, vendor: technologies.vendor, product: technologies.product, version: technologies.version, cpe: technologies.cpe, path: technologies.path })
      .from(technologies)
      .where(eq(technologies.assetId, id))
      .orderBy(asc(technologies.product), asc(technologies.id)),
    findingsBySeverity(db, { assetId: id }),
  ]);

  return {
    id: asset.id,
    name: asset.name,
    kind: asset.kind,
    fqdn: asset.fqdn,
    hostname: asset.hostname,
    ipv4: asset.ipv4,
    ipv6: asset.ipv6,
    mac: asset.mac,
    os: asset.os,
    cloudInstanceId: asset.cloudInstanceId,
    agentId: asset.agentId,
    internetFacing: asset.internetFacing,
    // The version the organization shows, like the lists and the headline score.
    riskScore: (await getScoringSettings(db)).displayedVersion === 'v2' ? asset.riskScoreV2 : asset.riskScore,
    criticalityScore: asset.criticalityScore,
    firstSeen: asset.firstSeen.toISOString(),
    lastSeen: asset.lastSeen.toISOString(),
    tags: tagRows,
    technologies: technologyRows,
    openFindingsBySeverity: severityCounts,
  };
}
