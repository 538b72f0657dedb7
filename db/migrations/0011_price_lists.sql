CREATE TABLE "digipost_identifications" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"result" text NOT NULL,
	"reason" text,
	"identified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"tenant_id" text NOT NULL,
	"valid_from" date NOT NULL,
	"prices" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "cost_ledger_letter_idx";--> statement-breakpoint
ALTER TABLE "cost_ledger" ADD COLUMN "kind" text DEFAULT 'CHARGE' NOT NULL;--> statement-breakpoint
ALTER TABLE "cost_ledger" ADD COLUMN "price_list_from" date;--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_tenant_from_idx" ON "price_lists" USING btree ("tenant_id","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_ledger_letter_kind_idx" ON "cost_ledger" USING btree ("letter_id","version","kind");