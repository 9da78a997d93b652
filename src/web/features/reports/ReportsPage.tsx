// Reports: costs (with reports.financial), the service desk and asset reliability, one tab each.
// The period, grouping and tab live in the address, so a report can be bookmarked and shared.
import { Button, Group, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/time';
import { PageHeader } from '../../components/PageHeader';
import { PeriodInputs } from '../../components/PeriodInputs';
import type { Query } from '../../lib/api';
import { useCan } from '../../lib/useCan';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { useAddressParams } from '../../lib/useAddressParams';
import { CostsReport } from './CostsReport';
import { ReliabilityReportView } from './ReliabilityReport';
import { SavedReports } from './SavedReports';
import { SchedulesPanel } from './SchedulesPanel';
import { TicketsReport } from './TicketsReport';

type Tab = 'costs' | 'tickets' | 'reliability' | 'saved' | 'schedules';

/** Today and 1 January, as days in the company's zone. */
function defaultPeriod(zone: string): { from: string; to: string } {
  const today = todayIn(zone);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

export function ReportsPage() {
  const { t } = useTranslation();
  const zone = useCompanyZone();
  const [params, set] = useAddressParams();
  const financial = useCan('reports.financial');
  const tab = ((params.get('tab') as Tab | null) ?? (financial ? 'costs' : 'tickets')) as Tab;
  const fallback = defaultPeriod(zone);
  const from = params.get('from') ?? fallback.from;
  const to = params.get('to') ?? fallback.to;
  const period: Query = { from, to };
  return (
    <>
      <PageHeader title={t('reports.title')} />
      {/* Saved reports carry their own period, schedules theirs: the page's period is for the live tabs. */}
      {tab !== 'saved' && tab !== 'schedules' && (
        <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
          <PeriodInputs from={from} to={to} onChange={set} testId="report" />
          <Group gap={4}>
            {[
              ['thisMonth', () => ({ from: `${fallback.to.slice(0, 7)}-01`, to: fallback.to })],
              ['lastMonth', () => lastMonth(fallback.to)],
              ['thisYear', () => fallback],
            ].map(([key, range]) => (
              <Button
                key={key as string}
                variant="subtle"
                size="compact-sm"
                onClick={() => set((range as () => { from: string; to: string })())}
              >
                {t(`reports.periods.${key as string}`)}
              </Button>
            ))}
          </Group>
        </Group>
      )}
      <Tabs value={tab} onChange={(v) => set({ tab: v, groupBy: null, parentId: null })} keepMounted={false}>
        <Tabs.List mb="md">
          {financial && <Tabs.Tab value="costs">{t('reports.tabs.costs')}</Tabs.Tab>}
          <Tabs.Tab value="tickets">{t('reports.tabs.tickets')}</Tabs.Tab>
          <Tabs.Tab value="reliability">{t('reports.tabs.reliability')}</Tabs.Tab>
          <Tabs.Tab value="saved">{t('reports.tabs.saved')}</Tabs.Tab>
          <Tabs.Tab value="schedules">{t('reports.tabs.schedules')}</Tabs.Tab>
        </Tabs.List>
        {financial && (
          <Tabs.Panel value="costs">
            <CostsReport period={period} params={params} set={set} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="tickets">
          <TicketsReport period={period} params={params} set={set} />
        </Tabs.Panel>
        <Tabs.Panel value="reliability">
          <ReliabilityReportView period={period} />
        </Tabs.Panel>
        <Tabs.Panel value="saved">
          <SavedReports />
        </Tabs.Panel>
        <Tabs.Panel value="schedules">
          <SchedulesPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function lastMonth(today: string): { from: string; to: string } {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) - 1;
  if (m === 0) {
    m = 12;
    y--;
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}
