ALTER TABLE "letters" ADD COLUMN "case_flow" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "case_flow_step" integer;