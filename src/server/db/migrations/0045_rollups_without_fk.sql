ALTER TABLE "meter_rollups_1d" DROP CONSTRAINT "meter_rollups_1d_meter_fk";
--> statement-breakpoint
ALTER TABLE "meter_rollups_1h" DROP CONSTRAINT "meter_rollups_1h_meter_fk";
--> statement-breakpoint
ALTER TABLE "meter_rollups_1m" DROP CONSTRAINT "meter_rollups_1m_meter_fk";
