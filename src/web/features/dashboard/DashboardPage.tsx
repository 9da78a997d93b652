// The start page: who you are, the quick links pinned for you and the sections of your role (tickets
// to act on, workload, tickets over time). Where to go next is the navigation's job, not repeated here.
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useMe } from '../../lib/useMe';
import { QuickLinks } from './QuickLinks';
import { RoleSections } from './sections';

// Lazy: the schedule's and the SLA's time code (Temporal) stays out of the first load (SPEC §19).
const MyJobs = lazy(() => import('../schedule/MyJobs').then((m) => ({ default: m.MyJobs })));
const AtRiskWidget = lazy(() => import('../sla/AtRiskWidget').then((m) => ({ default: m.AtRiskWidget })));

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <PageHeader
        title={t('dashboard.welcome', { name: me.user.name })}
        description={
          me.company
            ? t('dashboard.companyRole', { company: me.company.name, role: me.role?.name ?? '—' })
            : me.superAdmin
              ? t('dashboard.superAdmin')
              : undefined
        }
      />
      {/* The technician's own jobs (planners have the calendar): only for those scheduled, not planning. */}
      <Suspense fallback={null}>
        {me.company && me.permissions.includes('schedule.view') && !me.permissions.includes('schedule.manage') ? <MyJobs /> : null}
      </Suspense>
      {me.company ? <QuickLinks /> : null}
      <Suspense fallback={null}>{me.company ? <AtRiskWidget /> : null}</Suspense>
      {me.company ? <RoleSections /> : null}
    </>
  );
}
