CREATE TABLE "meter_alerts" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "meter_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"device_id" bigint NOT NULL,
	"meter_id" bigint,
	"threshold_id" bigint,
	"message" text NOT NULL,
	"value" double precision,
	"ticket_id" bigint,
	"opened_at" timestamp (6) with time zone NOT NULL,
	"closed_at" timestamp (6) with time zone,
	"closed_value" double precision,
	CONSTRAINT "meter_alerts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "meter_alerts_kind_check" CHECK ("meter_alerts"."kind" in ('offline', 'threshold'))
);
--> statement-breakpoint
ALTER TABLE "meter_alerts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_thresholds" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "meter_thresholds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"meter_id" bigint NOT NULL,
	"op" text NOT NULL,
	"value" double precision NOT NULL,
	"for_seconds" integer DEFAULT 0 NOT NULL,
	"action" text DEFAULT 'alert' NOT NULL,
	"template" jsonb,
	"excursion_started_at" timestamp (6) with time zone,
	"fire_at" timestamp (6) with time zone,
	"fired" boolean DEFAULT false NOT NULL,
	"alert_id" bigint,
	"work_order_id" bigint,
	"evaluated_at" timestamp (6) with time zone,
	"last_error" text,
	"created_by_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_thresholds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "meter_thresholds_op_check" CHECK ("meter_thresholds"."op" in ('>', '<')),
	CONSTRAINT "meter_thresholds_action_check" CHECK ("meter_thresholds"."action" in ('alert', 'work_order'))
);
--> statement-breakpoint
ALTER TABLE "meter_thresholds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "meter_id" bigint;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "excursion_started_at" timestamp (6) with time zone;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "fire_at" timestamp (6) with time zone;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "fired" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD COLUMN "evaluated_at" timestamp (6) with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "offline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "offline_alert_id" bigint;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD CONSTRAINT "meter_alerts_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD CONSTRAINT "meter_alerts_device_fk" FOREIGN KEY ("tenant_id","device_id") REFERENCES "public"."devices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_thresholds" ADD CONSTRAINT "meter_thresholds_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_thresholds" ADD CONSTRAINT "meter_thresholds_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meter_alerts_tenant_id_idx" ON "meter_alerts" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "meter_alerts_tenant_open_idx" ON "meter_alerts" USING btree ("tenant_id","id" DESC NULLS LAST) WHERE "meter_alerts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "meter_alerts_tenant_meter_idx" ON "meter_alerts" USING btree ("tenant_id","meter_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "meter_alerts_tenant_device_idx" ON "meter_alerts" USING btree ("tenant_id","device_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "meter_thresholds_tenant_meter_idx" ON "meter_thresholds" USING btree ("tenant_id","meter_id","id");--> statement-breakpoint
CREATE INDEX "meter_thresholds_fire_idx" ON "meter_thresholds" USING btree ("fire_at") WHERE "meter_thresholds"."fire_at" is not null;--> statement-breakpoint
CREATE INDEX "maintenance_plans_tenant_meter_idx" ON "maintenance_plans" USING btree ("tenant_id","meter_id") WHERE "maintenance_plans"."meter_id" is not null;--> statement-breakpoint
CREATE INDEX "maintenance_plans_fire_idx" ON "maintenance_plans" USING btree ("fire_at") WHERE "maintenance_plans"."active" and "maintenance_plans"."fire_at" is not null;--> statement-breakpoint
CREATE INDEX "devices_offline_due_idx" ON "devices" USING btree ("offline_at") WHERE "devices"."offline_alert_id" is null and "devices"."offline_at" is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_alerts" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_thresholds" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
UPDATE "devices" SET "offline_at" = "last_seen_at" + make_interval(secs => "offline_after_seconds") WHERE "last_seen_at" IS NOT NULL;--> statement-breakpoint
UPDATE "maintenance_plans" SET "meter_id" = ("trigger"->>'meterId')::bigint WHERE "trigger_type" IN ('meter', 'threshold') AND ("trigger"->>'meterId') ~ '^[0-9]{1,18}$';--> statement-breakpoint
-- meters.manage (devices, meters, thresholds) is now part of every company's built-in Manager role.
UPDATE "roles" SET "permissions" = array_append("permissions", 'meters.manage'), "updated_at" = now()
WHERE NOT ('meters.manage' = ANY("permissions")) AND "builtin" AND lower("name") = 'manager';
