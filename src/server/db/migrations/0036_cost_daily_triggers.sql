-- The cost aggregate (cost_daily, docs/decisions/0007-cost-aggregate.md) kept by triggers, in the
-- transaction of every write of a cost line or of what it is charged to. Each cost line adds its
-- amount and a count of 1 under five dimension keys of its day in the company zone; a change
-- subtracts the line as it was and adds it as it is. Amounts are the report's: each line rounded
-- half-up to cents (costs.queries.ts), so the aggregate equals the line query exactly.
-- Concurrency: a line's trigger reads what it is charged to (ticket, PO line, PO, part) FOR SHARE, so
-- a re-attribution of that row in flight is waited for and then seen (and the re-attribution, run
-- after its row is locked, sees every committed line): no line is charged to keys it no longer has.
-- The sums are upserts that add to the row (`amount = amount + excluded.amount`): writers of the same
-- key wait for each other's row lock, none overwrites another.
-- `set_config('steward.cost_daily', 'off', true)` turns the triggers off for one transaction (a
-- restore, a bulk load) that then calls cost_daily_rebuild().

CREATE OR REPLACE FUNCTION cost_daily_add(p_tenant bigint, p_at timestamptz, p_source text, p_amount numeric, p_lines integer,
  p_department bigint, p_cost_code text, p_location bigint, p_person bigint, p_category bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  IF p_at IS NULL OR p_amount IS NULL OR current_setting('steward.cost_daily', true) = 'off' THEN
    RETURN;
  END IF;
  d := (p_at AT TIME ZONE coalesce((SELECT c.timezone FROM companies c WHERE c.id = p_tenant), 'UTC'))::date;
  -- One statement, keys in a fixed order: concurrent writers lock the rows in the same order.
  INSERT INTO cost_daily AS c (tenant_id, dim, day, source, key, amount, lines)
  VALUES (p_tenant, 'category', d, p_source, coalesce(p_category::text, ''), p_amount, p_lines),
         (p_tenant, 'costCode', d, p_source, coalesce(nullif(p_cost_code, ''), ''), p_amount, p_lines),
         (p_tenant, 'department', d, p_source, coalesce(p_department::text, ''), p_amount, p_lines),
         (p_tenant, 'location', d, p_source, coalesce(p_location::text, ''), p_amount, p_lines),
         (p_tenant, 'technician', d, p_source, coalesce(p_person::text, ''), p_amount, p_lines)
  ON CONFLICT (tenant_id, dim, day, source, key)
  DO UPDATE SET amount = c.amount + excluded.amount, lines = c.lines + excluded.lines;
  IF p_lines < 0 THEN
    -- Keys with no line left go away, so the table holds only keys in use.
    DELETE FROM cost_daily c
     WHERE c.tenant_id = p_tenant AND c.day = d AND c.source = p_source AND c.lines = 0
       AND c.dim IN ('category', 'costCode', 'department', 'location', 'technician');
  END IF;
END $$;
--> statement-breakpoint

-- One line's contribution (sgn = 1 adds it, -1 takes it away), charged as the given row says.
CREATE OR REPLACE FUNCTION cost_daily_labour(e time_entries, sgn integer, tk tickets) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF tk.id IS NULL THEN RETURN; END IF;
  PERFORM cost_daily_add(e.tenant_id, e.spent_on, 'labour', sgn * round(e.minutes::numeric * coalesce(e.rate, 0) / 60, 2), sgn,
    tk.department_id, tk.cost_code, tk.location_id, e.user_id, tk.category_id);
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_movement(m stock_movements, sgn integer, tk tickets, part_cost numeric) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cost numeric;
BEGIN
  IF m.type <> 'consume' THEN RETURN; END IF;
  cost := coalesce(m.unit_cost, part_cost, (SELECT p.unit_cost FROM parts p WHERE p.tenant_id = m.tenant_id AND p.id = m.part_id FOR SHARE));
  PERFORM cost_daily_add(m.tenant_id, m.at, 'parts', sgn * round(-m.quantity * cost, 2), sgn,
    tk.department_id, tk.cost_code, coalesce(tk.location_id, m.location_id), m.actor_id, tk.category_id);
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_receipt(r purchase_order_receipts, sgn integer, l purchase_order_lines) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF l.id IS NULL THEN RETURN; END IF;
  PERFORM cost_daily_add(r.tenant_id, r.at, 'received', sgn * round(r.quantity * l.unit_price, 2), sgn,
    l.department_id, l.cost_code, r.location_id, NULL, NULL);
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION cost_daily_ordered(l purchase_order_lines, sgn integer, po purchase_orders) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF po.id IS NULL OR po.finalized_at IS NULL OR po.status = 'cancelled' THEN RETURN; END IF;
  PERFORM cost_daily_add(l.tenant_id, po.finalized_at, 'ordered', sgn * round(l.quantity * l.unit_price, 2), sgn,
    l.department_id, l.cost_code, NULL, NULL, NULL);
END $$;
--> statement-breakpoint

-- Time entries.
CREATE OR REPLACE FUNCTION cost_daily_time_entries_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  tk tickets;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT t.* INTO tk FROM tickets t WHERE t.tenant_id = OLD.tenant_id AND t.id = OLD.ticket_id FOR SHARE;
    PERFORM cost_daily_labour(OLD, -1, tk);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT t.* INTO tk FROM tickets t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.ticket_id FOR SHARE;
    PERFORM cost_daily_labour(NEW, 1, tk);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_time_entries AFTER INSERT OR DELETE OR UPDATE OF ticket_id, user_id, minutes, rate, spent_on
  ON time_entries FOR EACH ROW EXECUTE FUNCTION cost_daily_time_entries_trg();
--> statement-breakpoint

-- Parts used (consume movements).
CREATE OR REPLACE FUNCTION cost_daily_stock_movements_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  tk tickets;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.type = 'consume' THEN
    SELECT t.* INTO tk FROM tickets t WHERE t.tenant_id = OLD.tenant_id AND t.id = OLD.ticket_id FOR SHARE;
    PERFORM cost_daily_movement(OLD, -1, tk, NULL);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.type = 'consume' THEN
    SELECT t.* INTO tk FROM tickets t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.ticket_id FOR SHARE;
    PERFORM cost_daily_movement(NEW, 1, tk, NULL);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_stock_movements AFTER INSERT OR DELETE OR UPDATE
  ON stock_movements FOR EACH ROW EXECUTE FUNCTION cost_daily_stock_movements_trg();
--> statement-breakpoint

-- A part's catalogue cost is the cost of the movements that carry none.
CREATE OR REPLACE FUNCTION cost_daily_parts_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  m stock_movements;
  tk tickets;
BEGIN
  IF OLD.unit_cost IS NOT DISTINCT FROM NEW.unit_cost THEN RETURN NULL; END IF;
  FOR m IN SELECT * FROM stock_movements s WHERE s.tenant_id = NEW.tenant_id AND s.part_id = NEW.id AND s.type = 'consume' AND s.unit_cost IS NULL LOOP
    SELECT t.* INTO tk FROM tickets t WHERE t.tenant_id = m.tenant_id AND t.id = m.ticket_id FOR SHARE;
    PERFORM cost_daily_movement(m, -1, tk, OLD.unit_cost);
    PERFORM cost_daily_movement(m, 1, tk, NEW.unit_cost);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_parts AFTER UPDATE OF unit_cost ON parts FOR EACH ROW EXECUTE FUNCTION cost_daily_parts_trg();
--> statement-breakpoint

-- A ticket's department, cost code, location or category: its labour and parts move to the new keys.
CREATE OR REPLACE FUNCTION cost_daily_tickets_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e time_entries;
  m stock_movements;
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Before the row goes (its time entries go by cascade after it, when it can no longer be read).
    FOR e IN SELECT * FROM time_entries x WHERE x.tenant_id = OLD.tenant_id AND x.ticket_id = OLD.id LOOP
      PERFORM cost_daily_labour(e, -1, OLD);
    END LOOP;
    RETURN OLD;
  END IF;
  IF (OLD.department_id, OLD.cost_code, OLD.location_id, OLD.category_id) IS NOT DISTINCT FROM
     (NEW.department_id, NEW.cost_code, NEW.location_id, NEW.category_id) THEN
    RETURN NULL;
  END IF;
  FOR e IN SELECT * FROM time_entries x WHERE x.tenant_id = NEW.tenant_id AND x.ticket_id = NEW.id ORDER BY x.spent_on, x.id LOOP
    PERFORM cost_daily_labour(e, -1, OLD);
    PERFORM cost_daily_labour(e, 1, NEW);
  END LOOP;
  FOR m IN SELECT * FROM stock_movements x WHERE x.tenant_id = NEW.tenant_id AND x.ticket_id = NEW.id AND x.type = 'consume' ORDER BY x.at, x.id LOOP
    PERFORM cost_daily_movement(m, -1, OLD, NULL);
    PERFORM cost_daily_movement(m, 1, NEW, NULL);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_tickets AFTER UPDATE OF department_id, cost_code, location_id, category_id
  ON tickets FOR EACH ROW EXECUTE FUNCTION cost_daily_tickets_trg();
--> statement-breakpoint
CREATE TRIGGER cost_daily_tickets_delete BEFORE DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION cost_daily_tickets_trg();
--> statement-breakpoint

-- Receipts (purchases by received quantity).
CREATE OR REPLACE FUNCTION cost_daily_receipts_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  l purchase_order_lines;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT x.* INTO l FROM purchase_order_lines x WHERE x.tenant_id = OLD.tenant_id AND x.id = OLD.line_id FOR SHARE;
    PERFORM cost_daily_receipt(OLD, -1, l);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT x.* INTO l FROM purchase_order_lines x WHERE x.tenant_id = NEW.tenant_id AND x.id = NEW.line_id FOR SHARE;
    PERFORM cost_daily_receipt(NEW, 1, l);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_receipts AFTER INSERT OR DELETE OR UPDATE OF line_id, quantity, location_id, at
  ON purchase_order_receipts FOR EACH ROW EXECUTE FUNCTION cost_daily_receipts_trg();
--> statement-breakpoint

-- PO lines: ordered quantities (when the PO is finalised and not cancelled) and the receipts' keys.
CREATE OR REPLACE FUNCTION cost_daily_po_lines_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  po purchase_orders;
  r purchase_order_receipts;
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Before the row goes: its receipts (deleted by cascade after it) are charged by it.
    SELECT x.* INTO po FROM purchase_orders x WHERE x.tenant_id = OLD.tenant_id AND x.id = OLD.purchase_order_id FOR SHARE;
    PERFORM cost_daily_ordered(OLD, -1, po);
    FOR r IN SELECT * FROM purchase_order_receipts x WHERE x.tenant_id = OLD.tenant_id AND x.line_id = OLD.id ORDER BY x.at, x.id LOOP
      PERFORM cost_daily_receipt(r, -1, OLD);
    END LOOP;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT x.* INTO po FROM purchase_orders x WHERE x.tenant_id = OLD.tenant_id AND x.id = OLD.purchase_order_id FOR SHARE;
    PERFORM cost_daily_ordered(OLD, -1, po);
    IF (OLD.unit_price, OLD.department_id, OLD.cost_code) IS DISTINCT FROM (NEW.unit_price, NEW.department_id, NEW.cost_code) THEN
      FOR r IN SELECT * FROM purchase_order_receipts x WHERE x.tenant_id = NEW.tenant_id AND x.line_id = NEW.id ORDER BY x.at, x.id LOOP
        PERFORM cost_daily_receipt(r, -1, OLD);
        PERFORM cost_daily_receipt(r, 1, NEW);
      END LOOP;
    END IF;
  END IF;
  SELECT x.* INTO po FROM purchase_orders x WHERE x.tenant_id = NEW.tenant_id AND x.id = NEW.purchase_order_id FOR SHARE;
  PERFORM cost_daily_ordered(NEW, 1, po);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_po_lines AFTER INSERT OR UPDATE OF purchase_order_id, quantity, unit_price, department_id, cost_code
  ON purchase_order_lines FOR EACH ROW EXECUTE FUNCTION cost_daily_po_lines_trg();
--> statement-breakpoint
CREATE TRIGGER cost_daily_po_lines_delete BEFORE DELETE ON purchase_order_lines FOR EACH ROW EXECUTE FUNCTION cost_daily_po_lines_trg();
--> statement-breakpoint

-- Purchase orders: finalising, cancelling or deleting one moves its ordered lines.
CREATE OR REPLACE FUNCTION cost_daily_purchase_orders_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  l purchase_order_lines;
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.finalized_at, OLD.status) IS NOT DISTINCT FROM (NEW.finalized_at, NEW.status) THEN
    RETURN NULL;
  END IF;
  FOR l IN SELECT * FROM purchase_order_lines x WHERE x.tenant_id = OLD.tenant_id AND x.purchase_order_id = OLD.id ORDER BY x.id LOOP
    PERFORM cost_daily_ordered(l, -1, OLD);
    IF TG_OP = 'UPDATE' THEN PERFORM cost_daily_ordered(l, 1, NEW); END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_purchase_orders AFTER UPDATE OF finalized_at, status
  ON purchase_orders FOR EACH ROW EXECUTE FUNCTION cost_daily_purchase_orders_trg();
