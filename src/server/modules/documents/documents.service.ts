// Documents: company knowledge (manuals, policies, how-tos) by category, each an uploaded file or a
// URL, linked to assets and tickets. Whoever holds documents.view reads them all; documents.manage
// writes. A document's ticket links are shown only for tickets the caller may read, and a change
// of the links keeps those the caller cannot see. Files are streamed to storage under a server-made
// key and typed from their bytes (the attachments' checks: active content 415, too large 413) and
// served by the same safe download headers.
import { randomUUID } from 'node:crypto';
import {
  type CreateDocumentInput,
  createDocumentBody,
  type DocumentItem,
  type DocumentListQuery,
  type UpdateDocumentInput,
} from '../../../shared/contracts/documents.js';
import { idCursor } from '../../db/keyset.js';
import type { UserActor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { UploadPart } from '../../platform/multipart.js';
import { type StoredUpload, storeUpload } from '../attachments/attachments.service.js';
import { cutPage, decodeCursor } from '../http.js';
import { findVisible, visibleTickets } from '../tickets/tickets.service.js';
import * as repo from './documents.repo.js';

const iso = (d: Date) => d.toISOString();

async function answers(scope: Scope, actor: UserActor, rows: repo.DocumentWithNames[]): Promise<DocumentItem[]> {
  const ids = rows.map((r) => r.d.id);
  const [assetRows, ticketRows] = await Promise.all([
    repo.assetLinks(scope.tx, actor.tenantId, ids),
    repo.ticketLinks(scope.tx, actor.tenantId, ids, visibleTickets(actor)),
  ]);
  const canManage = actor.permissions.has('documents.manage');
  return rows.map(({ d, categoryName, authorName }) => ({
    id: String(d.id),
    title: d.title,
    category: d.categoryId ? { id: String(d.categoryId), name: categoryName ?? '' } : null,
    kind: d.storageKey ? 'file' : 'url',
    url: d.url,
    file: d.storageKey
      ? { name: d.fileName ?? 'file', size: d.fileSize ?? 0, contentType: d.contentType ?? 'application/octet-stream' }
      : null,
    assets: assetRows.filter((a) => a.documentId === d.id).map((a) => ({ id: String(a.id), name: a.name, tag: a.tag })),
    tickets: ticketRows.filter((t) => t.documentId === d.id && t.visible).map((t) => ({ number: t.number, title: t.title })),
    createdBy: d.createdById ? { id: String(d.createdById), name: authorName ?? '' } : null,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    can: { update: canManage, delete: canManage },
  }));
}

async function answerOne(scope: Scope, actor: UserActor, id: number): Promise<DocumentItem> {
  const row = await repo.findDocument(scope.tx, actor.tenantId, id);
  if (!row) throw notFound('Document');
  return (await answers(scope, actor, [row]))[0];
}

/** One page, newest first; `q` searches title and file name, and the filters narrow by category, asset or ticket. */
export async function listDocuments(ctx: Ctx, q: DocumentListQuery) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, idCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    // A ticket filter names a ticket the caller may read (404 otherwise, as on the ticket itself).
    const ticketId = q.ticketNumber ? (await findVisible(scope, actor, q.ticketNumber)).id : undefined;
    const rows = await repo.listDocuments(scope.tx, actor.tenantId, {
      q: q.q || undefined,
      categoryId: q.categoryId ? Number(q.categoryId) : undefined,
      assetId: q.assetId ? Number(q.assetId) : undefined,
      ticketId,
      before: after?.[0] ?? null,
      take: q.limit + 1,
    });
    const page = cutPage(rows, q.limit, (r) => [r.d.id]);
    return { items: await answers(scope, actor, page.rows), nextCursor: page.nextCursor };
  });
}

export async function getDocument(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => answerOne(scope, actor, id));
}

interface Links {
  assetIds?: string[];
  ticketNumbers?: number[];
}

