-- The asset dimension of cost_daily (docs/decisions/0007-cost-aggregate.md), kept like the other five
-- by triggers in the writer's transaction, with the line query's rule (costs.queries.ts, keyed): a line
-- is split evenly over the assets it is charged to — its ticket's assets (ticket_assets) for labour and
-- parts used on a ticket, a receipt's registered assets (asset_ids) for received purchases — each share
-- truncated to cents and the leftover cents on the lowest asset id; a line with no asset (ordered
-- purchases, parts used without a ticket, tickets without assets) goes whole to "none" (''). `lines`
-- of an asset key counts the line's shares in it. Changes of a ticket's asset links (ticket_assets
-- insert, delete, update) re-split the ticket's labour and parts from the old set to the new one.

-- One line's shares (p_amount signed: −amount takes the line away) over the assets, sorted ascending.
CREATE OR REPLACE FUNCTION cost_daily_asset_add(p_tenant bigint, p_at timestamptz, p_source text, p_amount numeric, p_lines integer, p_assets bigint[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  d date;
  n integer;
  share numeric;
BEGIN
  IF p_at IS NULL OR p_amount IS NULL OR current_setting('steward.cost_daily', true) = 'off' THEN
    RETURN;
  END IF;
  d := (p_at AT TIME ZONE coalesce((SELECT c.timezone FROM companies c WHERE c.id = p_tenant), 'UTC'))::date;
  n := coalesce(cardinality(p_assets), 0);
  IF n = 0 THEN
    INSERT INTO cost_daily AS c (tenant_id, dim, day, source, key, amount, lines)
    VALUES (p_tenant, 'asset', d, p_source, '', p_amount, p_lines)
    ON CONFLICT (tenant_id, dim, day, source, key)
    DO UPDATE SET amount = c.amount + excluded.amount, lines = c.lines + excluded.lines;
  ELSE
    -- As the line query: trunc(amount / n, 2) each, amount − n × that on the first (trunc is odd, so a
    -- subtraction takes away exactly what the addition put). Keys in ascending order, one statement.
    share := trunc(p_amount / n, 2);
    INSERT INTO cost_daily AS c (tenant_id, dim, day, source, key, amount, lines)
    SELECT p_tenant, 'asset', d, p_source, a.id::text, sum(share + CASE WHEN a.ord = 1 THEN p_amount - share * n ELSE 0 END), sum(p_lines)
      FROM unnest(p_assets) WITH ORDINALITY a(id, ord)
     GROUP BY a.id
     ORDER BY a.id::text
    ON CONFLICT (tenant_id, dim, day, source, key)
    DO UPDATE SET amount = c.amount + excluded.amount, lines = c.lines + excluded.lines;
  END IF;
  IF p_lines < 0 THEN
    DELETE FROM cost_daily c
     WHERE c.tenant_id = p_tenant AND c.dim = 'asset' AND c.day = d AND c.source = p_source AND c.lines = 0;
  END IF;
END $$;
--> statement-breakpoint

-- A ticket's assets, ascending (the order the line query gives the leftover cents in).
CREATE OR REPLACE FUNCTION cost_daily_ticket_assets(p_tenant bigint, p_ticket bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(ta.asset_id ORDER BY ta.asset_id), '{}'::bigint[])
    FROM ticket_assets ta WHERE ta.tenant_id = p_tenant AND ta.ticket_id = p_ticket
$$;
--> statement-breakpoint

-- A receipt's registered assets, ascending.
CREATE OR REPLACE FUNCTION cost_daily_receipt_assets(p_ids jsonb) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(e::bigint ORDER BY e::bigint), '{}'::bigint[])
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p_ids) = 'array' THEN p_ids ELSE '[]'::jsonb END) e
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_labour_amount(e time_entries) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$ SELECT round(e.minutes::numeric * coalesce(e.rate, 0) / 60, 2) $$;
--> statement-breakpoint

