CREATE TABLE "asset_identifiers" (
	"identifier" text PRIMARY KEY NOT NULL,
	"asset_id" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_identifiers" ADD CONSTRAINT "asset_identifiers_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_identifiers_asset_id_idx" ON "asset_identifiers" USING btree ("asset_id");--> statement-breakpoint
-- Registers the identifiers of the existing assets, with the SQL twin of assetIdentifiers() in
-- lib/ingest/asset-identifiers.ts. An identifier several assets carry goes to the one seen last.
INSERT INTO "asset_identifiers" ("identifier", "asset_id")
SELECT DISTINCT ON (keyed.identifier) keyed.identifier, keyed.asset_id
FROM (
	SELECT 'agent:' || agent_id AS identifier, id AS asset_id, last_seen FROM assets WHERE agent_id <> ''
	UNION ALL
	SELECT 'cloud:' || cloud_instance_id, id, last_seen FROM assets WHERE cloud_instance_id <> ''
	UNION ALL
	SELECT 'fqdn:' || lower(fqdn), id, last_seen FROM assets WHERE kind = 'host' AND fqdn <> ''
	UNION ALL
	SELECT 'hostname:' || lower(hostname), id, last_seen FROM assets WHERE kind = 'host' AND hostname <> ''
	UNION ALL
	SELECT 'ip:' || address, id, last_seen FROM assets, unnest(ipv4 || ipv6) AS address WHERE kind = 'host' AND address <> ''
	UNION ALL
	SELECT 'name:' || kind::text || ':' || lower(btrim(name, E' \t\n\r\f\v')), id, last_seen FROM assets
	WHERE kind <> 'host' AND btrim(name, E' \t\n\r\f\v') <> ''
) AS keyed
ORDER BY keyed.identifier, keyed.last_seen DESC, keyed.asset_id DESC;
--> statement-breakpoint
-- Re-identification waits on this row for the imports that read the rules before they changed.
INSERT INTO "app_settings" ("key", "value") VALUES ('identification.rulesChangedAt', now()::text) ON CONFLICT ("key") DO NOTHING;
