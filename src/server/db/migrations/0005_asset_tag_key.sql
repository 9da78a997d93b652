DROP INDEX "assets_tenant_tag_key";--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "tag_key" text GENERATED ALWAYS AS (lower(tag)) STORED;--> statement-breakpoint
CREATE UNIQUE INDEX "assets_tenant_tag_key" ON "assets" USING btree ("tenant_id","tag_key");