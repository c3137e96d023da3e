ALTER TABLE "imports" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "heartbeat_at" timestamp with time zone;