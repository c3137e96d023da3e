CREATE TYPE "public"."feed_name" AS ENUM('kev', 'epss', 'nvd', 'cve5');--> statement-breakpoint
CREATE TYPE "public"."feed_run_status" AS ENUM('running', 'succeeded', 'failed', 'not_modified');--> statement-breakpoint
CREATE TABLE "feed_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "feed_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"feed" "feed_name" NOT NULL,
	"source" text NOT NULL,
	"status" "feed_run_status" NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"record_count" integer DEFAULT 0 NOT NULL,
	"changed_count" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "feed_state" (
	"feed" "feed_name" PRIMARY KEY NOT NULL,
	"last_sync_at" timestamp with time zone,
	"last_import_at" timestamp with time zone,
	"etag" text,
	"last_modified" text,
	"cursor" timestamp with time zone,
	"resume" jsonb,
	"score_date" text,
	"model_version" text,
	"catalog_version" text,
	"record_count" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "query" text;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "kev_ransomware_use" boolean;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "kev_due_date" date;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "kev_vendor_project" text;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "kev_product" text;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "ssvc" jsonb;--> statement-breakpoint
ALTER TABLE "vulnerabilities" ADD COLUMN "nvd_last_modified" timestamp with time zone;