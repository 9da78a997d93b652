DROP INDEX "users_tenant_name_idx";--> statement-breakpoint
DROP INDEX "parts_tenant_name_idx";--> statement-breakpoint
DROP INDEX "devices_tenant_name_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "name_key" text GENERATED ALWAYS AS (lower(name)) STORED;--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "name_key" text GENERATED ALWAYS AS (lower(name)) STORED;--> statement-breakpoint
ALTER TABLE "vendors" ADD COLUMN "name_key" text GENERATED ALWAYS AS (lower(name)) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "name_key" text GENERATED ALWAYS AS (lower(name)) STORED;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "name_key" text GENERATED ALWAYS AS (lower(name)) STORED;--> statement-breakpoint
CREATE INDEX "vendors_tenant_name_idx" ON "vendors" USING btree ("tenant_id","name_key","id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_name_idx" ON "contacts" USING btree ("tenant_id","name_key","id");--> statement-breakpoint
CREATE INDEX "users_tenant_name_idx" ON "users" USING btree ("tenant_id","name_key","id");--> statement-breakpoint
CREATE INDEX "parts_tenant_name_idx" ON "parts" USING btree ("tenant_id","name_key","id");--> statement-breakpoint
CREATE INDEX "devices_tenant_name_idx" ON "devices" USING btree ("tenant_id","name_key","id");