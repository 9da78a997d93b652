// Admin-managed picklists of the asset registry: categories (with their custom fields and the ticket
// category QR reports are routed to), manufacturers and conditions. Defaults are seeded for every
// new company; an item still used by an asset cannot be deleted (422 picklist_in_use).
import type { SearchListQuery } from '../../../shared/contracts/common.js';
import { nameCursor } from '../../db/keyset.js';
import type { CustomFieldDef, PicklistName } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './picklists.repo.js';
import type { ItemRow } from './picklists.repo.js';

/** What every new company starts with (no manufacturers: those are the company's own). */
export const DEFAULT_PICKLISTS: Array<{ list: PicklistName; name: string; customFields?: CustomFieldDef[] }> = [
  {
    list: 'categories',
    name: 'Laptop',
    customFields: [
      { key: 'ram_gb', label: 'RAM (GB)', type: 'number' },
      { key: 'os', label: 'Operating system', type: 'choice', options: ['Windows', 'macOS', 'Linux'] },
    ],
  },
  { list: 'categories', name: 'Desktop' },
  { list: 'categories', name: 'Monitor' },
  { list: 'categories', name: 'Phone' },
  { list: 'categories', name: 'Printer' },
  { list: 'categories', name: 'HVAC', customFields: [{ key: 'last_service', label: 'Last service', type: 'date' }] },
  { list: 'categories', name: 'Vehicle', customFields: [{ key: 'plate', label: 'Licence plate', type: 'text' }] },
  { list: 'categories', name: 'Furniture' },
  { list: 'conditions', name: 'New' },
  { list: 'conditions', name: 'Good' },
  { list: 'conditions', name: 'Fair' },
  { list: 'conditions', name: 'Poor' },
  { list: 'document_categories', name: 'Manuals' },
  { list: 'document_categories', name: 'Policies' },
  { list: 'document_categories', name: 'How-to guides' },
  { list: 'document_categories', name: 'Contracts' },
  { list: 'document_categories', name: 'Certificates' },
];

/** Seeds the default picklists of a company being provisioned (called from insertCompany). */
export async function seedPicklists(tx: Tx, tenantId: number): Promise<void> {
  await repo.insertItems(tx, DEFAULT_PICKLISTS.map((p) => ({ tenantId, list: p.list, name: p.name, customFields: p.customFields ?? [] })));
}

export const toItem = (r: ItemRow, canManage: boolean) => ({
  id: String(r.id),
  list: r.list,
  name: r.name,
  customFields: r.customFields,
  ticketCategoryId: r.ticketCategoryId ? String(r.ticketCategoryId) : null,
  can: { update: canManage, delete: canManage },
});


export async function listItems(ctx: Ctx, list: PicklistName, q: SearchListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findItems(tx, actor.tenantId, list, { after, limit: q.limit, q: q.q }));
  const page = cutPage(rows, q.limit, (r) => [r.name.toLowerCase(), r.id]);
  const canManage = actor.permissions.has(list === 'document_categories' ? 'documents.manage' : 'assets.manage');
  return { items: page.rows.map((r) => toItem(r, canManage)), nextCursor: page.nextCursor };
}

export interface ItemInput {
  name?: string;
  customFields?: CustomFieldDef[];
  ticketCategoryId?: number | null;
}

function checkShape(list: PicklistName, input: ItemInput) {
  if (list !== 'categories' && (input.customFields?.length || input.ticketCategoryId)) {
    throw invalid({ customFields: 'only categories have custom fields and a ticket category' });
  }
  const keys = new Set<string>();
  for (const f of input.customFields ?? []) {
    if (keys.has(f.key)) throw invalid({ customFields: `the key ${f.key} is used twice` });
    keys.add(f.key);
    if (f.type === 'choice' && !f.options?.length) throw invalid({ customFields: `the choice field ${f.key} needs options` });
  }
}

async function checkRefs(tx: Tx, tenantId: number, input: ItemInput) {
  if (input.ticketCategoryId) {
    if (!(await repo.ticketCategoryExists(tx, tenantId, input.ticketCategoryId))) throw invalid({ ticketCategoryId: 'no such ticket category' });
  }
}

async function checkName(tx: Tx, tenantId: number, list: PicklistName, name: string, exceptId?: number) {
  const dup = await repo.findByName(tx, tenantId, list, name);
  if (dup !== null && dup !== exceptId) throw new AppError('duplicate', `"${name}" is already in this list`, { fields: { name: 'already exists' } });
}

export async function createItem(ctx: Ctx, list: PicklistName, input: ItemInput & { name: string }) {
  const actor = requireUser(ctx);
  checkShape(list, input);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkRefs(scope.tx, actor.tenantId, input);
    await checkName(scope.tx, actor.tenantId, list, input.name);
    const row = await repo.insertItem(scope.tx, { tenantId: actor.tenantId, list, name: input.name, customFields: input.customFields ?? [], ticketCategoryId: input.ticketCategoryId ?? null });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'picklist.created', targetType: `picklist.${list}`, targetId: row.id, details: { name: row.name } });
    return toItem(row, true);
  });
}

export async function updateItem(ctx: Ctx, list: PicklistName, id: number, input: ItemInput) {
  const actor = requireUser(ctx);
  checkShape(list, input);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findItem(scope.tx, actor.tenantId, list, id);
    if (!before) throw notFound('Picklist item');
    await checkRefs(scope.tx, actor.tenantId, input);
    if (input.name) await checkName(scope.tx, actor.tenantId, list, input.name, id);
    const changes = { name: input.name, customFields: input.customFields, ticketCategoryId: input.ticketCategoryId };
    // An empty patch answers the item as it is (an UPDATE with nothing to set is not SQL).
    if (Object.values(changes).every((v) => v === undefined)) return toItem(before, true);
    const row = await repo.updateItemRow(scope.tx, actor.tenantId, id, changes);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'picklist.updated', targetType: `picklist.${list}`, targetId: id, details: { before: toItem(before, true), after: input } });
    return toItem(row, true);
  });
}

export async function deleteItem(ctx: Ctx, list: PicklistName, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findItem(scope.tx, actor.tenantId, list, id);
    if (!row) throw notFound('Picklist item');
    const used = await repo.assetsUsing(scope.tx, actor.tenantId, list, id);
    if (used > 0) {
      const what = list === 'document_categories' ? 'document(s)' : 'asset(s)';
      throw new AppError('picklist_in_use', `"${row.name}" is used by ${used} ${what}`, list === 'document_categories' ? { documents: used } : { assets: used });
    }
    await repo.deleteItemRow(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'picklist.deleted', targetType: `picklist.${list}`, targetId: id, details: { name: row.name } });
  });
}
