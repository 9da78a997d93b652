// The navigation's count of open meter alerts nobody acknowledged (nothing when there are none).
import { Badge } from '@mantine/core';
import { useOpenAlertCount } from './alertsApi';

export function MeterAlertsBadge() {
  const count = useOpenAlertCount(true);
  if (!count.data) return null;
  return (
    <Badge size="sm" color="red" variant="filled" circle={count.data < 10} data-testid="meter-alerts-badge">
      {count.data > 99 ? '99+' : count.data}
    </Badge>
  );
}
