ALTER TYPE "public"."feed_name" ADD VALUE 'eol';--> statement-breakpoint
ALTER TYPE "public"."feed_name" ADD VALUE 'attack';--> statement-breakpoint
CREATE TABLE "technology_lifecycles" (
	"product" text NOT NULL,
	"cycle" text NOT NULL,
	"codename" text,
	"release_date" date,
	"lts" boolean DEFAULT false NOT NULL,
	"eol_date" date,
	"eol_flag" boolean,
	"support_end_date" date,
	"support_end_flag" boolean,
	"extended_support_end_date" date,
	"latest_version" text,
	"latest_release_date" date,
	"source" text NOT NULL,
	CONSTRAINT "technology_lifecycles_product_cycle_pk" PRIMARY KEY("product","cycle")
);
--> statement-breakpoint
CREATE TABLE "technology_products" (
	"product" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"aliases" text[] NOT NULL,
	"cpes" text[] NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attack_groups" (
	"attack_id" text PRIMARY KEY NOT NULL,
	"stix_id" text NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] NOT NULL,
	"url" text
);
--> statement-breakpoint
CREATE TABLE "attack_techniques" (
	"attack_id" text PRIMARY KEY NOT NULL,
	"stix_id" text NOT NULL,
	"name" text NOT NULL,
	"tactics" text[] NOT NULL,
	"retired" boolean DEFAULT false NOT NULL,
	"url" text
);
--> statement-breakpoint
CREATE TABLE "cve_attack_groups" (
	"cve_id" text NOT NULL,
	"group_id" text NOT NULL,
	"via" text NOT NULL,
	"via_object" text NOT NULL,
	CONSTRAINT "cve_attack_groups_cve_id_group_id_via_via_object_pk" PRIMARY KEY("cve_id","group_id","via","via_object")
);
--> statement-breakpoint
CREATE TABLE "cve_attack_techniques" (
	"cve_id" text NOT NULL,
	"technique_id" text NOT NULL,
	"mapping_type" text NOT NULL,
	"technique_name" text,
	"source" text NOT NULL,
	CONSTRAINT "cve_attack_techniques_cve_id_technique_id_mapping_type_source_pk" PRIMARY KEY("cve_id","technique_id","mapping_type","source")
);
--> statement-breakpoint
CREATE TABLE "epss_history" (
	"cve_id" text NOT NULL,
	"day" date NOT NULL,
	"score" real NOT NULL,
	CONSTRAINT "epss_history_cve_id_day_pk" PRIMARY KEY("cve_id","day")
);
--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "threat_actors" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "epss_trend" real;--> statement-breakpoint
ALTER TABLE "technology_lifecycles" ADD CONSTRAINT "technology_lifecycles_product_technology_products_product_fk" FOREIGN KEY ("product") REFERENCES "public"."technology_products"("product") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cve_attack_groups" ADD CONSTRAINT "cve_attack_groups_group_id_attack_groups_attack_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."attack_groups"("attack_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cve_attack_techniques_technique_idx" ON "cve_attack_techniques" USING btree ("technique_id");