// Demo assets for a fresh install: a location tree (two buildings and a warehouse), a few
// manufacturers, and assets across categories and statuses; some laptops checked out (one overdue).
// Runs before the demo tickets, which link to assets by tag (assetIdsByTags).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { addDays, todayIn } from '../../../shared/time/index.js';
import { type AssetStatus, assets, companies, type PicklistName, picklistItems, users } from '../../db/schema/index.js';
import type { Scope, Tx } from '../../platform/db.js';
import { findOrCreateChain } from '../locations/locations.service.js';
import { formatTag, newPublicToken, reserveTagNumbers, tagPrefix } from './assets.fields.js';
import { recordAssetHistory } from './assets.service.js';

type Demo = [tag: string | null, name: string, category: string, manufacturer: string | null, model: string, location: string, status: AssetStatus, holder?: string, dueDays?: number];

const DEMO: Demo[] = [
  [null, 'ThinkPad T14 — Lena', 'Laptop', 'Lenovo', 'T14 Gen 4', 'HQ / Building A / IT room', 'in_use', 'Lena Fischer', 30],
  [null, 'ThinkPad T14 — Omar', 'Laptop', 'Lenovo', 'T14 Gen 4', 'HQ / Building A / IT room', 'in_use', 'Omar Haddad'],
  [null, 'MacBook Air — Maria', 'Laptop', 'Apple', 'MacBook Air M2', 'HQ / Building A / Floor 3', 'in_use', 'Maria Lopez', -5],
  [null, 'Latitude 5440 (spare)', 'Laptop', 'Dell', 'Latitude 5440', 'HQ / Building A / IT room', 'in_stock'],
  [null, 'Latitude 5440 (spare 2)', 'Laptop', 'Dell', 'Latitude 5440', 'HQ / Building A / IT room', 'in_repair'],
  [null, 'Monitor 27" — Hannah', 'Monitor', 'Dell', 'P2723D', 'HQ / Building A / Floor 2', 'in_use', 'Hannah Schulz'],
  ['P-12', 'Printer P-12 (2nd floor)', 'Printer', 'HP', 'LaserJet M507', 'HQ / Building A / Floor 2', 'in_use'],
  ['P-07', 'Printer P-07 (finance)', 'Printer', 'HP', 'LaserJet M404', 'HQ / Building A / Floor 3', 'in_use'],
  ['AHU-A1', 'Air handling unit A1', 'HVAC', 'Carrier', '39HQ', 'HQ / Building A / Roof', 'in_use'],
  ['AHU-B1', 'Air handling unit B1', 'HVAC', 'Carrier', '39HQ', 'HQ / Building B / Roof', 'in_use'],
  ['BLR-B', 'Boiler building B', 'HVAC', 'Viessmann', 'Vitocrossal 200', 'HQ / Building B / Basement', 'in_repair'],
  ['FL-02', 'Forklift FL-02', 'Vehicle', 'Toyota', '8FBE15', 'Warehouse / Loading dock', 'in_use'],
  ['VAN-1', 'Service van', 'Vehicle', 'Ford', 'Transit Custom', 'Warehouse / Loading dock', 'in_use'],
  ['CONV-3', 'Conveyor line 3', 'Machinery', 'Interroll', 'RollerDrive', 'Warehouse / Hall 1', 'in_use'],
  ['ELV-1', 'Elevator 1', 'Machinery', 'Kone', 'MonoSpace 500', 'HQ / Building A / Core', 'in_use'],
  [null, 'ThinkPad X1 (old)', 'Laptop', 'Lenovo', 'X1 Carbon Gen 6', 'Warehouse / Storage', 'retired'],
];

async function pickId(tx: Tx, tenantId: number, list: PicklistName, name: string): Promise<number> {
  const [found] = await tx
    .select({ id: picklistItems.id })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, list), sql`lower(${picklistItems.name}) = lower(${name})`));
  if (found) return found.id;
  const [made] = await tx.insert(picklistItems).values({ tenantId, list, name }).returning({ id: picklistItems.id });
  return made.id;
}

export async function seedDemoAssets(scope: Scope, tenantId: number): Promise<void> {
  const { tx } = scope;
  const people = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.tenantId, tenantId));
  const person = new Map(people.map((p) => [p.name, p.id]));
  const prefix = await tagPrefix(tx, tenantId);
  const good = await pickId(tx, tenantId, 'conditions', 'Good');
  const [{ timezone }] = await tx.select({ timezone: companies.timezone }).from(companies).where(eq(companies.id, tenantId));
  const today = todayIn(timezone);
  for (const [tag, name, category, manufacturer, model, location, status, holder, dueDays] of DEMO) {
    const place = await findOrCreateChain(tx, tenantId, location.split(' / '), true);
    const assignedToId = holder ? (person.get(holder) ?? null) : null;
    const [row] = await tx
      .insert(assets)
      .values({
        tenantId,
        tag: tag ?? formatTag(prefix, await reserveTagNumbers(tx, tenantId, 1)),
        name,
        categoryId: await pickId(tx, tenantId, 'categories', category),
        manufacturerId: manufacturer ? await pickId(tx, tenantId, 'manufacturers', manufacturer) : null,
        model,
        serial: `SN${tenantId}${name.length}${model.length}${Math.abs(name.charCodeAt(0) * 7919 + model.charCodeAt(1))}`,
        status,
        conditionId: status === 'retired' ? null : good,
        locationId: place?.id ?? null,
        locationPath: place?.path ?? null,
        purchaseDate: '2023-04-01',
        purchaseCost: category === 'Laptop' ? '1299.00' : category === 'Vehicle' ? '28500.00' : '2400.00',
        warrantyEnd: '2026-04-01',
        assignedToId,
        checkedOutAt: assignedToId ? sql`now() - interval '20 days'` : null,
        expectedReturn: assignedToId && dueDays !== undefined ? addDays(today, dueDays) : null,
        publicToken: newPublicToken(),
      })
      .returning();
    await recordAssetHistory(tx, null, row, 'created', [{ field: 'source', before: null, after: 'demo data' }]);
  }
}

/** Ids of the company's assets with these tags (for demo tickets). */
export async function assetIdsByTags(tx: Tx, tenantId: number, tags: string[] | undefined): Promise<number[]> {
  if (!tags?.length) return [];
  const rows = await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.tenantId, tenantId), inArray(assets.tag, tags)));
  return rows.map((r) => r.id);
}
