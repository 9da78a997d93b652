// Demo purchasing for a fresh install: a buying company, two ship-to addresses, the demo vendors
// with their order details, a few items on the plan, and twenty purchase orders in every status —
// received laptops and monitors became assets bought on their PO. Every PO goes through the real
// scope-level services (drafts, finalise with its PDF, receive, close, cancel) inside the setup
// transaction; vendors are not mailed.
import { and, eq } from 'drizzle-orm';
import { parts, picklistItems, vendors } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { demoActor } from '../inventory/inventory.demo.js';
import { findOrCreateChain } from '../locations/locations.service.js';
import { finalizeOrderIn } from './order-documents.service.js';
import { cancelOrderIn, closeOrderIn, createDraftsIn } from './orders.service.js';
import * as repo from './purchasing.repo.js';
import { receiveOrderIn } from './receiving.service.js';

const VENDOR_DETAILS: Record<string, { contactName: string; address: string; paymentTerms: string }> = {
  'Office Supply Co': { contactName: 'Dana Reyes', address: '9 Paper Road\nScranton, PA 18503', paymentTerms: 'Net 30' },
  'Lumen Electric': { contactName: 'Marco Bellini', address: '220 Volt Street\nNewark, NJ 07102', paymentTerms: 'Net 45, 2% 10 days' },
  'AirCare Filters': { contactName: 'Ruth Okafor', address: '5 Breeze Park\nAllentown, PA 18101', paymentTerms: 'Net 30' },
};

type Line = [description: string, quantity: number, unitPrice: number, sku?: string, category?: string];
type Outcome = 'draft' | 'sent' | 'partly_received' | 'received' | 'closed' | 'cancelled';
const ORDERS: Array<[vendor: string, outcome: Outcome, costCode: string, lines: Line[]]> = [
  [
    'Office Supply Co',
    'received',
    'IT-OPS',
    [
      ['Toner HP 42A black', 6, 79.9, 'TON-HP42A'],
      ['Imaging drum HP 42A', 2, 109, 'DRM-HP42A'],
    ],
  ],
  ['Northwind Computers', 'received', 'IT-HW', [['Latitude 5440 laptop', 3, 1149, undefined, 'Laptop']]],
  [
    'Lumen Electric',
    'received',
    'FAC-MAINT',
    [
      ['LED tube T8 120 cm', 40, 8.4, 'LED-T8-120'],
      ['Fuse 16 A', 100, 1.2, 'FUS-16A'],
    ],
  ],
  ['AirCare Filters', 'received', 'FAC-HVAC', [['Air filter G4 592×592', 24, 14.75, 'FLT-G4-592']]],
  [
    'Northwind Computers',
    'closed',
    'IT-HW',
    [
      ['Dell P2723D monitor 27"', 4, 289, undefined, 'Monitor'],
      ['USB-C docking station', 4, 189, undefined],
    ],
  ],
  ['Office Supply Co', 'closed', 'ADMIN', [['Paper A4, box of 5 reams', 30, 24.5, 'PAP-A4-BOX']]],
  [
    'Office Supply Co',
    'partly_received',
    'IT-OPS',
    [
      ['USB keyboard', 10, 19.9, 'KBD-USB'],
      ['HDMI cable 2 m', 20, 6.5, 'CBL-HDMI-2M'],
    ],
  ],
  ['Northwind Computers', 'partly_received', 'IT-HW', [['ThinkPad T14 Gen 4 laptop', 4, 1299, undefined, 'Laptop']]],
  ['Lumen Electric', 'partly_received', 'FAC-MAINT', [['LED tube T8 120 cm', 60, 8.2, 'LED-T8-120']]],
  [
    'AirCare Filters',
    'partly_received',
    'FAC-HVAC',
    [
      ['Air filter G4 592×592', 16, 14.75, 'FLT-G4-592'],
      ['Filter frame 592', 4, 22, undefined],
    ],
  ],
  [
    'Office Supply Co',
    'sent',
    'ADMIN',
    [
      ['Paper A4, box of 5 reams', 20, 24.5, 'PAP-A4-BOX'],
      ['Toner HP 42A black', 4, 79.9, 'TON-HP42A'],
    ],
  ],
  ['Lumen Electric', 'sent', 'FAC-MAINT', [['Emergency light fitting', 6, 64, undefined]]],
  ['AirCare Filters', 'sent', 'FAC-HVAC', [['HVAC service visit (annual)', 1, 950, undefined]]],
  ['Northwind Computers', 'sent', 'IT-HW', [['Latitude 5440 laptop', 2, 1149, undefined, 'Laptop']]],
  ['Office Supply Co', 'cancelled', 'ADMIN', [['Paper A3, box of 5 reams', 5, 39, undefined]]],
  ['Lumen Electric', 'cancelled', 'FAC-MAINT', [['Fuse 16 A', 200, 1.25, 'FUS-16A']]],
  ['Office Supply Co', 'draft', 'IT-OPS', [['Imaging drum HP 42A', 2, 109, 'DRM-HP42A']]],
  ['Northwind Computers', 'draft', 'IT-HW', [['Dell P2723D monitor 27"', 2, 289, undefined, 'Monitor']]],
  ['Lumen Electric', 'draft', 'FAC-MAINT', [['LED panel 60×60', 12, 42, undefined]]],
  ['AirCare Filters', 'draft', 'FAC-HVAC', [['Air filter F7 592×592', 12, 31.5, undefined]]],
];

