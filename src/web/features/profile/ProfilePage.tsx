// Profile: personal details and appearance, password, two-factor sign-in, personal API tokens.
import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useMe } from '../../lib/useMe';
import { NotificationPreferences } from '../notifications/NotificationPreferences';
import { CalendarFeedSection } from '../schedule/CalendarFeedSection';
import { ApiTokensSection } from './ApiTokensSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { TotpSection } from './TotpSection';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('profile.title')} />
      <Stack gap="lg" maw={760}>
        <ProfileSection />
        <PasswordSection />
        <TotpSection />
        {me.company ? <NotificationPreferences /> : null}
        {me.company && me.permissions.includes('schedule.view') ? <CalendarFeedSection /> : null}
        <ApiTokensSection />
      </Stack>
    </>
  );
}
