import type { OutboxItem } from '../../../shared/contracts/outbox';

export const outboxStatusColor: Record<OutboxItem['status'], string> = {
  kept: 'gray',
  pending: 'yellow',
  sent: 'green',
  failed: 'red',
};
