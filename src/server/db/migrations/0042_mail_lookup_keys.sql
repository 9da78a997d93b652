DROP INDEX "contacts_tenant_email_key";--> statement-breakpoint
DROP INDEX "inbound_messages_tenant_sender_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_key" text GENERATED ALWAYS AS (lower(email)) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_key" text GENERATED ALWAYS AS (lower(email)) STORED;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "from_key" text GENERATED ALWAYS AS (lower(from_address)) STORED;--> statement-breakpoint
CREATE INDEX "users_tenant_email_idx" ON "users" USING btree ("tenant_id","email_key");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_tenant_email_key" ON "contacts" USING btree ("tenant_id","email_key");--> statement-breakpoint
CREATE INDEX "inbound_messages_tenant_sender_idx" ON "inbound_messages" USING btree ("tenant_id","from_key","received_at");