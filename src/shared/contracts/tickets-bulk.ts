// POST /api/v1/tickets/bulk: assign or change the status of many tickets, one result each.
import { z } from 'zod';
import { idString } from './common.js';
import { TICKET_STATUSES } from './enums.js';

export const BULK_MAX = 200;

const numbers = z
  .array(z.number().int().min(1).max(2_000_000_000))
  .min(1, 'name at least one ticket')
  .max(BULK_MAX, `at most ${BULK_MAX} tickets at once`);

export const bulkBody = z.discriminatedUnion('action', [
  z
    .object({ action: z.literal('assign'), numbers, assigneeId: idString.nullish(), teamId: idString.nullish() })
    .refine((b) => b.assigneeId !== undefined || b.teamId !== undefined, {
      message: 'give assigneeId and/or teamId (null clears)',
      path: ['assigneeId'],
    }),
  z.object({ action: z.literal('status'), numbers, status: z.enum(TICKET_STATUSES), note: z.string().max(5000).optional() }),
]);
export type BulkInput = z.input<typeof bulkBody>;

export const bulkAnswer = z.object({
  results: z.array(
    z.object({
      number: z.number(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
});
export type BulkAnswer = z.infer<typeof bulkAnswer>;
