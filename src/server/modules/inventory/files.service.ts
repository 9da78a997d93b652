// Photos, manuals, videos and audio notes of parts and vendors: received and typed by the
// attachments module (active content refused), like asset and ticket files. Viewing needs
// inventory.view, adding and removing inventory.manage (the routes say so); additions and removals
// are in the audit log.
import { randomUUID } from 'node:crypto';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { idCursor } from '../../db/keyset.js';
import { receiveFile, type UploadPart } from '../attachments/attachments.service.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './inventory.repo.js';
import * as files from './inventory-files.repo.js';
import type { FileOwner, InventoryFileRow } from './inventory-files.repo.js';

export type { FileOwner };

const toFile = (f: InventoryFileRow, uploader: string | null) => ({
  id: String(f.id),
  partId: f.partId ? String(f.partId) : null,
  vendorId: f.vendorId ? String(f.vendorId) : null,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  uploadedBy: f.uploadedById ? { id: String(f.uploadedById), name: uploader ?? '' } : null,
  createdAt: f.createdAt.toISOString(),
});

/** The part or vendor (404 when the company has none), locked when a file is added or removed. */
async function mustOwner(tx: Tx, tenantId: number, owner: FileOwner, lock = false): Promise<{ type: 'part' | 'vendor'; id: number; name: string }> {
  if ('partId' in owner) {
    const p = await repo.findPart(tx, tenantId, owner.partId, lock);
    if (!p) throw notFound('Part');
    return { type: 'part', id: p.id, name: p.name };
  }
  const v = await repo.findVendor(tx, tenantId, owner.vendorId);
  if (!v) throw notFound('Vendor');
  return { type: 'vendor', id: v.id, name: v.name };
}

const ownerOf = (f: InventoryFileRow): FileOwner => (f.partId ? { partId: f.partId } : { vendorId: f.vendorId! });

export async function listFiles(ctx: Ctx, owner: FileOwner, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await mustOwner(tx, actor.tenantId, owner);
    const rows = await files.findFiles(tx, actor.tenantId, owner, { afterId: after?.[0] ?? null, limit: q.limit });
    const page = cutPage(rows, q.limit, (r) => [r.f.id]);
    return { items: page.rows.map((r) => toFile(r.f, r.uploader)), nextCursor: page.nextCursor };
  });
}

/** Checks the owner (404 before a byte is read), stores the file, then writes its row; a failure leaves nothing stored. */
export async function uploadFile(ctx: Ctx, owner: FileOwner, parts: () => AsyncIterable<UploadPart>) {
  const actor = requireUser(ctx);
  const { storage, database } = ctx.deps;
  const o = await database.withTenant(actor.tenantId, ({ tx }) => mustOwner(tx, actor.tenantId, owner));
  const file = await receiveFile(ctx.deps, `t${actor.tenantId}/${o.type}s/${o.id}/${randomUUID()}`, parts);
  try {
    return await database.withTenant(actor.tenantId, async (scope) => {
      await mustOwner(scope.tx, actor.tenantId, owner, true);
      const row = await files.insertFile(scope.tx, {
        tenantId: actor.tenantId,
        ...('partId' in owner ? { partId: owner.partId } : { vendorId: owner.vendorId }),
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        storageKey: file.key,
        uploadedById: actor.userId,
      });
      await writeAudit(scope, actor, ctx.info.ip, { action: 'inventory_file.added', targetType: o.type, targetId: o.id, details: { fileId: String(row.id), name: row.name, [o.type]: o.name } });
      return toFile(row, actor.name);
    });
  } catch (err) {
    await storage.remove(file.key).catch(() => {});
    throw err;
  }
}

export async function openFile(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => files.findFile(tx, actor.tenantId, id));
  if (!row) throw notFound('File');
  return { name: row.name, size: row.size, contentType: row.contentType, stream: ctx.deps.storage.get(row.storageKey) };
}

export async function deleteFile(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const key = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await files.findFile(scope.tx, actor.tenantId, id, true);
    if (!row) throw notFound('File');
    const o = await mustOwner(scope.tx, actor.tenantId, ownerOf(row));
    await files.deleteFileRow(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'inventory_file.deleted', targetType: o.type, targetId: o.id, details: { fileId: String(id), name: row.name, [o.type]: o.name } });
    return row.storageKey;
  });
  // The file goes once the row is gone for good.
  await ctx.deps.storage.remove(key).catch((err) => ctx.deps.log.warn({ err, key }, 'could not remove a deleted part or vendor file'));
}
