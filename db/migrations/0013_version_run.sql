ALTER TABLE "letter_documents" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "letter_events" ADD COLUMN "failure_code" text;--> statement-breakpoint
CREATE INDEX "letter_documents_run_idx" ON "letter_documents" USING btree ("run_id","letter_id");--> statement-breakpoint
-- existing runs: the version a letter still carries its run on was sent by that run (earlier corrected versions lost the link before this column)
UPDATE "letter_documents" d SET "run_id" = l."run_id" FROM "letters" l WHERE l."id" = d."letter_id" AND l."version" = d."version" AND l."run_id" IS NOT NULL;
