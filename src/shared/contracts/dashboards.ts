// The dashboard's answer: the sections the caller's permissions allow.
import { z } from 'zod';
import { DASHBOARD_SECTIONS, TICKET_STATUSES } from './enums.js';
import { ticketSummary } from './tickets.js';

const byStatus = z.object(
  Object.fromEntries(TICKET_STATUSES.map((s) => [s, z.number()])) as Record<(typeof TICKET_STATUSES)[number], z.ZodNumber>,
);
const ticketList = z.object({ count: z.number(), items: z.array(ticketSummary) });

export const dashboardAnswer = z.object({
  sections: z.array(z.enum(DASHBOARD_SECTIONS)).describe('The sections present in this answer, as your permissions allow'),
  mine: z
    .object({ open: z.number(), byStatus, latest: z.array(ticketSummary) })
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

export type DashboardAnswer = z.infer<typeof dashboardAnswer>;
export type { DashboardSection } from './enums.js';
