// The e-mail channel's use cases: mailboxes (secrets encrypted at rest, never returned), the
// webhook that takes raw MIME, the company's mail settings, external contacts, and the raw message
// behind a comment. The pipeline itself is mail.pipeline.ts.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Contact, InboundAnswer, Mailbox, MailboxBody, MailboxPatch, MailSettings } from '../../../shared/contracts/mail.js';
import { nameCursor } from '../../db/keyset.js';
import type { Ctx, Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { requireUser } from '../../platform/context.js';
import { writeAudit } from '../../platform/audit.js';
import { decryptSecret, encryptSecret, newToken, sha256 } from '../../platform/crypto.js';
import { AppError, notFound } from '../../platform/errors.js';
import { cutPage, decodeCursor, iso } from '../http.js';
import { findVisible } from '../tickets/tickets.service.js';
import { createUser } from '../users/users.service.js';
import {
  adoptContactTickets,
  type ContactRow,
  contactsPage,
  findContact,
  linkContact,
  roleIdByName,
  userByEmail,
} from './contacts.repo.js';
import { findInbound, inboundPage, ticketNumberOf } from './inbound.repo.js';
import { saveSettings, type SettingsRow, settingsOf } from './mail-settings.repo.js';
import { ingestRawMessage } from './mail.pipeline.js';
import * as boxes from './mailboxes.repo.js';

export { ingestRawMessage, ingestRawMessageIn, type IngestInput, type IngestResult } from './mail.pipeline.js';

const keyOf = (deps: Deps) => deps.config.sessionSecret || 'steward-development-secret';
const webhookUrl = (deps: Deps, token: string) => `${deps.config.publicUrl}/api/v1/inbound/${token}`;

function toMailbox(deps: Deps, r: boxes.MailboxWithCategory): Mailbox {
  const m = r.m;
  const base: Mailbox = {
    id: String(m.id),
    type: m.type,
    name: m.name,
    address: m.address,
    categoryId: m.categoryId ? String(m.categoryId) : null,
    category: r.category ? { id: String(r.category.id), name: r.category.name } : null,
    active: m.active,
    hasSecret: Boolean(m.passwordEnc || m.clientSecretEnc),
    lastFetchAt: iso(m.lastFetchAt),
    lastError: m.lastError,
    lastErrorAt: iso(m.lastErrorAt),
    waitingCount: m.waitingCount,
    refusedCount: r.refused,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
  if (m.type === 'imap') {
    Object.assign(base, {
      host: m.host,
      port: m.port,
      secure: m.secure,
      username: m.username,
      folder: m.folder,
      processedFolder: m.processedFolder,
    });
  } else if (m.type === 'graph') {
    Object.assign(base, { tenantId: m.graphTenantId, clientId: m.clientId, mailbox: m.graphMailbox });
  } else {
    const token = decryptSecret(keyOf(deps), m.webhookTokenEnc);
    if (token) base.webhookUrl = webhookUrl(deps, token);
  }
  return base;
}

const IMAP_KEYS = ['host', 'port', 'secure', 'username', 'password', 'folder', 'processedFolder'] as const;
const GRAPH_KEYS = ['tenantId', 'clientId', 'clientSecret', 'mailbox'] as const;

export async function listMailboxes(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => boxes.listMailboxes(tx, actor.tenantId, after, q.limit + 1));
  const page = cutPage(rows, q.limit, (r) => [r.m.name.toLowerCase(), r.m.id]);
  return { items: page.rows.map((r) => toMailbox(ctx.deps, r)), nextCursor: page.nextCursor };
}

export async function getMailbox(ctx: Ctx, id: number): Promise<Mailbox> {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => boxes.findMailbox(tx, actor.tenantId, id));
  if (!row) throw notFound('Mailbox');
  return toMailbox(ctx.deps, row);
}

const categoryError = () => new AppError('validation', 'no such category', { fields: { categoryId: 'no such category' } });

