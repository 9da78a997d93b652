// The e-mail channel's public shapes (API.md "E-mail channel"): mailboxes, the inbound webhook's
// answer, the company's mail settings and external contacts. Pure zod, shared by server and web.
import { z } from 'zod';
import { idParam, idString as id, listQuery, page, ref } from './common.js';

export const MAILBOX_TYPES = ['imap', 'graph', 'webhook'] as const;
export type MailboxType = (typeof MAILBOX_TYPES)[number];
export const INBOUND_RESULTS = ['created', 'appended', 'reopened', 'ignored', 'duplicate'] as const;
export type InboundResult = (typeof INBOUND_RESULTS)[number];
/** Why a message made no ticket (`reason` of an ignored result); open-ended on the wire. */
export const INBOUND_REASONS = [
  'auto_reply',
  'bulk',
  'bounce',
  'loop',
  'sender_not_allowed',
  'rate_limited',
  'unparseable',
  'too_large',
  'no_sender',
] as const;
export type InboundReason = (typeof INBOUND_REASONS)[number];

export const mailboxIdParams = idParam;
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');
const address = z.email('must be an e-mail address').max(254);

const common = {
  name: required(200),
  address,
  categoryId: id.nullish(),
  active: z.boolean().default(true),
};
const imapFields = {
  host: required(255),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  username: required(255),
  password: z.string().min(1, 'is required').max(1000),
  folder: text(255).nullish(),
  processedFolder: text(255).nullish(),
};
const graphFields = {
  tenantId: required(100),
  clientId: required(100),
  clientSecret: z.string().min(1, 'is required').max(1000),
  mailbox: required(254),
};

export const mailboxBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('imap'), ...common, ...imapFields }),
  z.object({ type: z.literal('graph'), ...common, ...graphFields }),
  z.object({ type: z.literal('webhook'), ...common }),
]);
export type MailboxBody = z.infer<typeof mailboxBody>;
/** PATCH: any field of any kind (those of another kind are refused); `type` cannot change. Secrets are replaced only when sent. */
export const mailboxPatch = z
  .object({
    name: required(200),
    address,
    categoryId: id.nullable(),
    active: z.boolean(),
    host: required(255),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    username: required(255),
    password: z.string().min(1).max(1000),
    folder: text(255).nullable(),
    processedFolder: text(255).nullable(),
    tenantId: required(100),
    clientId: required(100),
    clientSecret: z.string().min(1).max(1000),
    mailbox: required(254),
    /** Webhook: a new secret URL (the old one answers 404 at once). */
    rotateToken: z.literal(true),
  })
  .partial()
  .strict();
export type MailboxPatch = z.infer<typeof mailboxPatch>;

export const mailbox = z.object({
  id: z.string(),
  type: z.enum(MAILBOX_TYPES),
  name: z.string(),
  address: z.string(),
  categoryId: z.string().nullable(),
  category: ref.nullable(),
  active: z.boolean(),
  host: z.string().nullable().optional(),
  port: z.number().nullable().optional(),
  secure: z.boolean().nullable().optional(),
  username: z.string().nullable().optional(),
  folder: z.string().nullable().optional(),
  processedFolder: z.string().nullable().optional(),
  /** True when a password / client secret is stored (never the secret itself). */
  hasSecret: z.boolean(),
  tenantId: z.string().nullable().optional(),
  clientId: z.string().nullable().optional(),
  mailbox: z.string().nullable().optional(),
  webhookUrl: z.string().optional(),
  lastFetchAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  waitingCount: z.number(),
  /** Messages refused on this mailbox (oversize, unparseable) that are worth a look. */
  refusedCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mailbox = z.infer<typeof mailbox>;
export const mailboxAnswer = mailbox.extend({ mailbox });
export const mailboxList = page(mailbox);
export const mailboxListQuery = listQuery;
export const mailboxTestAnswer = z.object({ ok: z.boolean(), error: z.string().optional() });

/** What a mailbox received (newest first): refused and ignored messages are visible here. */
export const inboundMessage = z.object({
  id: z.string(),
  mailboxId: z.string().nullable(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  result: z.enum(INBOUND_RESULTS),
  reason: z.string().nullable(),
  ticketNumber: z.number().nullable(),
  size: z.number(),
  receivedAt: z.string(),
  rawUrl: z.string().nullable(),
});
export type InboundMessageItem = z.infer<typeof inboundMessage>;
export const inboundMessageList = page(inboundMessage);
export const inboundMessageQuery = listQuery.extend({ result: z.enum(INBOUND_RESULTS).optional() });

export const inboundTokenParams = z.object({ token: z.string().min(1).max(200) });
export const inboundAnswer = z.object({
  result: z.enum(INBOUND_RESULTS),
  ticketNumber: z.number().optional(),
  linkedTicketNumber: z.number().optional(),
  reason: z.string().optional(),
});
export type InboundAnswer = z.infer<typeof inboundAnswer>;

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^@?[a-z0-9.-]+\.[a-z0-9-]+$/, 'must be a domain')
  .transform((d) => d.replace(/^@/, ''));
/** An address (`a@b.example`), a whole domain (`@b.example` or `b.example`), or `*` wildcards. */
const denyPattern = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(254)
  .regex(/^[a-z0-9.*@_+-]+$/, 'must be an address, a domain or a pattern with *');
export const mailSettings = z.object({
  allowedDomains: z.array(z.string()),
  denySenders: z.array(z.string()),
  maxMessageMb: z.number(),
  reopenDays: z.number(),
});
export type MailSettings = z.infer<typeof mailSettings>;
export const mailSettingsPatch = z
  .object({
    allowedDomains: z.array(domain).max(500),
    denySenders: z.array(denyPattern).max(2000),
    maxMessageMb: z.number().int().min(1).max(100),
    reopenDays: z.number().int().min(0).max(3650),
  })
  .partial()
  .strict();
export const mailSettingsAnswer = mailSettings.extend({ settings: mailSettings });

export const contact = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  user: ref.nullable(),
  createdAt: z.string(),
});
export type Contact = z.infer<typeof contact>;
export const contactList = page(contact);
export const contactQuery = listQuery.extend({ q: text(200).optional() });
export const contactConvertBody = z
  .object({ username: z.string().trim().min(2).max(60).optional(), roleId: id.optional() })
  .strict()
  .default({});
export const contactConvertAnswer = z.object({ contact, user: ref });

/** On a comment that came by mail (API.md). */
export const commentEmail = z.object({
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  messageId: z.string().nullable(),
  rawUrl: z.string(),
});
export type CommentEmail = z.infer<typeof commentEmail>;
export const ticketContact = z.object({ id: z.string().nullable(), name: z.string(), email: z.string().nullable() });
