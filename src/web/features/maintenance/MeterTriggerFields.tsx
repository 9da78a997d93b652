// The plan form's meter and threshold triggers: a meter of the asset, then every N units of its
// counter, or above/below a value for a duration. And the words for such a trigger on the plan card.
import { Group, NumberInput, Select, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Meter } from '../../../shared/contracts/meters';
import { get } from '../../lib/api';
import type { Plan } from './api';

export interface MeterTriggerValue {
  meterId: string | null;
  everyUnits: number | string;
  op: '>' | '<';
  value: number | string;
  forSeconds: number | string;
}

export function meterTriggerOf(plan?: Plan): MeterTriggerValue {
  const t = plan?.trigger;
  return {
    meterId: t && t.type !== 'interval' ? t.meterId : null,
    everyUnits: t?.type === 'meter' ? t.everyUnits : 500,
    op: t?.type === 'threshold' ? t.op : '>',
    value: t?.type === 'threshold' ? t.value : '',
    forSeconds: t?.type === 'threshold' ? t.forSeconds : 300,
  };
}

/** The API's trigger for the form's values. */
export function meterTriggerBody(type: 'meter' | 'threshold', v: MeterTriggerValue) {
  return type === 'meter'
    ? { type, meterId: v.meterId ?? '', everyUnits: Number(v.everyUnits) }
    : { type, meterId: v.meterId ?? '', op: v.op, value: Number(v.value), forSeconds: Number(v.forSeconds) || 0 };
}

/** The card's words for a meter or threshold trigger. */
export function meterRule(t: TFunction, trigger: Plan['trigger']): string {
  if (trigger.type === 'meter') return t('maintenance.everyUnits', { units: trigger.everyUnits });
  if (trigger.type === 'threshold')
    return t('maintenance.thresholdRule', { op: trigger.op, value: trigger.value, seconds: trigger.forSeconds });
  return '';
}

export function MeterTriggerFields({
  assetId,
  type,
  value,
  onChange,
}: {
  assetId: string;
  type: 'meter' | 'threshold';
  value: MeterTriggerValue;
  onChange: (v: MeterTriggerValue) => void;
}) {
  const { t } = useTranslation();
  const meters = useQuery({
    queryKey: ['meters', 'asset', assetId],
    queryFn: async () => (await get<{ items: Meter[] }>('/api/v1/meters', { assetId, limit: 200 })).items,
  });
  const set = (patch: Partial<MeterTriggerValue>) => onChange({ ...value, ...patch });
  const options = (meters.data ?? []).map((m) => ({ value: m.id, label: `${m.name}${m.unit ? ` (${m.unit})` : ''} · ${m.deviceName}` }));
  return (
    <>
      <Select
        label={t('maintenance.meter')}
        data={options}
        value={value.meterId}
        onChange={(v) => set({ meterId: v })}
        searchable
        required
        data-testid="plan-meter"
      />
      {meters.data && meters.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('maintenance.noMeters')}
        </Text>
      ) : null}
      {type === 'meter' ? (
        <NumberInput
          label={t('maintenance.triggerFields.everyUnits')}
          min={0}
          value={value.everyUnits}
          onChange={(v) => set({ everyUnits: v })}
          data-testid="plan-every-units"
        />
      ) : (
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label={t('maintenance.triggerFields.op')}
            data={[
              { value: '>', label: t('meters.thresholds.op.above') },
              { value: '<', label: t('meters.thresholds.op.below') },
            ]}
            value={value.op}
            onChange={(v) => v && set({ op: v as '>' | '<' })}
            allowDeselect={false}
          />
          <NumberInput
            label={t('maintenance.triggerFields.value')}
            value={value.value}
            onChange={(v) => set({ value: v })}
            data-testid="plan-threshold-value"
          />
          <NumberInput
            label={t('maintenance.triggerFields.forSeconds')}
            min={0}
            value={value.forSeconds}
            onChange={(v) => set({ forSeconds: v })}
          />
        </Group>
      )}
    </>
  );
}
