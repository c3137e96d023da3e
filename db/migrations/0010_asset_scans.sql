CREATE TABLE "asset_scans" (
	"asset_id" integer NOT NULL,
	"source" text NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"finding_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"import_id" integer,
	CONSTRAINT "asset_scans_asset_id_source_scanned_at_pk" PRIMARY KEY("asset_id","source","scanned_at")
);
--> statement-breakpoint
ALTER TABLE "asset_scans" ADD CONSTRAINT "asset_scans_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_scans" ADD CONSTRAINT "asset_scans_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_scans_asset_time_idx" ON "asset_scans" USING btree ("asset_id","scanned_at");