CREATE TABLE "devices" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "devices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"asset_id" bigint,
	"device_key" text NOT NULL,
	"secret_hash" text NOT NULL,
	"offline_after_seconds" integer DEFAULT 300 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "devices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_readings" (
	"tenant_id" bigint NOT NULL,
	"meter_id" bigint NOT NULL,
	"ts" timestamp (6) with time zone NOT NULL,
	"v" double precision NOT NULL,
	CONSTRAINT "meter_readings_tenant_id_meter_id_ts_pk" PRIMARY KEY("tenant_id","meter_id","ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
ALTER TABLE "meter_readings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_rollups_1d" (
	"tenant_id" bigint NOT NULL,
	"meter_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "meter_rollups_1d_tenant_id_meter_id_bucket_pk" PRIMARY KEY("tenant_id","meter_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "meter_rollups_1d" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_rollups_1h" (
	"tenant_id" bigint NOT NULL,
	"meter_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "meter_rollups_1h_tenant_id_meter_id_bucket_pk" PRIMARY KEY("tenant_id","meter_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "meter_rollups_1h" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_rollups_1m" (
	"tenant_id" bigint NOT NULL,
	"meter_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "meter_rollups_1m_tenant_id_meter_id_bucket_pk" PRIMARY KEY("tenant_id","meter_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "meter_rollups_1m" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meters" (
	"tenant_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "meters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"device_id" bigint NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"asset_id" bigint,
	"last_value" double precision,
	"last_at" timestamp (6) with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meters_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "meters" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_readings" ADD CONSTRAINT "meter_readings_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_rollups_1d" ADD CONSTRAINT "meter_rollups_1d_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_rollups_1h" ADD CONSTRAINT "meter_rollups_1h_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_rollups_1m" ADD CONSTRAINT "meter_rollups_1m_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_device_fk" FOREIGN KEY ("tenant_id","device_id") REFERENCES "public"."devices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_device_key_key" ON "devices" USING btree ("device_key");--> statement-breakpoint
CREATE INDEX "devices_tenant_name_idx" ON "devices" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE UNIQUE INDEX "meters_device_key_key" ON "meters" USING btree ("tenant_id","device_id","key");--> statement-breakpoint
CREATE INDEX "meters_tenant_asset_idx" ON "meters" USING btree ("tenant_id","asset_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "devices" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_readings" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_rollups_1d" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_rollups_1h" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meter_rollups_1m" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meters" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);--> statement-breakpoint
-- A partition queried by name would skip the parent's policy: each gets RLS and the same policy.
CREATE OR REPLACE FUNCTION steward_protect_reading_partition(part text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
  EXECUTE format('CREATE POLICY tenant_isolation ON %I AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::bigint)', part);
END $$;--> statement-breakpoint
-- meter_readings is partitioned by month (hand-edited above: drizzle-kit cannot emit PARTITION BY).
-- steward_ensure_reading_partitions(n) creates the partitions from last month to n months ahead
-- (idempotent; a daily job calls it); the default partition takes older readings (a device's backlog).
CREATE OR REPLACE FUNCTION steward_ensure_reading_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m timestamptz;
  created integer := 0;
  part text;
BEGIN
  FOR i IN -1..months_ahead LOOP
    m := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => i);
    part := 'meter_readings_' || to_char(m AT TIME ZONE 'UTC', 'YYYYMM');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF meter_readings FOR VALUES FROM (%L) TO (%L)',
        part, m, m + interval '1 month');
      PERFORM steward_protect_reading_partition(part);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END $$;--> statement-breakpoint
CREATE TABLE meter_readings_default PARTITION OF meter_readings DEFAULT;--> statement-breakpoint
SELECT steward_protect_reading_partition('meter_readings_default');--> statement-breakpoint
SELECT steward_ensure_reading_partitions(3);