ALTER TABLE "meter_readings" DROP CONSTRAINT "meter_readings_meter_fk";
