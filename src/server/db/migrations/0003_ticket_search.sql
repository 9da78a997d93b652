-- Full-text and partial-word ticket search that can use its indexes under row-level security.
-- `@@` and `ilike` are not LEAKPROOF, so for the RLS role PostgreSQL cannot use the GIN and trigram
-- indexes as index conditions. This function runs as the schema owner but reads the company ONLY from
-- app.tenant_id (set by withTenant), and returns the newest matching ticket ids before `before_id`;
-- the list then applies every other filter and visibility under RLS. See docs/PERFORMANCE.md.
CREATE OR REPLACE FUNCTION ticket_text_match(q text, with_internal boolean, before_id bigint, n integer)
  RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 51
  SET search_path = public
AS $f$
DECLARE
  tenant bigint := nullif(current_setting('app.tenant_id', true), '')::bigint;
  like_q text := '%' || replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
BEGIN
  IF tenant IS NULL OR n IS NULL OR n < 1 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE $q$
    SELECT id FROM (
      (SELECT id FROM tickets
        WHERE tenant_id = $1 AND id < $4 AND search @@ websearch_to_tsquery('simple', $2)
        ORDER BY id DESC LIMIT $5)
      UNION
      (SELECT id FROM tickets
        WHERE tenant_id = $1 AND id < $4 AND title ILIKE $3
        ORDER BY id DESC LIMIT $5)
      UNION
      (SELECT ticket_id FROM ticket_comments
        WHERE tenant_id = $1 AND ticket_id < $4 AND search @@ websearch_to_tsquery('simple', $2) AND ($6 OR NOT internal)
        ORDER BY ticket_id DESC LIMIT $5)
    ) u ORDER BY id DESC LIMIT $5 $q$
  USING tenant, q, like_q, before_id, n, with_internal;
END
$f$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ticket_text_match(text, boolean, bigint, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ticket_text_match(text, boolean, bigint, integer) TO steward_app;
