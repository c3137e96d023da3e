CREATE TYPE "public"."risk_acceptance_type" AS ENUM('RISK_ACCEPTED', 'FALSE_POSITIVE');--> statement-breakpoint
CREATE TABLE "finding_risk_acceptances" (
	"finding_id" integer NOT NULL,
	"rule_id" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finding_risk_acceptances_finding_id_rule_id_pk" PRIMARY KEY("finding_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "risk_acceptance_notices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "risk_acceptance_notices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rule_id" integer NOT NULL,
	"threshold_days" integer NOT NULL,
	"end_date" timestamp with time zone NOT NULL,
	"recipients" text[] NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_acceptance_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "risk_acceptance_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"type" "risk_acceptance_type" NOT NULL,
	"reason_type" text NOT NULL,
	"justification" text NOT NULL,
	"query" text NOT NULL,
	"start_date" timestamp with time zone NOT NULL,
	"end_date" timestamp with time zone,
	"notify_days_before" integer DEFAULT 14 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" integer,
	"revoked_at" timestamp with time zone,
	"refreshed_at" timestamp with time zone,
	"refresh_error" text,
	CONSTRAINT "risk_acceptance_rules_end_required" CHECK ("risk_acceptance_rules"."type" <> 'RISK_ACCEPTED' or "risk_acceptance_rules"."end_date" is not null),
	CONSTRAINT "risk_acceptance_rules_period" CHECK ("risk_acceptance_rules"."end_date" is null or "risk_acceptance_rules"."end_date" > "risk_acceptance_rules"."start_date"),
	CONSTRAINT "risk_acceptance_rules_notify_days" CHECK ("risk_acceptance_rules"."notify_days_before" between 0 and 365)
);
--> statement-breakpoint
CREATE TABLE "risk_acceptance_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "risk_acceptance_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ran_at" timestamp with time zone NOT NULL,
	"rules_refreshed" integer NOT NULL,
	"assets_recomputed" integer NOT NULL,
	"notices_sent" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "finding_risk_acceptances" ADD CONSTRAINT "finding_risk_acceptances_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_risk_acceptances" ADD CONSTRAINT "finding_risk_acceptances_rule_id_risk_acceptance_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."risk_acceptance_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_acceptance_notices" ADD CONSTRAINT "risk_acceptance_notices_rule_id_risk_acceptance_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."risk_acceptance_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_acceptance_rules" ADD CONSTRAINT "risk_acceptance_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_acceptance_rules" ADD CONSTRAINT "risk_acceptance_rules_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "finding_risk_acceptances_rule_idx" ON "finding_risk_acceptances" USING btree ("rule_id");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_acceptance_notices_key" ON "risk_acceptance_notices" USING btree ("rule_id","threshold_days","end_date");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_acceptance_rules_name_key" ON "risk_acceptance_rules" USING btree ("name");