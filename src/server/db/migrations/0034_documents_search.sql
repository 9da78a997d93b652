-- The document list's search (`q`: title or file name) that can use the trigram indexes under
-- row-level security: `ilike` is not LEAKPROOF, so for the RLS role PostgreSQL cannot use
-- documents_title_trgm_idx / documents_file_name_trgm_idx, and a rare word walked every document of
-- the company (~1 s at 200,000). Like purchase_order_match (0016), this function runs as the schema
-- owner but reads the company ONLY from app.tenant_id (set by withTenant), and returns the newest
-- matching document ids before `before_id`, the category filter applied. See docs/PERFORMANCE.md.
CREATE OR REPLACE FUNCTION document_match(q text, category_filter bigint, before_id bigint, n integer)
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
      (SELECT d.id FROM documents d
        WHERE d.tenant_id = $1 AND d.id < $2 AND d.title ILIKE $3 AND ($4::bigint IS NULL OR d.category_id = $4)
        ORDER BY d.id DESC LIMIT $5)
      UNION
      (SELECT d.id FROM documents d
        WHERE d.tenant_id = $1 AND d.id < $2 AND d.file_name ILIKE $3 AND ($4::bigint IS NULL OR d.category_id = $4)
        ORDER BY d.id DESC LIMIT $5)
    ) u ORDER BY id DESC LIMIT $5 $q$
  USING tenant, before_id, like_q, category_filter, n;
END
$f$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION document_match(text, bigint, bigint, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION document_match(text, bigint, bigint, integer) TO steward_app;
