// A period of two company days, From and To (each bounded by the other), as the report pages show it.
import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PeriodInputs(props: {
  from: string;
  to: string;
  /** A cleared field gives null (the page's default). */
  onChange: (next: { from?: string | null; to?: string | null }) => void;
  /** Test ids `${testId}-from` and `${testId}-to`. */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        type="date"
        label={t('reports.from')}
        value={props.from}
        max={props.to}
        onChange={(e) => props.onChange({ from: e.currentTarget.value || null })}
        data-testid={`${props.testId}-from`}
      />
      <TextInput
        type="date"
        label={t('reports.to')}
        value={props.to}
        min={props.from}
        onChange={(e) => props.onChange({ to: e.currentTarget.value || null })}
        data-testid={`${props.testId}-to`}
      />
    </>
  );
}
