import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { assets } from './assets';

/**
 * Claim registry of asset identifiers (lib/ingest/asset-identifiers.ts): each agent id, cloud
 * instance id, FQDN, hostname, IP address or non-host name belongs to at most one asset. The
 * primary key makes two imports that create the same new host at the same time collide, so the
 * later one merges into the first instead of creating a duplicate. Matching still reads `assets`.
 */
export const assetIdentifiers = pgTable(
  'asset_identifiers',
  {
    identifier: text().primaryKey(),
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
  },
  (table) => [index('asset_identifiers_asset_id_idx').on(table.assetId)],
);
