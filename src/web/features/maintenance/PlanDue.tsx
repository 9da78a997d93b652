// A plan's next due date in words: the day, "when the open work order is done", the meter reading it waits for, or the excursion.
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../lib/format';
import type { Plan } from './api';

export function PlanDue({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  if (plan.trigger.type === 'meter')
    return (
      <Text span size="sm" data-testid={`plan-due-value-${plan.id}`}>
        {plan.nextDueValue === null ? t('maintenance.atValueUnknown') : t('maintenance.atValue', { value: plan.nextDueValue })}
      </Text>
    );
  if (plan.trigger.type === 'threshold')
    return (
      <Text span size="sm">
        {t('maintenance.onExcursion', { op: plan.trigger.op, value: plan.trigger.value, seconds: plan.trigger.forSeconds })}
      </Text>
    );
  if (!plan.fires)
    return (
      <Text span size="sm">
        {t('maintenance.byMeter')}
      </Text>
    );
  if (plan.nextDueOn)
    return (
      <Text span size="sm">
        {fmt(plan.nextDueOn)}
      </Text>
    );
  if (plan.openWorkOrder)
    return (
      <Text span size="sm">
        {t('maintenance.afterCompletion')}
      </Text>
    );
  return (
    <Text span size="sm">
      {fmt(null)}
    </Text>
  );
}
