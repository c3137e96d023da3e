CREATE TYPE "public"."asset_kind" AS ENUM('host', 'container_image', 'repository', 'application', 'cloud_resource');--> statement-breakpoint
CREATE TYPE "public"."finding_status" AS ENUM('new', 'active', 'reopened', 'fixed');--> statement-breakpoint
CREATE TYPE "public"."finding_type" AS ENUM('vulnerability', 'misconfiguration');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'manager', 'analyst', 'reader');--> statement-breakpoint
CREATE TABLE "assets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "asset_kind" DEFAULT 'host' NOT NULL,
	"name" text NOT NULL,
	"fqdn" text,
	"hostname" text,
	"ipv4" text[] DEFAULT '{}'::text[] NOT NULL,
	"ipv6" text[] DEFAULT '{}'::text[] NOT NULL,
	"mac" text[] DEFAULT '{}'::text[] NOT NULL,
	"os" text,
	"cloud_instance_id" text,
	"agent_id" text,
	"internet_facing" boolean DEFAULT false NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"risk_score" real DEFAULT 0 NOT NULL,
	"criticality_score" integer DEFAULT 2 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_tags" (
	"asset_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	CONSTRAINT "asset_tags_asset_id_tag_id_pk" PRIMARY KEY("asset_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "business_entities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "business_entities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_entity_tags" (
	"business_entity_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	CONSTRAINT "business_entity_tags_business_entity_id_tag_id_pk" PRIMARY KEY("business_entity_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"criticality_score" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "technologies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "technologies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"asset_id" integer NOT NULL,
	"vendor" text,
	"product" text NOT NULL,
	"version" text,
	"cpe" text,
	"path" text,
	"license" text,
	"category" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vulnerabilities" (
	"cve_id" text PRIMARY KEY NOT NULL,
	"description" text,
	"cvss2_vector" text,
	"cvss2_base_score" real,
	"cvss3_vector" text,
	"cvss3_base_score" real,
	"cvss4_vector" text,
	"cvss4_base_score" real,
	"cwe_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"published_at" timestamp with time zone,
	"epss_score" real,
	"epss_percentile" real,
	"is_kev" boolean DEFAULT false NOT NULL,
	"kev_date_added" date,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "findings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"type" "finding_type" NOT NULL,
	"asset_id" integer NOT NULL,
	"identity_key" text NOT NULL,
	"cve_id" text,
	"cve_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"vendor_id" text,
	"title" text NOT NULL,
	"description" text,
	"solution" text,
	"severity" integer NOT NULL,
	"status" "finding_status" DEFAULT 'new' NOT NULL,
	"port" integer,
	"protocol" text,
	"technology_id" integer,
	"fixed_version" text,
	"cwe_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"cvss2_base_score" real,
	"cvss3_base_score" real,
	"cvss3_vector" text,
	"sources" text[] DEFAULT '{}'::text[] NOT NULL,
	"first_found" timestamp with time zone NOT NULL,
	"last_found" timestamp with time zone NOT NULL,
	"fixed_at" timestamp with time zone,
	"detection_score" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "detections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"finding_id" integer NOT NULL,
	"source" text NOT NULL,
	"source_finding_id" text,
	"first_import_id" integer NOT NULL,
	"last_import_id" integer NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"file_name" text NOT NULL,
	"format" text,
	"source" text,
	"sha256" text,
	"size_bytes" bigint,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"counts" jsonb,
	"error" text,
	"error_position" jsonb,
	"scanned_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"created_by" integer
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'reader' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "asset_tags" ADD CONSTRAINT "asset_tags_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_tags" ADD CONSTRAINT "asset_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_entity_tags" ADD CONSTRAINT "business_entity_tags_business_entity_id_business_entities_id_fk" FOREIGN KEY ("business_entity_id") REFERENCES "public"."business_entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_entity_tags" ADD CONSTRAINT "business_entity_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technologies" ADD CONSTRAINT "technologies_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_technology_id_technologies_id_fk" FOREIGN KEY ("technology_id") REFERENCES "public"."technologies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detections" ADD CONSTRAINT "detections_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detections" ADD CONSTRAINT "detections_first_import_id_imports_id_fk" FOREIGN KEY ("first_import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detections" ADD CONSTRAINT "detections_last_import_id_imports_id_fk" FOREIGN KEY ("last_import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assets_agent_id_key" ON "assets" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assets_cloud_instance_id_key" ON "assets" USING btree ("cloud_instance_id");--> statement-breakpoint
CREATE INDEX "assets_fqdn_idx" ON "assets" USING btree (lower("fqdn"));--> statement-breakpoint
CREATE INDEX "assets_hostname_idx" ON "assets" USING btree (lower("hostname"));--> statement-breakpoint
CREATE INDEX "assets_ipv4_idx" ON "assets" USING gin ("ipv4");--> statement-breakpoint
CREATE INDEX "assets_risk_score_idx" ON "assets" USING btree ("risk_score" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE UNIQUE INDEX "business_entities_name_key" ON "business_entities" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "tags_name_key" ON "tags" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "technologies_identity_key" ON "technologies" USING btree ("asset_id",coalesce("vendor", ''),"product",coalesce("version", ''),coalesce("path", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "findings_identity_key" ON "findings" USING btree ("asset_id","type","identity_key");--> statement-breakpoint
CREATE INDEX "findings_cve_id_idx" ON "findings" USING btree ("cve_id");--> statement-breakpoint
CREATE INDEX "findings_severity_idx" ON "findings" USING btree ("severity" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "findings_detection_score_idx" ON "findings" USING btree ("detection_score" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "findings_last_found_idx" ON "findings" USING btree ("last_found" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE UNIQUE INDEX "detections_identity_key" ON "detections" USING btree ("finding_id","source",coalesce("source_finding_id", ''));--> statement-breakpoint
CREATE INDEX "detections_last_import_idx" ON "detections" USING btree ("last_import_id");--> statement-breakpoint
CREATE INDEX "imports_sha256_idx" ON "imports" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "imports_started_at_idx" ON "imports" USING btree ("started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));