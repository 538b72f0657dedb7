CREATE TABLE "cost_ledger" (
	"letter_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"channel" text NOT NULL,
	"sheets" integer NOT NULL,
	"postage_ore" integer NOT NULL,
	"admin_fee_ore" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digipost_event_cursors" (
	"broker_id" text PRIMARY KEY NOT NULL,
	"cursor" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digipost_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"broker_id" text NOT NULL,
	"document_uuid" uuid NOT NULL,
	"type" text NOT NULL,
	"created" text NOT NULL,
	"metadata" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"forwarded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"status" text NOT NULL,
	"batch_status" text,
	"letter_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "letter_events" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "cost_ledger_letter_idx" ON "cost_ledger" USING btree ("letter_id","version");--> statement-breakpoint
CREATE INDEX "cost_ledger_tenant_at_idx" ON "cost_ledger" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "digipost_events_dedup_idx" ON "digipost_events" USING btree ("document_uuid","type","created");--> statement-breakpoint
CREATE INDEX "runs_tenant_idx" ON "runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "letters_tenant_status_idx" ON "letters" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "letters_run_idx" ON "letters" USING btree ("run_id","status");