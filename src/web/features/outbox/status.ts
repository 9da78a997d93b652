import type { OutboxItem } from '../../lib/types';

export const outboxStatusColor: Record<OutboxItem['status'], string> = {
  kept: 'gray',
  pending: 'yellow',
  sent: 'green',
  failed: 'red',
};
