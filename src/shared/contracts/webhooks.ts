// Outgoing webhooks (API.md "Data and integrations"): a company's endpoints, the events they take
// and their delivery log. Pure zod, shared by server and web.
import { z } from 'zod';
import { idString as id, listQuery, page } from './common.js';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from './enums.js';

export const webhookIdParams = z.object({ id });
export const deliveryParams = z.object({ id, deliveryId: id });

const url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) address without credentials');

export const webhookEvent = z.enum(WEBHOOK_EVENTS);
const events = z.array(webhookEvent).min(1, 'choose at least one event').max(WEBHOOK_EVENTS.length);

export const webhookBody = z.object({ url, events, active: z.boolean().default(true) });
export type WebhookBody = z.input<typeof webhookBody>;
export const webhookPatch = z.object({ url: url.optional(), events: events.optional(), active: z.boolean().optional() });
export type WebhookPatch = z.infer<typeof webhookPatch>;

export const webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  /** Until when the previous secret is still signed with (after a rotation), else null. */
  previousSecretUntil: z.string().nullable(),
  lastDelivery: z
    .object({ status: z.enum(WEBHOOK_DELIVERY_STATUSES), at: z.string(), responseStatus: z.number().int().nullable() })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhook>;
export const webhookList = page(webhook);
export const webhookWithSecret = z.object({ webhook, secret: z.string().describe('whsec_…, shown this once') });
export type WebhookWithSecret = z.infer<typeof webhookWithSecret>;

export const delivery = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable().describe('The first KB of the last response'),
  error: z.string().nullable().describe('Why the last attempt failed without a response (timeout, refused address …)'),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  at: z.string(),
});
export type WebhookDelivery = z.infer<typeof delivery>;
export const deliveryList = page(delivery);
export const deliveryListQuery = listQuery.extend({ status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional() });
export const webhookListQuery = listQuery;
