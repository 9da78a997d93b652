-- Two entries of the same kind for one technician may not intersect (half-open ranges: back to back
-- is fine). The database enforces it, so two people booking one slot at once cannot both succeed.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "schedule_entries" ADD CONSTRAINT "schedule_entries_no_overlap" EXCLUDE USING gist ("tenant_id" WITH =, "technician_id" WITH =, "kind" WITH =, "range" WITH &&);--> statement-breakpoint
CREATE INDEX "time_off_tenant_user_range_idx" ON "time_off" USING gist ("tenant_id", "user_id", tstzrange("starts_at", "ends_at", '[)')) WHERE "status" = 'approved';
