-- maintenance.manage: every company's built-in Admin and Manager roles get it (new companies get it
-- from the default role table).
UPDATE "roles" SET "permissions" = array_append("permissions", 'maintenance.manage'), "updated_at" = now()
WHERE "builtin" AND lower("name") IN ('admin', 'manager') AND NOT ('maintenance.manage' = ANY("permissions"));
