CREATE TABLE "ticket_relations" (
	"tenant_id" bigint NOT NULL,
	"ticket_id" bigint NOT NULL,
	"related_id" bigint NOT NULL,
	"reason" text DEFAULT 'mail_after_reopen_period' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_relations_tenant_id_ticket_id_related_id_pk" PRIMARY KEY("tenant_id","ticket_id","related_id")
);
--> statement-breakpoint
ALTER TABLE "ticket_relations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "html" text;--> statement-breakpoint
ALTER TABLE "ticket_relations" ADD CONSTRAINT "ticket_relations_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ticket_relations" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);