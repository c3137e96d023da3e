CREATE TYPE "public"."risk_subject_kind" AS ENUM('organization', 'business_entity', 'tag');--> statement-breakpoint
CREATE TABLE "risk_score_snapshots" (
	"day" date NOT NULL,
	"subject_kind" "risk_subject_kind" NOT NULL,
	"subject_id" integer NOT NULL,
	"score_v1" real NOT NULL,
	"score_v2" real NOT NULL,
	"asset_count" integer NOT NULL,
	CONSTRAINT "risk_score_snapshots_subject_kind_subject_id_day_pk" PRIMARY KEY("subject_kind","subject_id","day")
);
--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "risk_score_v2" real DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "assets_risk_score_v2_idx" ON "assets" USING btree ("risk_score_v2" DESC NULLS LAST,"id");