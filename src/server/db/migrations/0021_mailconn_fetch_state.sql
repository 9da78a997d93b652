CREATE TABLE "mailbox_fetch_state" (
	"tenant_id" bigint NOT NULL,
	"mailbox_id" bigint NOT NULL,
	"state" text DEFAULT 'ok' NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_fetch_state_tenant_id_mailbox_id_pk" PRIMARY KEY("tenant_id","mailbox_id")
);
--> statement-breakpoint
ALTER TABLE "mailbox_fetch_state" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mailbox_fetch_state" ADD CONSTRAINT "mailbox_fetch_state_tenant_id_companies_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_fetch_state" ADD CONSTRAINT "mailbox_fetch_state_tenant_id_mailbox_id_mailboxes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","mailbox_id") REFERENCES "public"."mailboxes"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "mailbox_fetch_state" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint);