ALTER TABLE "inbound_items" ADD COLUMN "status_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD COLUMN "pending_rule" jsonb;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD COLUMN "flag_reason" text;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD COLUMN "intake_note" text;--> statement-breakpoint
ALTER TABLE "receiving_systems" ADD COLUMN "digest_email" text;--> statement-breakpoint
ALTER TABLE "receiving_systems" ADD COLUMN "last_digest_at" timestamp with time zone;