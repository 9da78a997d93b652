// Attachments on tickets and their comments: uploads streamed to storage under a server-made key,
// typed from their bytes (active content refused), downloads only for those who may see the
// ticket (and, for files on internal notes, internal notes). Changes leave history and a push.
import { randomUUID } from 'node:crypto';
import type { ListQuery } from '../../../shared/contracts/common.js';
import { idCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { UploadPart } from '../../platform/multipart.js';
import { findVisible, publishTicket, recordHistory, ticketCan, who } from '../tickets/tickets.service.js';
import { cutPage, decodeCursor } from '../http.js';
import * as repo from './attachments.repo.js';
import { type StoredUpload, storeUpload } from './attachments.sniff.js';

export { detectType, sanitiseName, type StoredUpload, storeUpload } from './attachments.sniff.js';
export type { UploadPart };

/**
 * The one file of a multipart upload (field `file`), streamed to storage under `key` and typed from
 * its bytes; no file, an empty one or more than one is a 400, and whatever was stored is removed
 * again on any failure. Other modules' files (parts, vendors) are received through this.
 */
export async function receiveFile(deps: Ctx['deps'], key: string, parts: () => AsyncIterable<UploadPart>): Promise<StoredUpload> {
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
      stored = await storeUpload(deps, key, part, (f) => {
        stored = f;
      });
    }
    if (!stored) throw invalid({ file: 'is required' }, 'Send the file in the multipart field "file"');
    if (extra) throw invalid({ file: 'one file per upload' }, 'Send one file per upload');
    if (stored.size === 0) throw invalid({ file: 'is empty' }, 'The file is empty');
    return stored;
  } catch (err) {
    if (stored) await deps.storage.remove((stored as StoredUpload).key).catch(() => {});
    throw err;
  }
}

const toDto = (r: repo.AttachmentRow) => ({
  id: String(r.a.id),
  name: r.a.name,
  size: r.a.size,
  contentType: r.a.contentType,
  commentId: r.a.commentId ? String(r.a.commentId) : null,
  internal: r.internal,
  uploadedBy: r.a.uploadedById ? { id: String(r.a.uploadedById), name: r.uploaderName ?? '' } : null,
  createdAt: r.a.createdAt.toISOString(),
});

/** One page of a ticket's files, oldest first. */
export async function listAttachments(ctx: Ctx, number: number, q: ListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const t = await findVisible(scope, actor, number);
    const rows = await repo.ticketAttachments(scope.tx, actor.tenantId, t.id, actor.permissions.has('tickets.internal_notes'), { after, take: q.limit + 1 });
    const page = cutPage(rows, q.limit, (r) => [r.a.id]);
    return { items: page.rows.map(toDto), nextCursor: page.nextCursor };
  });
}

async function checkAttach(scope: Scope, actor: UserActor, number: number, lock = false) {
  const t = await findVisible(scope, actor, number, lock);
  if (!ticketCan(actor, t).attach) throw new AppError('forbidden', 'You may not attach files to this ticket');
  return t;
}

/** A comment of this ticket the actor may see, or a 400 naming the field. */
async function commentOf(scope: Scope, actor: UserActor, ticketId: number, commentId: number) {
  const c = await repo.findComment(scope.tx, actor.tenantId, ticketId, commentId);
  if (!c || (c.internal && !actor.permissions.has('tickets.internal_notes'))) throw invalid({ commentId: 'no such comment on this ticket' });
  return c;
}

/**
 * Upload: check the ticket first (404/403 before a byte is read), stream the file to storage while
 * inspecting it, then refuse what is too large (413) or active (415) and delete it again; only a
 * file that passed gets its row, its history entry and the push.
 */
