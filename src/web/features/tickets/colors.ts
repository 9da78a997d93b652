// Badge colours of ticket statuses and priorities (display only; the values are the contract's).
import type { Priority, TicketStatus } from '../../../shared/contracts/enums';

export const statusColor: Record<TicketStatus, string> = {
  new: 'blue',
  pending_approval: 'yellow',
  open: 'cyan',
  in_progress: 'indigo',
  on_hold: 'orange',
  resolved: 'green',
  closed: 'gray',
  rejected: 'red',
};

export const priorityColor: Record<Priority, string> = {
  low: 'gray.7',
  medium: 'blue.8',
  high: '#a33a0b',
  urgent: 'red.9',
};
