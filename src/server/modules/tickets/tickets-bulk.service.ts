// Bulk actions on tickets: each ticket goes through the same service function as its single route
// (assignTicket, changeStatus), in its own transaction, so permissions, transitions, history,
// notifications and live pushes are identical; one ticket's failure never undoes another's change.
import type { TicketStatus } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assignTicket, changeStatus } from './tickets.service.js';

export type BulkAction =
  | { action: 'assign'; assigneeId?: number | null; teamId?: number | null }
  | { action: 'status'; status: TicketStatus; note?: string };

export interface BulkResult {
  number: number;
  ok: boolean;
  error?: { code: string; message: string };
}

export async function bulkTickets(
  ctx: Ctx,
  numbers: number[],
  action: BulkAction,
): Promise<{ results: BulkResult[]; succeeded: number; failed: number }> {
  const actor = requireUser(ctx);
  // The single assign route needs tickets.assign: refuse the whole request the same way.
  if (action.action === 'assign' && !actor.permissions.has('tickets.assign')) {
    throw new AppError('forbidden', 'You do not have permission to do this', { permission: 'tickets.assign' });
  }
  const results: BulkResult[] = [];
  for (const number of [...new Set(numbers)]) {
    try {
      if (action.action === 'assign') await assignTicket(ctx, number, { assigneeId: action.assigneeId, teamId: action.teamId });
      else await changeStatus(ctx, number, action.status, null, action.note);
      results.push({ number, ok: true });
    } catch (error) {
      if (error instanceof AppError) {
        results.push({ number, ok: false, error: { code: error.code, message: error.message } });
      } else {
        ctx.deps.log.error({ err: error, number }, 'bulk ticket action failed');
        results.push({ number, ok: false, error: { code: 'internal', message: 'Internal error' } });
      }
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
