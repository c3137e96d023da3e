CREATE TABLE "asset_matches" (
	"asset_id" integer NOT NULL,
	"import_id" integer NOT NULL,
	"matched_by" text NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "asset_matches_asset_id_import_id_pk" PRIMARY KEY("asset_id","import_id")
);
--> statement-breakpoint
CREATE TABLE "finding_merge_rules" (
	"field_group" text PRIMARY KEY NOT NULL,
	"strategy" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identification_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "identification_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"finding_type" "finding_type" NOT NULL,
	"position" integer NOT NULL,
	"attributes" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_trust_ranking" (
	"source" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "technology_aliases" (
	"kind" text NOT NULL,
	"alias" text NOT NULL,
	"canonical" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "technology_aliases_kind_alias_pk" PRIMARY KEY("kind","alias")
);
--> statement-breakpoint
ALTER TABLE "detections" ADD COLUMN "observation" jsonb;--> statement-breakpoint
ALTER TABLE "asset_matches" ADD CONSTRAINT "asset_matches_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_matches" ADD CONSTRAINT "asset_matches_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_matches_asset_idx" ON "asset_matches" USING btree ("asset_id","matched_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "identification_rules_position_key" ON "identification_rules" USING btree ("finding_type","position");