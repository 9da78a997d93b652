// The admin outbox: outgoing mail of the company.
import { z } from 'zod';
import { page } from './common.js';
import { MAIL_STATUSES } from './enums.js';

export const outboxItem = z.object({
  id: z.string(),
  /** The recipients (API.md: an array; a message of Steward's goes to one, so mostly one element). */
  to: z.array(z.string()),
  subject: z.string(),
  template: z.string(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  cc: z.array(z.string()),
  /** Threading (API.md "Platform"): our Message-ID, the one it answers, the thread before it. */
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  /** Names and sizes only; the bytes stay with the message. */
  attachments: z.array(z.object({ name: z.string(), contentType: z.string(), size: z.number() })),
});
export type OutboxItem = z.infer<typeof outboxItem>;
export const outboxPage = page(outboxItem);
export const outboxMessage = outboxItem.extend({ text: z.string(), html: z.string().nullable(), headers: z.record(z.string(), z.string()) });
export type OutboxMessage = z.infer<typeof outboxMessage>;
export const outboxMessageAnswer = z.object({ message: outboxMessage });
