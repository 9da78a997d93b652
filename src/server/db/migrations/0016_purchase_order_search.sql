-- The PO list's search (`q`: number or vendor name) that can use its indexes under row-level
-- security. `ilike` is not LEAKPROOF, so for the RLS role PostgreSQL cannot use the trigram index on
-- the number, and the list walked every PO of the company to find a rare number (~300 ms at 70,000
-- POs). Like ticket_text_match (0003), this function runs as the schema owner but reads the company
-- ONLY from app.tenant_id (set by withTenant), and returns the newest matching PO ids before
-- `before_id`, with the list's status and vendor filters applied: the numbers by trigrams, and for
-- each vendor whose name matches, its newest POs by (tenant_id, vendor_id, id). See docs/PERFORMANCE.md.
CREATE OR REPLACE FUNCTION purchase_order_match(q text, status_filter text, vendor_filter bigint, before_id bigint, n integer)
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
      (SELECT o.id FROM purchase_orders o
        WHERE o.tenant_id = $1 AND o.id < $2 AND o.number ILIKE $3
          AND ($4::text IS NULL OR o.status = $4) AND ($5::bigint IS NULL OR o.vendor_id = $5)
        ORDER BY o.id DESC LIMIT $6)
      UNION
      (SELECT po.id FROM vendors v
         CROSS JOIN LATERAL (
           SELECT o.id FROM purchase_orders o
            WHERE o.tenant_id = v.tenant_id AND o.vendor_id = v.id AND o.id < $2 AND ($4::text IS NULL OR o.status = $4)
            ORDER BY o.id DESC LIMIT $6) po
        WHERE v.tenant_id = $1 AND v.name ILIKE $3 AND ($5::bigint IS NULL OR v.id = $5))
    ) u ORDER BY id DESC LIMIT $6 $q$
  USING tenant, before_id, like_q, status_filter, vendor_filter, n;
END
$f$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION purchase_order_match(text, text, bigint, bigint, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION purchase_order_match(text, text, bigint, bigint, integer) TO steward_app;
