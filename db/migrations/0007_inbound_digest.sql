ALTER TABLE "receiving_systems" ADD COLUMN "digest_email" text;--> statement-breakpoint
ALTER TABLE "receiving_systems" ADD COLUMN "last_digest_at" timestamp with time zone;