-- The one-line functions of 0036, now also under the asset dimension.
CREATE OR REPLACE FUNCTION cost_daily_labour(e time_entries, sgn integer, tk tickets) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  amount numeric;
BEGIN
  IF tk.id IS NULL THEN RETURN; END IF;
  amount := sgn * cost_daily_labour_amount(e);
  PERFORM cost_daily_add(e.tenant_id, e.spent_on, 'labour', amount, sgn,
    tk.department_id, tk.cost_code, tk.location_id, e.user_id, tk.category_id);
  PERFORM cost_daily_asset_add(e.tenant_id, e.spent_on, 'labour', amount, sgn, cost_daily_ticket_assets(tk.tenant_id, tk.id));
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_movement(m stock_movements, sgn integer, tk tickets, part_cost numeric) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cost numeric;
  amount numeric;
BEGIN
  IF m.type <> 'consume' THEN RETURN; END IF;
  cost := coalesce(m.unit_cost, part_cost, (SELECT p.unit_cost FROM parts p WHERE p.tenant_id = m.tenant_id AND p.id = m.part_id FOR SHARE));
  amount := sgn * round(-m.quantity * cost, 2);
  PERFORM cost_daily_add(m.tenant_id, m.at, 'parts', amount, sgn,
    tk.department_id, tk.cost_code, coalesce(tk.location_id, m.location_id), m.actor_id, tk.category_id);
  PERFORM cost_daily_asset_add(m.tenant_id, m.at, 'parts', amount, sgn,
    CASE WHEN tk.id IS NULL THEN '{}'::bigint[] ELSE cost_daily_ticket_assets(tk.tenant_id, tk.id) END);
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_receipt(r purchase_order_receipts, sgn integer, l purchase_order_lines) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  amount numeric;
BEGIN
  IF l.id IS NULL THEN RETURN; END IF;
  amount := sgn * round(r.quantity * l.unit_price, 2);
  PERFORM cost_daily_add(r.tenant_id, r.at, 'received', amount, sgn,
    l.department_id, l.cost_code, r.location_id, NULL, NULL);
  PERFORM cost_daily_asset_add(r.tenant_id, r.at, 'received', amount, sgn, cost_daily_receipt_assets(r.asset_ids));
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_ordered(l purchase_order_lines, sgn integer, po purchase_orders) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  amount numeric;
BEGIN
  IF po.id IS NULL OR po.finalized_at IS NULL OR po.status = 'cancelled' THEN RETURN; END IF;
  amount := sgn * round(l.quantity * l.unit_price, 2);
  PERFORM cost_daily_add(l.tenant_id, po.finalized_at, 'ordered', amount, sgn,
    l.department_id, l.cost_code, NULL, NULL, NULL);
  PERFORM cost_daily_asset_add(l.tenant_id, po.finalized_at, 'ordered', amount, sgn, '{}'::bigint[]);
END $$;
--> statement-breakpoint

-- A receipt's registered assets are what it is charged to under the asset dimension.
DROP TRIGGER cost_daily_receipts ON purchase_order_receipts;
--> statement-breakpoint
CREATE TRIGGER cost_daily_receipts AFTER INSERT OR DELETE OR UPDATE OF line_id, quantity, location_id, at, asset_ids
  ON purchase_order_receipts FOR EACH ROW EXECUTE FUNCTION cost_daily_receipts_trg();
--> statement-breakpoint