export async function uploadAttachment(ctx: Ctx, number: number, parts: () => AsyncIterable<UploadPart>) {
  const actor = requireUser(ctx);
  const { storage, database } = ctx.deps;
  const ticket = await database.withTenant(actor.tenantId, (scope) => checkAttach(scope, actor, number));
  let stored: StoredUpload | null = null;
  let commentField: unknown;
  let extraFiles = 0;
  try {
    for await (const part of parts()) {
      if (part.type === 'field') {
        if (part.name === 'commentId') commentField = part.value;
        continue;
      }
      if (part.name !== 'file' || stored) {
        extraFiles++;
        part.stream.resume();
        continue;
      }
      // Tracked before the first byte, so the catch below can remove a half-written object.
      stored = await storeUpload(ctx.deps, `t${actor.tenantId}/tickets/${ticket.id}/${randomUUID()}`, part, (f) => {
        stored = f;
      });
    }
    if (!stored) throw invalid({ file: 'is required' }, 'Send the file in the multipart field "file"');
    if (extraFiles) throw invalid({ file: 'one file per upload' }, 'Send one file per upload');
    if (stored.size === 0) throw invalid({ file: 'is empty' }, 'The file is empty');
    const commentId = commentField === undefined || commentField === '' ? null : String(commentField);
    if (commentId !== null && !/^[1-9][0-9]{0,17}$/.test(commentId)) throw invalid({ commentId: 'must be an id' });
    const file = stored;
    return await database.withTenant(actor.tenantId, async (scope) => {
      const t = await checkAttach(scope, actor, number, true);
      const comment = commentId ? await commentOf(scope, actor, t.id, Number(commentId)) : null;
      const row = await repo.insertAttachment(scope.tx, {
        tenantId: actor.tenantId,
        ticketId: t.id,
        commentId: comment?.id ?? null,
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        storageKey: file.key,
        uploadedById: actor.userId,
      });
      const touched = await repo.touchTicket(scope.tx, t.tenantId, t.id);
      const after = { id: String(row.id), name: row.name, size: row.size, contentType: row.contentType, commentId: commentId };
      await recordHistory(scope, who(actor), touched, 'attachment_added', [{ field: 'attachment', before: null, after }], comment?.internal ?? false);
      await publishTicket(scope, touched, 'attachment');
      return toDto({ a: row, internal: comment?.internal ?? false, uploaderName: actor.name, ticketNumber: t.number });
    });
  } catch (err) {
    if (stored) await storage.remove(stored.key).catch(() => {});
    throw err;
  }
}

/** The attachment and its ticket, if the actor may see both; 404 otherwise (also for other companies). */
async function findReadable(scope: Scope, actor: UserActor, id: number, lock = false) {
  const row = await repo.findAttachment(scope.tx, actor.tenantId, id);
  if (!row) throw notFound('Attachment');
  const t = await findVisible(scope, actor, row.ticketNumber, lock).catch(() => {
    throw notFound('Attachment');
  });
  if (row.internal && !actor.permissions.has('tickets.internal_notes')) throw notFound('Attachment');
  return { row, t };
}

export async function openAttachment(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const { row } = await ctx.deps.database.withTenant(actor.tenantId, (scope) => findReadable(scope, actor, id));
  return { name: row.a.name, size: row.a.size, contentType: row.a.contentType, stream: ctx.deps.storage.get(row.a.storageKey) };
}

export async function deleteAttachment(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const key = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const { row, t } = await findReadable(scope, actor, id, true);
    if (row.a.uploadedById !== actor.userId && !ticketCan(actor, t).update) throw new AppError('forbidden', 'Only the uploader or someone who may edit the ticket can remove this file');
    await repo.deleteAttachment(scope.tx, actor.tenantId, id);
    const touched = await repo.touchTicket(scope.tx, t.tenantId, t.id);
    await recordHistory(scope, who(actor), touched, 'attachment_removed', [{ field: 'attachment', before: { id: String(id), name: row.a.name }, after: null }], row.internal);
    await publishTicket(scope, touched, 'attachment');
    return row.a.storageKey;
  });
  // The file goes once the row is gone for good.
  await ctx.deps.storage.remove(key).catch((err) => ctx.deps.log.warn({ err, key }, 'could not remove a deleted attachment'));
}

/** Rows for files already stored (and checked) by the caller, e.g. the photos of a public report. */
export function insertUploads(scope: Scope, tenantId: number, ticketId: number, files: StoredUpload[], commentId: number | null = null) {
  return repo.insertAttachments(
    scope.tx,
    files.map((f) => ({ tenantId, ticketId, commentId, name: f.name, size: f.size, contentType: f.contentType, storageKey: f.key })),
  );
}
