-- Companies that exist before SLAs: the default business-hours calendar (Monday–Friday 09:00–17:00
-- in the company's zone) and the default SLA policy on it, as a new company gets them.
INSERT INTO business_hours (tenant_id, name, timezone, week, is_default)
SELECT c.id, 'Office hours', c.timezone,
  '[{"day":1,"start":"09:00","end":"17:00"},{"day":2,"start":"09:00","end":"17:00"},{"day":3,"start":"09:00","end":"17:00"},{"day":4,"start":"09:00","end":"17:00"},{"day":5,"start":"09:00","end":"17:00"}]'::jsonb,
  true
FROM companies c
WHERE NOT EXISTS (SELECT 1 FROM business_hours b WHERE b.tenant_id = c.id);
--> statement-breakpoint
INSERT INTO sla_policies (tenant_id, name, position, business_hours_id, match, targets, warn_before_minutes)
SELECT b.tenant_id, 'Standard', 1, b.id, '{}'::jsonb,
  '{"urgent":{"firstResponseMinutes":30,"resolutionMinutes":240},"high":{"firstResponseMinutes":60,"resolutionMinutes":480},"medium":{"firstResponseMinutes":240,"resolutionMinutes":1440},"low":{"firstResponseMinutes":480,"resolutionMinutes":2400}}'::jsonb,
  60
FROM business_hours b
WHERE b.is_default AND NOT EXISTS (SELECT 1 FROM sla_policies p WHERE p.tenant_id = b.tenant_id);
