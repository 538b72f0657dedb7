CREATE TABLE "inbound_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"filename" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea"
);
--> statement-breakpoint
CREATE TABLE "inbound_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"receiving_system_id" uuid NOT NULL,
	"forsendelse_id" text NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"org_number" text,
	"sender_name" text,
	"sender_org_number" text,
	"forsendelse_type" text,
	"sent_at" timestamp with time zone,
	"metadata" jsonb NOT NULL,
	"stored_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"failure_reason" text,
	"triage" jsonb,
	"flagged_at" timestamp with time zone,
	"journalpost_number" text,
	"archive_case_number" text,
	"forwarded_to" text,
	"files_purge_after" timestamp with time zone,
	"files_purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receiving_system_org_numbers" (
	"org_number" text NOT NULL,
	"receiving_system_id" uuid NOT NULL,
	CONSTRAINT "receiving_system_org_numbers_pk" PRIMARY KEY("org_number")
);
--> statement-breakpoint
CREATE TABLE "receiving_systems" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"username" text NOT NULL,
	"password_sealed" text NOT NULL,
	"private_key_sealed" text NOT NULL,
	"forward_destinations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rules" jsonb DEFAULT '{"archiveIntoNamedCase":false,"forward":[]}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_poll_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_files" ADD CONSTRAINT "inbound_files_item_id_inbound_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inbound_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD CONSTRAINT "inbound_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD CONSTRAINT "inbound_items_receiving_system_id_receiving_systems_id_fk" FOREIGN KEY ("receiving_system_id") REFERENCES "public"."receiving_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_system_org_numbers" ADD CONSTRAINT "receiving_system_org_numbers_receiving_system_id_receiving_systems_id_fk" FOREIGN KEY ("receiving_system_id") REFERENCES "public"."receiving_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_systems" ADD CONSTRAINT "receiving_systems_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_files_item_position_idx" ON "inbound_files" USING btree ("item_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_items_forsendelse_idx" ON "inbound_items" USING btree ("forsendelse_id");--> statement-breakpoint
CREATE INDEX "inbound_items_tenant_status_idx" ON "inbound_items" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "receiving_system_org_numbers_system_idx" ON "receiving_system_org_numbers" USING btree ("receiving_system_id");