// Photos and documents of an asset: streamed to storage and typed from their bytes with the
// attachments module's inspector (active content refused), like ticket attachments.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { assetFiles, users } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type StoredUpload, storeUpload } from '../attachments/attachments.service.js';
import type { UploadPart } from '../attachments/attachments.service.js';
import { findAsset } from './assets.repo.js';
import { recordAssetHistory } from './assets.service.js';

type FileRow = typeof assetFiles.$inferSelect;
const toFile = (f: FileRow, uploader: string | null) => ({
  id: String(f.id),
  assetId: String(f.assetId),
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  uploadedBy: f.uploadedById ? { id: String(f.uploadedById), name: uploader ?? '' } : null,
  createdAt: f.createdAt.toISOString(),
});

async function mustAsset(tx: Tx, tenantId: number, id: number, lock = false) {
  const a = await findAsset(tx, tenantId, id, lock);
  if (!a) throw notFound('Asset');
  return a;
}

export async function listFiles(ctx: Ctx, assetId: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await mustAsset(tx, actor.tenantId, assetId);
    const rows = await tx
      .select({ f: assetFiles, uploader: users.name })
      .from(assetFiles)
      .leftJoin(users, and(eq(users.tenantId, assetFiles.tenantId), eq(users.id, assetFiles.uploadedById)))
      .where(and(eq(assetFiles.tenantId, actor.tenantId), eq(assetFiles.assetId, assetId)))
      .orderBy(asc(assetFiles.id));
    return { items: rows.map((r) => toFile(r.f, r.uploader)) };
  });
}

export async function uploadFile(ctx: Ctx, assetId: number, parts: () => AsyncIterable<UploadPart>) {
  const actor = requireUser(ctx);
  const { storage, database } = ctx.deps;
  await database.withTenant(actor.tenantId, ({ tx }) => mustAsset(tx, actor.tenantId, assetId));
  let stored: StoredUpload | null = null;
  let extra = 0;
  try {
    for await (const part of parts()) {
      if (part.type === 'field') continue;
      if (part.name !== 'file' || stored) {
        extra++;
        part.stream.resume();
        continue;
      }
      // Tracked before the first byte, so the catch below can remove a half-written object.
      stored = await storeUpload(ctx.deps, `t${actor.tenantId}/assets/${assetId}/${randomUUID()}`, part, (f) => {
        stored = f;
      });
    }
    if (!stored) throw invalid({ file: 'is required' }, 'Send the file in the multipart field "file"');
    if (extra) throw invalid({ file: 'one file per upload' }, 'Send one file per upload');
    if (stored.size === 0) throw invalid({ file: 'is empty' }, 'The file is empty');
    const file = stored;
    return await database.withTenant(actor.tenantId, async ({ tx }) => {
      const a = await mustAsset(tx, actor.tenantId, assetId, true);
      const [row] = await tx
        .insert(assetFiles)
        .values({ tenantId: actor.tenantId, assetId, name: file.name, size: file.size, contentType: file.contentType, storageKey: file.key, uploadedById: actor.userId })
        .returning();
      await recordAssetHistory(tx, actor, a, 'file_added', [{ field: 'file', before: null, after: { id: String(row.id), name: row.name } }]);
      return toFile(row, actor.name);
    });
  } catch (err) {
    if (stored) await storage.remove(stored.key).catch(() => {});
    throw err;
  }
}

async function findFile(tx: Tx, tenantId: number, id: number) {
  const [row] = await tx.select().from(assetFiles).where(and(eq(assetFiles.tenantId, tenantId), eq(assetFiles.id, id)));
  if (!row) throw notFound('File');
  return row;
}

export async function openFile(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => findFile(tx, actor.tenantId, id));
  return { name: row.name, size: row.size, contentType: row.contentType, stream: ctx.deps.storage.get(row.storageKey) };
}

export async function deleteFile(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const key = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await findFile(scope.tx, actor.tenantId, id);
    const a = await mustAsset(scope.tx, actor.tenantId, row.assetId, true);
    await scope.tx.delete(assetFiles).where(and(eq(assetFiles.tenantId, actor.tenantId), eq(assetFiles.id, id)));
    await recordAssetHistory(scope.tx, actor, a, 'file_removed', [{ field: 'file', before: { id: String(id), name: row.name }, after: null }]);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'asset_file.deleted', targetType: 'asset', targetId: a.id, details: { fileId: String(id), name: row.name, tag: a.tag } });
    return row.storageKey;
  });
  await ctx.deps.storage.remove(key).catch((err) => ctx.deps.log.warn({ err, key }, 'could not remove a deleted asset file'));
}