export async function createMailbox(ctx: Ctx, body: MailboxBody): Promise<Mailbox> {
  const actor = requireUser(ctx);
  const key = keyOf(ctx.deps);
  const token = body.type === 'webhook' ? newToken(24) : null;
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const { tx } = scope;
    const categoryId = body.categoryId ? Number(body.categoryId) : null;
    if (categoryId && !(await boxes.categoryExists(tx, actor.tenantId, categoryId))) throw categoryError();
    const common = {
      tenantId: actor.tenantId,
      type: body.type,
      name: body.name,
      address: body.address.toLowerCase(),
      categoryId,
      active: body.active,
    };
    const values =
      body.type === 'imap'
        ? {
            ...common,
            host: body.host,
            port: body.port,
            secure: body.secure,
            username: body.username,
            passwordEnc: encryptSecret(key, body.password),
            folder: body.folder ?? 'INBOX',
            processedFolder: body.processedFolder ?? null,
          }
        : body.type === 'graph'
          ? {
              ...common,
              graphTenantId: body.tenantId,
              clientId: body.clientId,
              clientSecretEnc: encryptSecret(key, body.clientSecret),
              graphMailbox: body.mailbox,
            }
          : { ...common, webhookTokenHash: sha256(token as string), webhookTokenEnc: encryptSecret(key, token as string) };
    const m = await boxes.insertMailbox(tx, values);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'mailbox.created',
      targetType: 'mailbox',
      targetId: m.id,
      details: { type: m.type, address: m.address },
    });
    return toMailbox(ctx.deps, (await boxes.findMailbox(tx, actor.tenantId, m.id)) as boxes.MailboxWithCategory);
  });
}

/** A webhook mailbox made inside a caller's transaction (demo seeding). */
export async function insertWebhookMailboxIn(scope: Scope, deps: Deps, tenantId: number, name: string, address: string) {
  const token = newToken(24);
  const key = keyOf(deps);
  return boxes.insertMailbox(scope.tx, {
    tenantId,
    type: 'webhook',
    name,
    address: address.toLowerCase(),
    webhookTokenHash: sha256(token),
    webhookTokenEnc: encryptSecret(key, token),
    lastFetchAt: new Date(),
  });
}

export async function updateMailbox(ctx: Ctx, id: number, patch: MailboxPatch): Promise<Mailbox> {
  const actor = requireUser(ctx);
  const key = keyOf(ctx.deps);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const { tx } = scope;
    const found = await boxes.findMailbox(tx, actor.tenantId, id);
    if (!found) throw notFound('Mailbox');
    const type = found.m.type;
    const foreign = [
      ...(type === 'imap' ? [] : IMAP_KEYS),
      ...(type === 'graph' ? [] : GRAPH_KEYS),
      ...(type === 'webhook' ? [] : (['rotateToken'] as const)),
    ].filter((k) => patch[k] !== undefined);
    if (foreign.length > 0) {
      throw new AppError('validation', `Not a field of a ${type} mailbox`, {
        fields: Object.fromEntries(foreign.map((k) => [k, `not a field of a ${type} mailbox`])),
      });
    }
    if (patch.categoryId && !(await boxes.categoryExists(tx, actor.tenantId, Number(patch.categoryId)))) throw categoryError();
    const token = patch.rotateToken ? newToken(24) : null;
    await boxes.updateMailbox(tx, actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.address !== undefined ? { address: patch.address.toLowerCase() } : {}),
      ...(patch.categoryId !== undefined ? { categoryId: patch.categoryId ? Number(patch.categoryId) : null } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.host !== undefined ? { host: patch.host } : {}),
      ...(patch.port !== undefined ? { port: patch.port } : {}),
      ...(patch.secure !== undefined ? { secure: patch.secure } : {}),
      ...(patch.username !== undefined ? { username: patch.username } : {}),
      ...(patch.password !== undefined ? { passwordEnc: encryptSecret(key, patch.password) } : {}),
      ...(patch.folder !== undefined ? { folder: patch.folder } : {}),
      ...(patch.processedFolder !== undefined ? { processedFolder: patch.processedFolder } : {}),
      ...(patch.tenantId !== undefined ? { graphTenantId: patch.tenantId } : {}),
      ...(patch.clientId !== undefined ? { clientId: patch.clientId } : {}),
      // A new secret drops the token cache and the error it caused (re-authorise from a broken state).
      ...(patch.clientSecret !== undefined
        ? { clientSecretEnc: encryptSecret(key, patch.clientSecret), graphTokenEnc: null, graphTokenExpiresAt: null, lastError: null }
        : {}),
      ...(patch.mailbox !== undefined ? { graphMailbox: patch.mailbox } : {}),
      ...(token ? { webhookTokenHash: sha256(token), webhookTokenEnc: encryptSecret(key, token) } : {}),
    });
    // Which fields changed, never their values (secrets among them).
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'mailbox.updated',
      targetType: 'mailbox',
      targetId: id,
      details: { fields: Object.keys(patch) },
    });
    return toMailbox(ctx.deps, (await boxes.findMailbox(tx, actor.tenantId, id)) as boxes.MailboxWithCategory);
  });
}

export async function deleteMailbox(ctx: Ctx, id: number): Promise<void> {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await boxes.deleteMailbox(scope.tx, actor.tenantId, id))) throw notFound('Mailbox');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'mailbox.deleted', targetType: 'mailbox', targetId: id });
  });
}

