// "Save as report" on the Costs tab: opens the report builder on the tab's current choices (days,
// grouping, purchases by, location), to keep them as a saved report.
import { Button } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportParams } from '../../../shared/contracts/reports';
import type { Query } from '../../lib/api';
import { SavedReportForm } from './SavedReportForm';

/** Keeps what a saved report's params take from a report tab's query (no format, no empties). */
function paramsOf(query: Query): ReportParams {
  const keys = ['from', 'to', 'groupBy', 'purchases', 'parentId', 'categoryId'] as const;
  const params: Record<string, string> = {};
  for (const k of keys) {
    const v = query[k];
    if (typeof v === 'string' && v) params[k] = v;
  }
  if (params.purchases === 'received') delete params.purchases;
  return params as ReportParams;
}

export function SaveAsReportButton({ query }: { query: Query }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconDeviceFloppy size={16} aria-hidden />}
        onClick={() => setOpen(true)}
        data-testid="save-as-report"
      >
        {t('reports.saved.saveAs')}
      </Button>
      {open && <SavedReportForm current={null} draft={{ report: 'costs', params: paramsOf(query) }} onClose={() => setOpen(false)} />}
    </>
  );
}
