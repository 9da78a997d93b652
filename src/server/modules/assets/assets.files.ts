// Photos and documents of an asset: streamed to storage and typed from their bytes with the
// attachments module's inspector (active content refused), like ticket attachments.
import { randomUUID } from 'node:crypto';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type StoredUpload, storeUpload } from '../attachments/attachments.service.js';
import type { UploadPart } from '../attachments/attachments.service.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './assets.repo.js';
import { type FileRow, findAsset } from './assets.repo.js';
import { recordAssetHistory } from './assets.service.js';

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

/** A page of an asset's files, oldest first. */
export async function listFiles(ctx: Ctx, assetId: number, q: ListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    await mustAsset(tx, actor.tenantId, assetId);
    const rows = await repo.filesPage(tx, actor.tenantId, assetId, after, q.limit + 1);
    const page = cutPage(rows, q.limit, (r) => [r.f.id]);
    return { items: page.rows.map((r) => toFile(r.f, r.uploader)), nextCursor: page.nextCursor };
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
      const row = await repo.insertFile(tx, { tenantId: actor.tenantId, assetId, name: file.name, size: file.size, contentType: file.contentType, storageKey: file.key, uploadedById: actor.userId });
      await recordAssetHistory(tx, actor, a, 'file_added', [{ field: 'file', before: null, after: { id: String(row.id), name: row.name } }]);
      return toFile(row, actor.name);
    });
  } catch (err) {
    if (stored) await storage.remove(stored.key).catch(() => {});
    throw err;
  }
}

async function findFile(tx: Tx, tenantId: number, id: number) {
  const row = await repo.findFile(tx, tenantId, id);
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
    await repo.deleteFileRow(scope.tx, actor.tenantId, id);
    await recordAssetHistory(scope.tx, actor, a, 'file_removed', [{ field: 'file', before: { id: String(id), name: row.name }, after: null }]);
    await writeAudit(scope, actor, ctx.info.ip, { action: 'asset_file.deleted', targetType: 'asset', targetId: a.id, details: { fileId: String(id), name: row.name, tag: a.tag } });
    return row.storageKey;
  });
  await ctx.deps.storage.remove(key).catch((err) => ctx.deps.log.warn({ err, key }, 'could not remove a deleted asset file'));
}