-- A ticket's asset links changed: its labour and parts move from the shares over the old set to the
-- shares over the new one. p_added / p_removed are the statement's links of this ticket (transition
-- tables), so the old set is the current one without the added links and with the removed ones.
-- The ticket is locked first (FOR NO KEY UPDATE: it waits for a line's trigger holding it FOR SHARE
-- and for another re-attribution, not for foreign-key checks), then the set and the lines are read:
-- every committed line and link is seen, and a line written after waits for this one and sees it.
CREATE OR REPLACE FUNCTION cost_daily_ticket_assets_changed(p_tenant bigint, p_ticket bigint, p_added bigint[], p_removed bigint[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cur bigint[];
  prev bigint[];
  e time_entries;
  m stock_movements;
  cost numeric;
  amount numeric;
BEGIN
  IF current_setting('steward.cost_daily', true) = 'off' THEN RETURN; END IF;
  -- A ticket deleted in this statement took its lines away itself (its BEFORE DELETE trigger).
  PERFORM 1 FROM tickets t WHERE t.tenant_id = p_tenant AND t.id = p_ticket FOR NO KEY UPDATE;
  IF NOT FOUND THEN RETURN; END IF;
  cur := cost_daily_ticket_assets(p_tenant, p_ticket);
  SELECT coalesce(array_agg(x ORDER BY x), '{}'::bigint[]) INTO prev
    FROM (SELECT unnest(cur) EXCEPT SELECT unnest(p_added) UNION SELECT unnest(p_removed)) s(x);
  IF prev = cur THEN RETURN; END IF;
  FOR e IN SELECT * FROM time_entries x WHERE x.tenant_id = p_tenant AND x.ticket_id = p_ticket ORDER BY x.spent_on, x.id LOOP
    amount := cost_daily_labour_amount(e);
    PERFORM cost_daily_asset_add(p_tenant, e.spent_on, 'labour', -amount, -1, prev);
    PERFORM cost_daily_asset_add(p_tenant, e.spent_on, 'labour', amount, 1, cur);
  END LOOP;
  FOR m IN SELECT * FROM stock_movements x WHERE x.tenant_id = p_tenant AND x.ticket_id = p_ticket AND x.type = 'consume' ORDER BY x.at, x.id LOOP
    cost := coalesce(m.unit_cost, (SELECT p.unit_cost FROM parts p WHERE p.tenant_id = m.tenant_id AND p.id = m.part_id FOR SHARE));
    amount := round(-m.quantity * cost, 2);
    PERFORM cost_daily_asset_add(p_tenant, m.at, 'parts', -amount, -1, prev);
    PERFORM cost_daily_asset_add(p_tenant, m.at, 'parts', amount, 1, cur);
  END LOOP;
END $$;
--> statement-breakpoint

-- Statement triggers: a statement may link several assets to one ticket, and a row trigger would see
-- them all before the first of its calls. Tickets in id order (the same lock order for every writer).
CREATE OR REPLACE FUNCTION cost_daily_ticket_assets_ins_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT n.tenant_id, n.ticket_id, array_agg(n.asset_id) AS ids FROM new_links n GROUP BY n.tenant_id, n.ticket_id ORDER BY n.tenant_id, n.ticket_id LOOP
    PERFORM cost_daily_ticket_assets_changed(r.tenant_id, r.ticket_id, r.ids, '{}'::bigint[]);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cost_daily_ticket_assets_del_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT o.tenant_id, o.ticket_id, array_agg(o.asset_id) AS ids FROM old_links o GROUP BY o.tenant_id, o.ticket_id ORDER BY o.tenant_id, o.ticket_id LOOP
    PERFORM cost_daily_ticket_assets_changed(r.tenant_id, r.ticket_id, '{}'::bigint[], r.ids);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cost_daily_ticket_assets_upd_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT k.tenant_id, k.ticket_id,
           coalesce((SELECT array_agg(n.asset_id) FROM new_links n WHERE n.tenant_id = k.tenant_id AND n.ticket_id = k.ticket_id), '{}'::bigint[]) AS added,
           coalesce((SELECT array_agg(o.asset_id) FROM old_links o WHERE o.tenant_id = k.tenant_id AND o.ticket_id = k.ticket_id), '{}'::bigint[]) AS removed
      FROM (SELECT tenant_id, ticket_id FROM new_links UNION SELECT tenant_id, ticket_id FROM old_links) k
     ORDER BY k.tenant_id, k.ticket_id
  LOOP
    PERFORM cost_daily_ticket_assets_changed(r.tenant_id, r.ticket_id, r.added, r.removed);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_ticket_assets_ins AFTER INSERT ON ticket_assets
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION cost_daily_ticket_assets_ins_trg();
--> statement-breakpoint
CREATE TRIGGER cost_daily_ticket_assets_del AFTER DELETE ON ticket_assets
  REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION cost_daily_ticket_assets_del_trg();
--> statement-breakpoint
CREATE TRIGGER cost_daily_ticket_assets_upd AFTER UPDATE ON ticket_assets
  REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION cost_daily_ticket_assets_upd_trg();
--> statement-breakpoint

-- The rebuild of 0036 with the asset dimension: the same facts, once under each of the five
-- dimensions and split over their assets under the sixth (the line query's split, set-based).
CREATE OR REPLACE FUNCTION cost_daily_rebuild(p_tenant bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  z text;
  n integer;
BEGIN
  z := coalesce((SELECT c.timezone FROM companies c WHERE c.id = p_tenant), 'UTC');
  DELETE FROM cost_daily WHERE tenant_id = p_tenant;
  INSERT INTO cost_daily (tenant_id, dim, day, source, key, amount, lines)
  WITH f AS MATERIALIZED (
    SELECT x.* FROM (
      SELECT 'labour' AS source, te.id, te.spent_on AS at, round(te.minutes::numeric * coalesce(te.rate, 0) / 60, 2) AS amount,
             tk.department_id, tk.cost_code, tk.location_id, te.user_id AS person_id, tk.category_id, te.ticket_id, NULL::jsonb AS asset_ids
        FROM time_entries te JOIN tickets tk ON tk.tenant_id = te.tenant_id AND tk.id = te.ticket_id
       WHERE te.tenant_id = p_tenant
      UNION ALL
      SELECT 'parts', m.id, m.at, round(-m.quantity * coalesce(m.unit_cost, p.unit_cost), 2),
             tk.department_id, tk.cost_code, coalesce(tk.location_id, m.location_id), m.actor_id, tk.category_id, m.ticket_id, NULL
        FROM stock_movements m
        JOIN parts p ON p.tenant_id = m.tenant_id AND p.id = m.part_id
        LEFT JOIN tickets tk ON tk.tenant_id = m.tenant_id AND tk.id = m.ticket_id
       WHERE m.tenant_id = p_tenant AND m.type = 'consume'
      UNION ALL
      SELECT 'received', r.id, r.at, round(r.quantity * l.unit_price, 2), l.department_id, l.cost_code, r.location_id, NULL, NULL, NULL, r.asset_ids
        FROM purchase_order_receipts r JOIN purchase_order_lines l ON l.tenant_id = r.tenant_id AND l.id = r.line_id
       WHERE r.tenant_id = p_tenant
      UNION ALL
      SELECT 'ordered', l.id, po.finalized_at, round(l.quantity * l.unit_price, 2), l.department_id, l.cost_code, NULL, NULL, NULL, NULL, NULL
        FROM purchase_orders po JOIN purchase_order_lines l ON l.tenant_id = po.tenant_id AND l.purchase_order_id = po.id
       WHERE po.tenant_id = p_tenant AND po.finalized_at IS NOT NULL AND po.status <> 'cancelled'
    ) x
    WHERE x.amount IS NOT NULL AND x.at IS NOT NULL
  )
  SELECT p_tenant, d.dim, (f.at AT TIME ZONE z)::date, f.source, d.key, sum(f.amount), count(*)
    FROM f
    CROSS JOIN LATERAL (VALUES ('category', coalesce(f.category_id::text, '')),
                               ('costCode', coalesce(nullif(f.cost_code, ''), '')),
                               ('department', coalesce(f.department_id::text, '')),
                               ('location', coalesce(f.location_id::text, '')),
                               ('technician', coalesce(f.person_id::text, ''))) d(dim, key)
   GROUP BY d.dim, (f.at AT TIME ZONE z)::date, f.source, d.key
  UNION ALL
  SELECT p_tenant, 'asset', s.day, s.source, s.key, sum(s.share), count(*)
    FROM (
      SELECT f.source, (f.at AT TIME ZONE z)::date AS day, coalesce(a.asset_id::text, '') AS key,
             trunc(f.amount / count(*) OVER w, 2)
               + CASE WHEN row_number() OVER wo = 1 THEN f.amount - trunc(f.amount / count(*) OVER w, 2) * count(*) OVER w ELSE 0 END AS share
        FROM f
        LEFT JOIN LATERAL (
          SELECT ta.asset_id FROM ticket_assets ta WHERE ta.tenant_id = p_tenant AND ta.ticket_id = f.ticket_id
          UNION ALL
          SELECT e FROM unnest(cost_daily_receipt_assets(f.asset_ids)) e
        ) a ON true
      WINDOW w AS (PARTITION BY f.source, f.id), wo AS (PARTITION BY f.source, f.id ORDER BY a.asset_id)
    ) s
   GROUP BY s.day, s.source, s.key;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
--> statement-breakpoint

-- Existing companies: their aggregate has no asset rows yet (and the triggers above would now add
-- deltas to them), so each is rebuilt once here, set-based (seconds for 400,000 lines).
SELECT cost_daily_rebuild(c.id) FROM companies c ORDER BY c.id;
