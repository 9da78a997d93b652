-- tickets.approve_any (decide any pending approval step, so a chain whose approver left is never
-- stuck) is new: every company's built-in Admin role gets it, as new companies' Admins do.
UPDATE "roles" SET "permissions" = array_append("permissions", 'tickets.approve_any'), "updated_at" = now()
WHERE NOT ('tickets.approve_any' = ANY("permissions"))
  AND "builtin" AND lower("name") = 'admin';
