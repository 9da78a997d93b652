-- purchasing.manage and purchasing.finalize: every company's built-in Admin and Manager roles get
-- both (new companies get them from the default role table).
UPDATE "roles" SET "permissions" = array_append("permissions", 'purchasing.manage'), "updated_at" = now()
WHERE "builtin" AND lower("name") IN ('admin', 'manager') AND NOT ('purchasing.manage' = ANY("permissions"));
--> statement-breakpoint
UPDATE "roles" SET "permissions" = array_append("permissions", 'purchasing.finalize'), "updated_at" = now()
WHERE "builtin" AND lower("name") IN ('admin', 'manager') AND NOT ('purchasing.finalize' = ANY("permissions"));
