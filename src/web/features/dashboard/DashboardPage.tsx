// The start page: who you are, the quick links pinned for you and the sections of your role (tickets
// to act on, workload, tickets over time). Where to go next is the navigation's job, not repeated here.
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useMe } from '../../lib/useMe';
import { MyJobs } from '../schedule/MyJobs';
import { AtRiskWidget } from '../sla/AtRiskWidget';
import { QuickLinks } from './QuickLinks';
import { RoleSections } from './sections';

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
      {me.company && me.permissions.includes('schedule.view') ? <MyJobs /> : null}
      {me.company ? <QuickLinks /> : null}
      {me.company ? <AtRiskWidget /> : null}
      {me.company ? <RoleSections /> : null}
    </>
  );
}
