-- webhooks.manage: every company's built-in Admin role gets it (new companies get it from the
-- default role table, where Admin holds every permission).
UPDATE "roles" SET "permissions" = array_append("permissions", 'webhooks.manage'), "updated_at" = now()
WHERE "builtin" AND lower("name") = 'admin' AND NOT ('webhooks.manage' = ANY("permissions"));
