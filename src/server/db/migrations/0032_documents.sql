CREATE TABLE "document_assets" (
	"tenant_id" bigint NOT NULL,
	"document_id" bigint NOT NULL,
	"asset_id" bigint NOT NULL,
	CONSTRAINT "document_assets_tenant_id_document_id_asset_id_pk" PRIMARY KEY("tenant_id","document_id","asset_id")
);
--> statement-breakpoint
ALTER TABLE "document_assets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "document_tickets" (
	"tenant_id" bigint NOT NULL,
	"document_id" bigint NOT NULL,
	"ticket_id" bigint NOT NULL,
	CONSTRAINT "document_tickets_tenant_id_document_id_ticket_id_pk" PRIMARY KEY("tenant_id","document_id","ticket_id")
);
--> statement-breakpoint
ALTER TABLE "document_tickets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "documents" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"category_id" bigint,
	"url" text,
	"file_name" text,
	"file_size" bigint,
	"content_type" text,
	"storage_key" text,
	"created_by_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "documents_file_or_url_check" CHECK (("documents"."storage_key" is null) <> ("documents"."url" is null))
);
--> statement-breakpoint
ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "picklist_items" DROP CONSTRAINT "picklist_items_list_check";--> statement-breakpoint
ALTER TABLE "document_assets" ADD CONSTRAINT "document_assets_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_assets" ADD CONSTRAINT "document_assets_document_fk" FOREIGN KEY ("tenant_id","document_id") REFERENCES "public"."documents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_assets" ADD CONSTRAINT "document_assets_asset_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tickets" ADD CONSTRAINT "document_tickets_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tickets" ADD CONSTRAINT "document_tickets_document_fk" FOREIGN KEY ("tenant_id","document_id") REFERENCES "public"."documents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tickets" ADD CONSTRAINT "document_tickets_ticket_fk" FOREIGN KEY ("tenant_id","ticket_id") REFERENCES "public"."tickets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_category_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."picklist_items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_assets_tenant_asset_idx" ON "document_assets" USING btree ("tenant_id","asset_id","document_id");--> statement-breakpoint
CREATE INDEX "document_tickets_tenant_ticket_idx" ON "document_tickets" USING btree ("tenant_id","ticket_id","document_id");--> statement-breakpoint
CREATE INDEX "documents_tenant_id_idx" ON "documents" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_tenant_category_idx" ON "documents" USING btree ("tenant_id","category_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_title_trgm_idx" ON "documents" USING gin ("tenant_id","title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "documents_file_name_trgm_idx" ON "documents" USING gin ("tenant_id","file_name" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "picklist_items" ADD CONSTRAINT "picklist_items_list_check" CHECK ("picklist_items"."list" in ('categories', 'manufacturers', 'conditions', 'document_categories'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "document_assets" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "document_tickets" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "documents" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);