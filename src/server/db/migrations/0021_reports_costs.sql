ALTER TABLE "tickets" ADD COLUMN "cost_code" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "failure" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "downtime_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "downtime_ended_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tickets_tenant_created_idx" ON "tickets" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_tenant_failure_idx" ON "tickets" USING btree ("tenant_id","downtime_started_at") WHERE "tickets"."failure";--> statement-breakpoint
CREATE INDEX "time_entries_tenant_spent_idx" ON "time_entries" USING btree ("tenant_id","spent_on");--> statement-breakpoint
CREATE INDEX "stock_movements_tenant_consumed_idx" ON "stock_movements" USING btree ("tenant_id","at") WHERE "stock_movements"."type" = 'consume';--> statement-breakpoint
CREATE INDEX "purchase_order_receipts_tenant_at_idx" ON "purchase_order_receipts" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "purchase_orders_tenant_finalized_idx" ON "purchase_orders" USING btree ("tenant_id","finalized_at") WHERE "purchase_orders"."finalized_at" is not null;