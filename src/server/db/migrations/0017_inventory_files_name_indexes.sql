CREATE TABLE "inventory_files" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "inventory_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"part_id" bigint,
	"vendor_id" bigint,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_files_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inventory_files_one_owner" CHECK (num_nonnulls("inventory_files"."part_id", "inventory_files"."vendor_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "inventory_files" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inventory_files" ADD CONSTRAINT "inventory_files_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_files" ADD CONSTRAINT "inventory_files_part_fk" FOREIGN KEY ("tenant_id","part_id") REFERENCES "public"."parts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_files" ADD CONSTRAINT "inventory_files_vendor_fk" FOREIGN KEY ("tenant_id","vendor_id") REFERENCES "public"."vendors"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_files_tenant_part_idx" ON "inventory_files" USING btree ("tenant_id","part_id","id");--> statement-breakpoint
CREATE INDEX "inventory_files_tenant_vendor_idx" ON "inventory_files" USING btree ("tenant_id","vendor_id","id");--> statement-breakpoint
CREATE INDEX "locations_tenant_name_idx" ON "locations" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "parts_tenant_name_idx" ON "parts" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "inventory_files" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);