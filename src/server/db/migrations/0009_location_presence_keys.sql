ALTER TABLE "presence" DROP CONSTRAINT "presence_tenant_id_user_id_connection_id_pk";--> statement-breakpoint
ALTER TABLE "presence" ADD CONSTRAINT "presence_pkey" PRIMARY KEY("tenant_id","connection_id");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_tenant_parent_name_key" ON "locations" USING btree ("tenant_id",coalesce("parent_id", 0),lower("name"));