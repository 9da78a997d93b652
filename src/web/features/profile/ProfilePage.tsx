// Profile: personal details and appearance, password, two-factor sign-in, personal API tokens.
import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { ApiTokensSection } from './ApiTokensSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { TotpSection } from './TotpSection';

export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('profile.title')} />
      <Stack gap="lg" maw={760}>
        <ProfileSection />
        <PasswordSection />
        <TotpSection />
        <ApiTokensSection />
      </Stack>
    </>
  );
}