/** What a connector needs to log in: the mailbox with its secrets decrypted (never sent to a client). */
export async function connectorMailbox(deps: Deps, tenantId: number, id: number) {
  const row = await deps.database.withTenant(tenantId, ({ tx }) => boxes.findMailbox(tx, tenantId, id));
  if (!row) return null;
  const key = keyOf(deps);
  return {
    ...row.m,
    password: decryptSecret(key, row.m.passwordEnc),
    clientSecret: decryptSecret(key, row.m.clientSecretEnc),
    graphToken: decryptSecret(key, row.m.graphTokenEnc),
  };
}

/** A connector's report after a fetch: success (time, waiting count) or the error shown on the mailbox. */
export async function recordMailboxStatus(
  deps: Deps,
  tenantId: number,
  id: number,
  status: { ok: true; waiting?: number } | { ok: false; error: string } | { graphToken: string; expiresAt: Date },
): Promise<void> {
  await deps.database.withTenant(tenantId, ({ tx }) =>
    boxes.setMailboxStatus(
      tx,
      tenantId,
      id,
      'graphToken' in status
        ? { graphTokenEnc: encryptSecret(keyOf(deps), status.graphToken), graphTokenExpiresAt: status.expiresAt }
        : status.ok
          ? { lastFetchAt: new Date(), lastError: null, ...(status.waiting !== undefined ? { waitingCount: status.waiting } : {}) }
          : { lastError: status.error.slice(0, 1000), lastErrorAt: new Date() },
    ),
  );
}

// Webhook ------------------------------------------------------------------------------------

/** The active webhook mailbox of a secret URL; 404 otherwise (checked before the body is read). */
export type WebhookMailbox = { tenantId: number; id: number; active: boolean };

export async function webhookMailbox(deps: Deps, token: string): Promise<WebhookMailbox> {
  const box = await boxes.mailboxByTokenHash(deps.database, sha256(token));
  if (!box || !box.active) throw notFound('Mailbox');
  return box;
}

/**
 * POST /api/v1/inbound/:token: the mailbox of the secret URL takes one raw message. `found` is the
 * mailbox the route already looked up for this token before reading the body (not read twice).
 */
export async function receiveWebhook(deps: Deps, token: string, raw: unknown, found?: WebhookMailbox): Promise<InboundAnswer> {
  const box = found ?? (await webhookMailbox(deps, token));
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    throw new AppError('unsupported_media_type', 'Send the raw message as message/rfc822', { fields: { body: 'a raw MIME message' } });
  }
  const r = await ingestRawMessage(deps, { tenantId: box.tenantId, mailboxId: box.id, raw });
  if (r.reason === 'too_large') {
    const settings = await deps.database.withTenant(box.tenantId, ({ tx }) => settingsOf(tx, box.tenantId));
    throw new AppError('payload_too_large', `Messages may be at most ${settings.maxMessageMb} MB`, {
      limitBytes: settings.maxMessageMb * 1024 * 1024,
    });
  }
  return {
    result: r.result,
    ...(r.ticketNumber !== undefined ? { ticketNumber: r.ticketNumber } : {}),
    ...(r.linkedTicketNumber !== undefined ? { linkedTicketNumber: r.linkedTicketNumber } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

/** The received messages of a mailbox, newest first (refused and ignored ones with their reason). */
export async function listInbound(ctx: Ctx, mailboxId: number, q: { limit: number; cursor?: string; result?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const rows = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if (!(await boxes.findMailbox(tx, actor.tenantId, mailboxId))) throw notFound('Mailbox');
    return inboundPage(tx, actor.tenantId, mailboxId, after?.[0], q.result, q.limit + 1);
  });
  const page = cutPage(rows, q.limit, (r) => [r.i.id]);
  return {
    items: page.rows.map(({ i, number }) => ({
      id: String(i.id),
      mailboxId: i.mailboxId ? String(i.mailboxId) : null,
      from: i.fromAddress,
      subject: i.subject,
      result: i.result,
      reason: i.reason,
      ticketNumber: number ?? null,
      size: i.rawSize,
      receivedAt: i.receivedAt.toISOString(),
      rawUrl: i.rawKey ? `/api/v1/mail/messages/${i.id}/raw` : null,
    })),
    nextCursor: page.nextCursor,
  };
}

/**
 * GET /api/v1/mail/messages/:id/raw: the original message. Anyone who may see its ticket may read it
 * (a message without a ticket: only those who manage mail settings).
 */
export async function rawMessage(ctx: Ctx, id: number): Promise<{ name: string; stream: Readable }> {
  const actor = requireUser(ctx);
  const key = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await findInbound(scope.tx, actor.tenantId, id);
    if (!row?.rawKey) throw notFound('Message');
    if (row.ticketId) {
      // The conversation is public to whoever may see the ticket (404 otherwise, as for the ticket).
      const number = await ticketNumberOf(scope.tx, actor.tenantId, row.ticketId);
      if (number === null) throw notFound('Message');
      await findVisible(scope, actor, number).catch(() => {
        throw notFound('Message');
      });
    } else if (!actor.permissions.has('settings.manage')) {
      throw notFound('Message');
    }
    return row.rawKey;
  });
  return { name: `message-${id}.eml`, stream: ctx.deps.storage.get(key) };
}

