ALTER TABLE "meter_alerts" ADD COLUMN "acknowledged_at" timestamp (6) with time zone;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD COLUMN "acknowledged_by_id" bigint;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD COLUMN "acknowledged_by_name" text;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD COLUMN "acknowledge_note" text;--> statement-breakpoint
ALTER TABLE "meter_alerts" ADD CONSTRAINT "meter_alerts_acknowledged_by_fk" FOREIGN KEY ("tenant_id","acknowledged_by_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;