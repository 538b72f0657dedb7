DROP INDEX "letters_tenant_case_idx";--> statement-breakpoint
DROP INDEX "letters_tenant_status_idx";--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "case_flow" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "case_flow_step" integer;--> statement-breakpoint
CREATE INDEX "letters_tenant_case_created_idx" ON "letters" USING btree ("tenant_id","case_id","created_at","id");--> statement-breakpoint
CREATE INDEX "letters_tenant_status_created_idx" ON "letters" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "letters_tenant_created_idx" ON "letters" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "inbound_items_tenant_created_idx" ON "inbound_items" USING btree ("tenant_id","created_at","id");