CREATE TABLE "asset_import_mappings" (
	"tenant_id" bigint NOT NULL,
	"columns" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "asset_import_mappings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
ALTER TABLE "asset_import_mappings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "order_number" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "model_number" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "end_of_life" date;--> statement-breakpoint
ALTER TABLE "asset_import_mappings" ADD CONSTRAINT "asset_import_mappings_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "asset_import_mappings" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);