export async function seedDemoPurchasing(scope: Scope, deps: Deps, tenantId: number): Promise<void> {
  const { tx } = scope;
  const buyer = await demoActor(scope, tenantId, 'Maria Lopez');
  if (!buyer) return;
  // The vendors' addresses are examples: nothing is mailed.
  const quiet: Deps = {
    ...deps,
    mailer: Object.assign(Object.create(deps.mailer) as Deps['mailer'], { queue: async () => 0, queueMany: async () => [] }),
  };

  for (const [name, details] of Object.entries(VENDOR_DETAILS)) {
    await tx
      .update(vendors)
      .set(details)
      .where(and(eq(vendors.tenantId, tenantId), eq(vendors.name, name)));
  }
  await tx.insert(vendors).values({
    tenantId,
    name: 'Northwind Computers',
    email: 'orders@northwind.example.com',
    contactName: 'Ivo Petrov',
    address: '77 Silicon Avenue\nAustin, TX 78701',
    paymentTerms: 'Net 30',
    phone: '+1 555 0177',
  });
  const vendorRows = await tx.select({ id: vendors.id, name: vendors.name }).from(vendors).where(eq(vendors.tenantId, tenantId));
  const vendorId = new Map(vendorRows.map((v) => [v.name, v.id]));
  const categoryRows = await tx
    .select({ id: picklistItems.id, name: picklistItems.name })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.list, 'categories')));
  const categoryId = new Map(categoryRows.map((c) => [c.name, c.id]));
  const partRows = await tx.select({ id: parts.id, sku: parts.sku }).from(parts).where(eq(parts.tenantId, tenantId));
  const partId = new Map(partRows.map((p) => [p.sku, p.id]));

  const store = (await findOrCreateChain(tx, tenantId, ['Warehouse', 'Storage'], true))!;
  const itRoom = (await findOrCreateChain(tx, tenantId, ['HQ', 'Building A', 'IT room'], true))!;
  const company = await repo.insertBuyingCompany(tx, {
    tenantId,
    name: 'Steward Demo Ltd',
    address: '1 Harbour Street\nSpringfield, IL 62701\nVAT US-123456789',
  });
  const warehouse = await repo.insertShipTo(tx, {
    tenantId,
    name: 'Warehouse receiving',
    address: 'Dock 2, 40 Industrial Way\nSpringfield, IL 62703',
    taxRate: '8.2500',
    locationId: store.id,
  });
  const hq = await repo.insertShipTo(tx, {
    tenantId,
    name: 'HQ IT room',
    address: '1 Harbour Street, Building A\nSpringfield, IL 62701',
    taxRate: '8.2500',
    locationId: itRoom.id,
  });

  for (const [vendor, outcome, costCode, lines] of ORDERS) {
    const equipment = lines.some((l) => l[4]);
    const ids: string[] = [];
    for (const [description, quantity, unitPrice, sku, category] of lines) {
      const id = await repo.insertPlannedItem(tx, {
        tenantId,
        description,
        quantity: quantity.toFixed(3),
        unitPrice: unitPrice.toFixed(4),
        vendorId: vendorId.get(vendor) ?? null,
        partId: sku ? (partId.get(sku) ?? null) : null,
        costCode,
        departmentId: buyer.departmentId,
        assetCategoryId: category ? (categoryId.get(category) ?? null) : null,
        createdById: buyer.userId,
      });
      ids.push(String(id));
    }
    const { purchaseOrders } = await createDraftsIn(scope, buyer, {
      plannedItemIds: ids,
      buyingCompanyId: String(company.id),
      shipToId: String(equipment ? hq : warehouse),
    });
    const po = purchaseOrders[0];
    if (outcome === 'draft') continue;
    const sent = await finalizeOrderIn(scope, quiet, buyer, Number(po.id), { deferDocument: true });
    if (outcome === 'cancelled') {
      await cancelOrderIn(scope, buyer, Number(po.id), 'Ordered twice by mistake; replaced by a new order');
      continue;
    }
    if (outcome === 'sent') continue;
    const partly = outcome === 'partly_received';
    const receipt = sent.lines.map((l, i) => ({
      lineId: l.id,
      // Partly received: the first line half (whole units), the others not yet.
      quantity: partly ? (i === 0 ? Math.max(1, Math.floor(l.quantity / 2)) : 0) : l.quantity,
      createAssets: Boolean(l.assetCategoryId),
    }));
    await receiveOrderIn(scope, buyer, Number(po.id), { lines: receipt.filter((r) => r.quantity > 0) });
    if (outcome === 'closed') await closeOrderIn(scope, buyer, Number(po.id));
  }

  // Still on the plan: something to draft in the demo.
  for (const [description, quantity, unitPrice, vendor] of [
    ['Label printer tape 12 mm', 10, 14.9, 'Office Supply Co'],
    ['Cable ties 200 mm (pack of 100)', 5, 6.4, 'Lumen Electric'],
    ['Whiteboard markers (set of 4)', 6, 7.5, null],
  ] as Array<[string, number, number, string | null]>) {
    await repo.insertPlannedItem(tx, {
      tenantId,
      description,
      quantity: quantity.toFixed(3),
      unitPrice: unitPrice.toFixed(4),
      vendorId: vendor ? (vendorId.get(vendor) ?? null) : null,
      costCode: 'ADMIN',
      createdById: buyer.userId,
    });
  }
}
