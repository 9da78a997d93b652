DROP INDEX "attachments_tenant_ticket_idx";--> statement-breakpoint
DROP INDEX "ticket_tasks_tenant_ticket_idx";--> statement-breakpoint
DROP INDEX "time_entries_tenant_ticket_idx";--> statement-breakpoint
CREATE INDEX "attachments_tenant_ticket_idx" ON "attachments" USING btree ("tenant_id","ticket_id","id");--> statement-breakpoint
CREATE INDEX "ticket_tasks_tenant_ticket_idx" ON "ticket_tasks" USING btree ("tenant_id","ticket_id","position","id");--> statement-breakpoint
CREATE INDEX "time_entries_tenant_ticket_idx" ON "time_entries" USING btree ("tenant_id","ticket_id","spent_on","id");