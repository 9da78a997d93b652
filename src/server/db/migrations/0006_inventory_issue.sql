-- inventory.issue (use parts on tickets, fulfil supply requests) is new: every company's built-in
-- Technician role gets it, and so does every role that could already do it through inventory.manage.
UPDATE "roles" SET "permissions" = array_append("permissions", 'inventory.issue'), "updated_at" = now()
WHERE NOT ('inventory.issue' = ANY("permissions"))
  AND (("builtin" AND lower("name") = 'technician') OR 'inventory.manage' = ANY("permissions"));
