-- Before the unique keys of the next migration: sibling locations with the same name (any case),
-- made by parallel imports, and presence rows that share a connection.
-- A duplicate location keeps its id, children, assets and stock (all refer to it by id) and is
-- renamed "<name> (duplicate <id>)", so nothing moves without a person deciding; the first made
-- (lowest id) keeps the name.
UPDATE "locations" l
SET "name" = l."name" || ' (duplicate ' || l."id" || ')', "updated_at" = now()
FROM (
  SELECT "tenant_id", "id", row_number() OVER (
    PARTITION BY "tenant_id", coalesce("parent_id", 0), lower("name") ORDER BY "id") AS n
  FROM "locations"
) d
WHERE d."tenant_id" = l."tenant_id" AND d."id" = l."id" AND d.n > 1;
--> statement-breakpoint
-- Presence is rebuilt by the sockets' heartbeats; of rows sharing a connection the newest stays.
DELETE FROM "presence" p
USING "presence" q
WHERE q."tenant_id" = p."tenant_id" AND q."connection_id" = p."connection_id"
  AND (q."seen_at", q."user_id") > (p."seen_at", p."user_id");
