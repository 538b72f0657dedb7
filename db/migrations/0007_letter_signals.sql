CREATE TABLE "letter_signals" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"letter_id" uuid NOT NULL,
	"name" text NOT NULL,
	"args" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "letter_signals_letter_idx" ON "letter_signals" USING btree ("letter_id");--> statement-breakpoint
CREATE INDEX "letter_signals_created_idx" ON "letter_signals" USING btree ("created_at");