CREATE TABLE "report_schedule_runs" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "report_schedule_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"schedule_id" bigint NOT NULL,
	"occurrence" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"skipped" integer DEFAULT 0 NOT NULL,
	"rows" integer,
	"file_name" text,
	"file_type" text,
	"file_size" integer,
	"file" "bytea",
	"link_token_hash" text,
	"link_expires_at" timestamp with time zone,
	"mail_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedule_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "report_schedule_runs_status_check" CHECK ("report_schedule_runs"."status" in ('sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "report_schedule_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "report_schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"report" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rrule" text NOT NULL,
	"starts_on" date NOT NULL,
	"timezone" text NOT NULL,
	"time" text NOT NULL,
	"format" text NOT NULL,
	"recipients" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_by_id" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "report_schedules_report_check" CHECK ("report_schedules"."report" in ('costs', 'tickets', 'reliability')),
	CONSTRAINT "report_schedules_format_check" CHECK ("report_schedules"."format" in ('csv', 'xlsx'))
);
--> statement-breakpoint
ALTER TABLE "report_schedules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "saved_reports" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "saved_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"report" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"chart" text DEFAULT 'bar' NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"owner_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_reports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "saved_reports_report_check" CHECK ("saved_reports"."report" in ('costs', 'tickets', 'reliability'))
);
--> statement-breakpoint
ALTER TABLE "saved_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "cost_code" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "failure" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "downtime_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "downtime_ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_schedule_runs" ADD CONSTRAINT "report_schedule_runs_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule_runs" ADD CONSTRAINT "report_schedule_runs_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."report_schedules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_creator_fk" FOREIGN KEY ("tenant_id","created_by_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_reports" ADD CONSTRAINT "saved_reports_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_reports" ADD CONSTRAINT "saved_reports_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_schedule_runs_once_key" ON "report_schedule_runs" USING btree ("tenant_id","schedule_id","occurrence");--> statement-breakpoint
CREATE INDEX "report_schedule_runs_tenant_schedule_idx" ON "report_schedule_runs" USING btree ("tenant_id","schedule_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "report_schedule_runs_link_key" ON "report_schedule_runs" USING btree ("link_token_hash");--> statement-breakpoint
CREATE INDEX "report_schedules_tenant_id_idx" ON "report_schedules" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "report_schedules_due_idx" ON "report_schedules" USING btree ("next_run_at") WHERE "report_schedules"."active" and "report_schedules"."next_run_at" is not null;--> statement-breakpoint
CREATE INDEX "saved_reports_tenant_owner_idx" ON "saved_reports" USING btree ("tenant_id","owner_id","id");--> statement-breakpoint
CREATE INDEX "saved_reports_tenant_shared_idx" ON "saved_reports" USING btree ("tenant_id","id") WHERE "saved_reports"."shared";--> statement-breakpoint
CREATE INDEX "tickets_tenant_created_idx" ON "tickets" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_tenant_failure_idx" ON "tickets" USING btree ("tenant_id","downtime_started_at") WHERE "tickets"."failure";--> statement-breakpoint
CREATE INDEX "time_entries_tenant_spent_idx" ON "time_entries" USING btree ("tenant_id","spent_on","id");--> statement-breakpoint
CREATE INDEX "stock_movements_tenant_consumed_idx" ON "stock_movements" USING btree ("tenant_id","at","id") WHERE "stock_movements"."type" = 'consume';--> statement-breakpoint
CREATE INDEX "purchase_order_receipts_tenant_at_idx" ON "purchase_order_receipts" USING btree ("tenant_id","at","id");--> statement-breakpoint
CREATE INDEX "purchase_orders_tenant_finalized_idx" ON "purchase_orders" USING btree ("tenant_id","finalized_at") WHERE "purchase_orders"."finalized_at" is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "report_schedule_runs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "report_schedules" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "saved_reports" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);