--> statement-breakpoint
CREATE TRIGGER cost_daily_purchase_orders_delete BEFORE DELETE ON purchase_orders FOR EACH ROW EXECUTE FUNCTION cost_daily_purchase_orders_trg();
--> statement-breakpoint

-- A company's aggregate from its lines, set-based (the zone changed, a restore, a bulk load).
CREATE OR REPLACE FUNCTION cost_daily_rebuild(p_tenant bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  z text;
  n integer;
BEGIN
  z := coalesce((SELECT c.timezone FROM companies c WHERE c.id = p_tenant), 'UTC');
  DELETE FROM cost_daily WHERE tenant_id = p_tenant;
  INSERT INTO cost_daily (tenant_id, dim, day, source, key, amount, lines)
  SELECT p_tenant, d.dim, (f.at AT TIME ZONE z)::date, f.source, d.key, sum(f.amount), count(*)
    FROM (
      SELECT 'labour' AS source, te.spent_on AS at, round(te.minutes::numeric * coalesce(te.rate, 0) / 60, 2) AS amount,
             tk.department_id, tk.cost_code, tk.location_id, te.user_id AS person_id, tk.category_id
        FROM time_entries te JOIN tickets tk ON tk.tenant_id = te.tenant_id AND tk.id = te.ticket_id
       WHERE te.tenant_id = p_tenant
      UNION ALL
      SELECT 'parts', m.at, round(-m.quantity * coalesce(m.unit_cost, p.unit_cost), 2),
             tk.department_id, tk.cost_code, coalesce(tk.location_id, m.location_id), m.actor_id, tk.category_id
        FROM stock_movements m
        JOIN parts p ON p.tenant_id = m.tenant_id AND p.id = m.part_id
        LEFT JOIN tickets tk ON tk.tenant_id = m.tenant_id AND tk.id = m.ticket_id
       WHERE m.tenant_id = p_tenant AND m.type = 'consume'
      UNION ALL
      SELECT 'received', r.at, round(r.quantity * l.unit_price, 2), l.department_id, l.cost_code, r.location_id, NULL, NULL
        FROM purchase_order_receipts r JOIN purchase_order_lines l ON l.tenant_id = r.tenant_id AND l.id = r.line_id
       WHERE r.tenant_id = p_tenant
      UNION ALL
      SELECT 'ordered', po.finalized_at, round(l.quantity * l.unit_price, 2), l.department_id, l.cost_code, NULL, NULL, NULL
        FROM purchase_orders po JOIN purchase_order_lines l ON l.tenant_id = po.tenant_id AND l.purchase_order_id = po.id
       WHERE po.tenant_id = p_tenant AND po.finalized_at IS NOT NULL AND po.status <> 'cancelled'
    ) f
    CROSS JOIN LATERAL (VALUES ('category', coalesce(f.category_id::text, '')),
                               ('costCode', coalesce(nullif(f.cost_code, ''), '')),
                               ('department', coalesce(f.department_id::text, '')),
                               ('location', coalesce(f.location_id::text, '')),
                               ('technician', coalesce(f.person_id::text, ''))) d(dim, key)
   WHERE f.amount IS NOT NULL AND f.at IS NOT NULL
   GROUP BY d.dim, (f.at AT TIME ZONE z)::date, f.source, d.key;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
--> statement-breakpoint

-- The company zone decides the day of every line: a change rebuilds the company's aggregate.
CREATE OR REPLACE FUNCTION cost_daily_companies_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('steward.cost_daily', true) IS DISTINCT FROM 'off' THEN
    PERFORM cost_daily_rebuild(NEW.id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cost_daily_companies AFTER UPDATE OF timezone ON companies FOR EACH ROW
  WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION cost_daily_companies_trg();
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cost_daily_rebuild(bigint) TO steward_app;
