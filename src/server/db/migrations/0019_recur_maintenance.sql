CREATE TABLE "maintenance_plan_runs" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "maintenance_plan_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"plan_id" bigint NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"ticket_id" bigint,
	"late" boolean DEFAULT false NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_plan_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "maintenance_plan_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "maintenance_plans" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "maintenance_plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"asset_id" bigint NOT NULL,
	"title" text NOT NULL,
	"trigger_type" text NOT NULL,
	"trigger" jsonb NOT NULL,
	"lead_days" integer DEFAULT 0 NOT NULL,
	"template" jsonb NOT NULL,
	"next_due_at" timestamp with time zone,
	"next_due_value" text,
	"next_open_at" timestamp with time zone,
	"open_work_order_id" bigint,
	"last_completed_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"last_error" text,
	"created_by_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_plans_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "maintenance_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "recurring_ticket_runs" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "recurring_ticket_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recurring_ticket_id" bigint NOT NULL,
	"occurrence" timestamp with time zone NOT NULL,
	"ticket_id" bigint,
	"late" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_ticket_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "recurring_ticket_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "recurring_tickets" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "recurring_tickets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"priority" text NOT NULL,
	"category_id" bigint,
	"assignee_id" bigint,
	"team_id" bigint,
	"asset_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tasks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rrule" text NOT NULL,
	"starts_on" date NOT NULL,
	"timezone" text NOT NULL,
	"time" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_error" text,
	"created_by_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_tickets_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "recurring_tickets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "maintenance_plan_runs" ADD CONSTRAINT "maintenance_plan_runs_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_runs" ADD CONSTRAINT "maintenance_plan_runs_plan_fk" FOREIGN KEY ("tenant_id","plan_id") REFERENCES "public"."maintenance_plans"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_asset_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_ticket_runs" ADD CONSTRAINT "recurring_ticket_runs_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_ticket_runs" ADD CONSTRAINT "recurring_ticket_runs_rule_fk" FOREIGN KEY ("tenant_id","recurring_ticket_id") REFERENCES "public"."recurring_tickets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_tickets" ADD CONSTRAINT "recurring_tickets_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_plan_runs_due_key" ON "maintenance_plan_runs" USING btree ("tenant_id","plan_id","due_at");--> statement-breakpoint
CREATE INDEX "maintenance_plan_runs_tenant_plan_idx" ON "maintenance_plan_runs" USING btree ("tenant_id","plan_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "maintenance_plans_tenant_asset_idx" ON "maintenance_plans" USING btree ("tenant_id","asset_id","id");--> statement-breakpoint
CREATE INDEX "maintenance_plans_tenant_due_idx" ON "maintenance_plans" USING btree ("tenant_id","next_due_at","id") WHERE "maintenance_plans"."active";--> statement-breakpoint
CREATE INDEX "maintenance_plans_tenant_open_wo_idx" ON "maintenance_plans" USING btree ("tenant_id","open_work_order_id") WHERE "maintenance_plans"."open_work_order_id" is not null;--> statement-breakpoint
CREATE INDEX "maintenance_plans_open_idx" ON "maintenance_plans" USING btree ("next_open_at") WHERE "maintenance_plans"."active" and "maintenance_plans"."next_open_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "recurring_ticket_runs_occurrence_key" ON "recurring_ticket_runs" USING btree ("tenant_id","recurring_ticket_id","occurrence");--> statement-breakpoint
CREATE INDEX "recurring_tickets_tenant_title_idx" ON "recurring_tickets" USING btree ("tenant_id",lower("title"),"id");--> statement-breakpoint
CREATE INDEX "recurring_tickets_due_idx" ON "recurring_tickets" USING btree ("next_run_at") WHERE "recurring_tickets"."active" and "recurring_tickets"."next_run_at" is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "maintenance_plan_runs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "maintenance_plans" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "recurring_ticket_runs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "recurring_tickets" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);