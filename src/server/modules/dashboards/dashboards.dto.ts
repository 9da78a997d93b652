// The dashboard's answer, for the route schema and the OpenAPI document.
import { z } from 'zod';
import { TICKET_STATUSES } from '../../db/schema/index.js';
import { ticketSummaryDto } from '../tickets/tickets.dto.js';

export const SECTIONS = ['mine', 'queue', 'approvals', 'unassigned', 'overdue', 'workload', 'statusOverTime'] as const;
export type Section = (typeof SECTIONS)[number];

const byStatus = z.object(
  Object.fromEntries(TICKET_STATUSES.map((s) => [s, z.number()])) as Record<(typeof TICKET_STATUSES)[number], z.ZodNumber>,
);
const ticketList = z.object({ count: z.number(), items: z.array(ticketSummaryDto) });

export const dashboardDto = z.object({
  sections: z.array(z.enum(SECTIONS)).describe('The sections present in this answer, as your permissions allow'),
  mine: z
    .object({ open: z.number(), byStatus, latest: z.array(ticketSummaryDto) })
    .describe('Your own tickets: open ones by status and the 5 latest'),
  queue: ticketList.optional().describe('Assigned to you and not resolved or closed, by priority then due date'),
  approvals: ticketList.optional().describe('Waiting for your approval (you, or your role, decide the current step)'),
  unassigned: ticketList.optional().describe('Active tickets without an assignee'),
  overdue: ticketList.optional().describe('Past their due date and not resolved or closed'),
  workload: z
    .object({
      items: z.array(
        z.object({
          assignee: z.object({ id: z.string(), name: z.string(), color: z.string() }),
          open: z.number(),
          inProgress: z.number(),
          onHold: z.number(),
          urgent: z.number(),
          overdue: z.number(),
        }),
      ),
    })
    .optional()
    .describe('Open tickets per technician'),
  statusOverTime: z
    .object({ timezone: z.string(), items: z.array(z.object({ date: z.string(), total: z.number(), byStatus })) })
    .optional()
    .describe('Tickets created per day over the last 30 days, by their current status'),
});

export type DashboardAnswer = z.infer<typeof dashboardDto>;