/** Checks the category and the linked records; each must exist in this company (and tickets be readable). */
async function resolveLinks(scope: Scope, actor: UserActor, categoryId: string | null | undefined, links: Links) {
  if (categoryId && !(await repo.categoryExists(scope.tx, actor.tenantId, Number(categoryId))))
    throw invalid({ categoryId: 'no such document category' });
  let assetIds: number[] | undefined;
  if (links.assetIds) {
    assetIds = [...new Set(links.assetIds.map(Number))];
    const found = new Set(await repo.existingAssets(scope.tx, actor.tenantId, assetIds));
    const missing = assetIds.filter((a) => !found.has(a));
    if (missing.length) throw invalid({ assetIds: `no such asset: ${missing.join(', ')}` });
  }
  let tickets: Array<{ id: number; number: number }> | undefined;
  if (links.ticketNumbers) {
    const numbers = [...new Set(links.ticketNumbers)];
    tickets = await repo.visibleTicketsByNumber(scope.tx, actor.tenantId, numbers, visibleTickets(actor));
    const found = new Set(tickets.map((t) => t.number));
    const missing = numbers.filter((n) => !found.has(n));
    if (missing.length) throw invalid({ ticketNumbers: `no such ticket: ${missing.map((n) => `#${n}`).join(', ')}` });
  }
  return { assetIds, tickets };
}

/** The multipart form: its fields (as the JSON body would carry them) and the one file, stored. */
async function receive(ctx: Ctx, actor: UserActor, parts: () => AsyncIterable<UploadPart>, track: (f: StoredUpload) => void) {
  const fields: Record<string, string[]> = {};
  let stored: StoredUpload | null = null;
  let extra = 0;
  for await (const part of parts()) {
    if (part.type === 'field') {
      const key = part.name.replace(/\[\]$/, '');
      (fields[key] ??= []).push(String(part.value ?? ''));
      continue;
    }
    if (part.name !== 'file' || stored) {
      extra++;
      part.stream.resume();
      continue;
    }
    stored = await storeUpload(ctx.deps, `t${actor.tenantId}/documents/${randomUUID()}`, part, (f) => {
      stored = f;
      track(f);
    });
  }
  if (extra) throw invalid({ file: 'one file per document' }, 'Send one file per document');
  const file = stored as StoredUpload | null;
  if (file && file.size === 0) throw invalid({ file: 'is empty' }, 'The file is empty');
  const one = (k: string) => fields[k]?.at(-1);
  /** A list field: repeated fields, or one field with a JSON array or comma-separated values. */
  const many = (k: string): unknown[] | undefined => {
    const values = fields[k];
    if (!values) return undefined;
    if (values.length === 1) {
      const v = values[0].trim();
      if (v === '') return [];
      if (v.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(v);
          return Array.isArray(parsed) ? parsed : [parsed];
        } catch {
          throw invalid({ [k]: 'is not a list' });
        }
      }
      return v.split(',').map((s) => s.trim());
    }
    return values;
  };
  const ticketNumbers = many('ticketNumbers')?.map((n) => (typeof n === 'string' && /^\d{1,10}$/.test(n) ? Number(n) : n));
  const body = {
    title: one('title') ?? file?.name,
    categoryId: one('categoryId') || undefined,
    url: one('url') || undefined,
    assetIds: many('assetIds')?.map(String),
    ticketNumbers,
  };
  return { body, file };
}

function parseCreate(body: unknown): CreateDocumentInput {
  const parsed = createDocumentBody.safeParse(body ?? {});
  if (!parsed.success) throw invalid(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
  return parsed.data;
}

/**
 * Create: a JSON body makes a URL document; a multipart body a file document (its fields beside
 * the file). The file is stored first and removed again when anything after fails.
 */
export async function createDocument(ctx: Ctx, source: { json: unknown } | { parts: () => AsyncIterable<UploadPart> }) {
  const actor = requireUser(ctx);
  const { database, storage } = ctx.deps;
  let stored: StoredUpload | null = null;
  try {
    let input: CreateDocumentInput;
    if ('parts' in source) {
      const got = await receive(ctx, actor, source.parts, (f) => {
        stored = f;
      });
      input = parseCreate(got.body);
      if (got.file && input.url) throw invalid({ url: 'a document is a file or a URL, not both' });
      if (!got.file && !input.url) throw invalid({ file: 'send a file or a URL' }, 'Send a file or a URL');
    } else {
      input = parseCreate(source.json);
      if (!input.url) throw invalid({ url: 'is required (or upload a file as multipart/form-data)' });
    }
    const file = stored as StoredUpload | null;
    return await database.withTenant(actor.tenantId, async (scope) => {
      const links = await resolveLinks(scope, actor, input.categoryId, input);
      const row = await repo.insertDocument(scope.tx, {
        tenantId: actor.tenantId,
        title: input.title,
        categoryId: input.categoryId ? Number(input.categoryId) : null,
        url: file ? null : (input.url ?? null),
        fileName: file?.name ?? null,
        fileSize: file?.size ?? null,
        contentType: file?.contentType ?? null,
        storageKey: file?.key ?? null,
        createdById: actor.userId,
      });
      if (links.assetIds?.length) await repo.setAssetLinks(scope.tx, actor.tenantId, row.id, links.assetIds);
      if (links.tickets?.length)
        await repo.setTicketLinks(
          scope.tx,
          actor.tenantId,
          row.id,
          links.tickets.map((t) => t.id),
        );
      await writeAudit(scope, actor, ctx.info.ip, {
        action: 'document.created',
        targetType: 'document',
        targetId: row.id,
        details: { title: row.title, kind: file ? 'file' : 'url', file: file ? { name: file.name, size: file.size } : undefined },
      });
      return answerOne(scope, actor, row.id);
    });
  } catch (err) {
    const s = stored as StoredUpload | null;
    if (s) await storage.remove(s.key).catch(() => {});
    throw err;
  }
}

export async function updateDocument(ctx: Ctx, id: number, input: UpdateDocumentInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findDocument(scope.tx, actor.tenantId, id, true);
    if (!before) throw notFound('Document');
    if (input.url !== undefined && before.d.storageKey) throw invalid({ url: 'this document is a file; upload a new document for a link' });
    const links = await resolveLinks(scope, actor, input.categoryId, input);
    const set: Partial<repo.NewDocument> = {};
    if (input.title !== undefined) set.title = input.title;
    if (input.categoryId !== undefined) set.categoryId = input.categoryId ? Number(input.categoryId) : null;
    if (input.url !== undefined) set.url = input.url;
    await repo.updateDocument(scope.tx, actor.tenantId, id, set);
    if (links.assetIds) await repo.setAssetLinks(scope.tx, actor.tenantId, id, links.assetIds);
    if (links.tickets) {
      // Links to tickets the caller cannot read stay: they never saw them, so they cannot have removed them.
      const hidden = (await repo.ticketLinks(scope.tx, actor.tenantId, [id], visibleTickets(actor)))
        .filter((t) => !t.visible)
        .map((t) => t.id);
      await repo.setTicketLinks(scope.tx, actor.tenantId, id, [...new Set([...links.tickets.map((t) => t.id), ...hidden])]);
    }
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'document.updated',
      targetType: 'document',
      targetId: id,
      details: { before: { title: before.d.title, categoryId: before.d.categoryId, url: before.d.url }, after: input },
    });
    return answerOne(scope, actor, id);
  });
}

export async function deleteDocument(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const key = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findDocument(scope.tx, actor.tenantId, id, true);
    if (!row) throw notFound('Document');
    await repo.deleteDocument(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'document.deleted',
      targetType: 'document',
      targetId: id,
      details: { title: row.d.title },
    });
    return row.d.storageKey;
  });
  // The file goes once the row is gone for good.
  if (key) await ctx.deps.storage.remove(key).catch((err) => ctx.deps.log.warn({ err, key }, 'could not remove a deleted document file'));
}

/** The stored file of a file document (404 for a URL document, as for a missing one). */
export async function openDocumentFile(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, (scope) => repo.findDocument(scope.tx, actor.tenantId, id));
  if (!row) throw notFound('Document');
  if (!row.d.storageKey) throw new AppError('not_found', 'This document is a link, not a file', { url: row.d.url });
  return {
    name: row.d.fileName ?? 'file',
    size: row.d.fileSize ?? 0,
    contentType: row.d.contentType ?? 'application/octet-stream',
    stream: ctx.deps.storage.get(row.d.storageKey),
  };
}