// Settings -----------------------------------------------------------------------------------

const toSettings = (s: SettingsRow): MailSettings => ({
  allowedDomains: s.allowedDomains,
  denySenders: s.denySenders,
  maxMessageMb: s.maxMessageMb,
  reopenDays: s.reopenDays,
});

export async function getMailSettings(ctx: Ctx): Promise<MailSettings> {
  const actor = requireUser(ctx);
  return toSettings(await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => settingsOf(tx, actor.tenantId)));
}

export async function updateMailSettings(ctx: Ctx, patch: Partial<MailSettings>): Promise<MailSettings> {
  const actor = requireUser(ctx);
  const set = {
    ...patch,
    ...(patch.allowedDomains ? { allowedDomains: [...new Set(patch.allowedDomains)] } : {}),
    ...(patch.denySenders ? { denySenders: [...new Set(patch.denySenders)] } : {}),
  };
  return toSettings(
    await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
      const saved = await saveSettings(scope.tx, actor.tenantId, set);
      await writeAudit(scope, actor, ctx.info.ip, {
        action: 'settings.updated',
        targetType: 'mail_settings',
        details: { fields: Object.keys(patch) },
      });
      return saved;
    }),
  );
}

// Contacts -----------------------------------------------------------------------------------

const toContact = (c: ContactRow, userName: string | null): Contact => ({
  id: String(c.id),
  name: c.name,
  email: c.email,
  user: c.userId ? { id: String(c.userId), name: userName ?? '' } : null,
  createdAt: c.createdAt.toISOString(),
});

export async function listContacts(ctx: Ctx, q: { limit: number; cursor?: string; q?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, nameCursor);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => contactsPage(tx, actor.tenantId, q.q, after, q.limit + 1));
  const page = cutPage(rows, q.limit, (r) => [r.c.nameKey ?? r.c.name.toLowerCase(), r.c.id]);
  return { items: page.rows.map((r) => toContact(r.c, r.userName)), nextCursor: page.nextCursor };
}

/**
 * POST /api/v1/contacts/:id/convert: the contact becomes a user (invited by e-mail, the Requester
 * role unless another is named) and its tickets become that user's. A contact whose address already
 * belongs to a user is linked to that user.
 */
export async function convertContact(ctx: Ctx, id: number, body: { username?: string; roleId?: string }) {
  const actor = requireUser(ctx);
  const { deps } = ctx;
  const contact = await deps.database.withTenant(actor.tenantId, ({ tx }) => findContact(tx, actor.tenantId, id));
  if (!contact) throw notFound('Contact');
  if (contact.userId) throw new AppError('conflict', 'This contact is a user already', { userId: String(contact.userId) });
  let userId: number;
  let userName: string;
  const existing = await deps.database.withTenant(actor.tenantId, ({ tx }) => userByEmail(tx, actor.tenantId, contact.email));
  if (existing) {
    userId = existing.id;
    userName = existing.name;
  } else {
    const roleId =
      body.roleId ?? (await deps.database.withTenant(actor.tenantId, ({ tx }) => roleIdByName(tx, actor.tenantId, 'Requester')));
    if (!roleId) throw new AppError('validation', 'Name the role the new user gets', { fields: { roleId: 'is required' } });
    const user = await createUser(ctx, {
      name: contact.name,
      email: contact.email,
      username: body.username ?? null,
      roleId: Number(roleId),
    });
    userId = Number(user.id);
    userName = user.name;
  }
  const linked = await deps.database.withTenant(actor.tenantId, async (scope) => {
    const { tx } = scope;
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'contact.converted',
      targetType: 'contact',
      targetId: id,
      details: { userId: String(userId) },
    });
    await linkContact(tx, actor.tenantId, id, userId);
    await adoptContactTickets(tx, actor.tenantId, id, userId);
    return findContact(tx, actor.tenantId, id);
  });
  return { contact: toContact(linked as ContactRow, userName), user: { id: String(userId), name: userName } };
}
