CREATE TABLE "letter_documents" (
	"letter_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"document_uuid" uuid NOT NULL,
	"pdf_base64" text NOT NULL,
	"sha256" text NOT NULL,
	"pages" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_events" (
	"id" text PRIMARY KEY NOT NULL,
	"letter_id" uuid NOT NULL,
	"status" text NOT NULL,
	"cause" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"case_id" text NOT NULL,
	"template_code" text NOT NULL,
	"status" text NOT NULL,
	"channel" text,
	"recipient" jsonb NOT NULL,
	"merge_data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "letter_documents" ADD CONSTRAINT "letter_documents_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_events" ADD CONSTRAINT "letter_events_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_documents_pk" ON "letter_documents" USING btree ("letter_id","version");--> statement-breakpoint
CREATE INDEX "letter_events_letter_idx" ON "letter_events" USING btree ("letter_id","at");--> statement-breakpoint
CREATE INDEX "letters_tenant_case_idx" ON "letters" USING btree ("tenant_id","case_id");