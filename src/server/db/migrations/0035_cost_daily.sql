CREATE TABLE "cost_daily" (
	"tenant_id" bigint NOT NULL,
	"dim" text NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"key" text NOT NULL,
	"amount" numeric(20, 2) DEFAULT '0' NOT NULL,
	"lines" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "cost_daily_tenant_id_dim_day_source_key_pk" PRIMARY KEY("tenant_id","dim","day","source","key"),
	CONSTRAINT "cost_daily_dim_check" CHECK ("cost_daily"."dim" in ('department', 'costCode', 'location', 'technician', 'category')),
	CONSTRAINT "cost_daily_source_check" CHECK ("cost_daily"."source" in ('labour', 'parts', 'received', 'ordered'))
);
--> statement-breakpoint
ALTER TABLE "cost_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "cost_daily" ADD CONSTRAINT "cost_daily_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "cost_daily" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);