CREATE TABLE "letter_attachments" (
	"letter_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"position" integer NOT NULL,
	"document_uuid" uuid NOT NULL,
	"title" text NOT NULL,
	"pdf_base64" text NOT NULL,
	"sha256" text NOT NULL,
	"pages" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "letter_attachments" ADD CONSTRAINT "letter_attachments_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_attachments_pk" ON "letter_attachments" USING btree ("letter_id","version","position");