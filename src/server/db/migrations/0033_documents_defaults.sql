-- documents.view for every built-in role (documents are company knowledge), documents.manage for the
-- built-in Admin and Manager roles; new companies get both from the default role table.
UPDATE "roles" SET "permissions" = array_append("permissions", 'documents.view'), "updated_at" = now()
WHERE "builtin" AND lower("name") IN ('admin', 'manager', 'department head', 'technician', 'requester', 'viewer') AND NOT ('documents.view' = ANY("permissions"));
--> statement-breakpoint
UPDATE "roles" SET "permissions" = array_append("permissions", 'documents.manage'), "updated_at" = now()
WHERE "builtin" AND lower("name") IN ('admin', 'manager') AND NOT ('documents.manage' = ANY("permissions"));
--> statement-breakpoint
-- The default document categories for companies that exist already (new ones get them at provisioning).
INSERT INTO "picklist_items" ("tenant_id", "list", "name")
SELECT c.id, 'document_categories', n.name
FROM "companies" c CROSS JOIN (VALUES ('Manuals'), ('Policies'), ('How-to guides'), ('Contracts'), ('Certificates')) AS n(name)
WHERE NOT EXISTS (SELECT 1 FROM "picklist_items" p WHERE p.tenant_id = c.id AND p.list = 'document_categories');
