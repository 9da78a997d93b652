// The banner every signed-in person sees while Steward refuses changes (invalid or expired license,
// suspended company), with the reason.
import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ReadOnlyState } from '../../../shared/contracts/license';
import { get } from '../../lib/api';

export function ReadOnlyBanner() {
  const { t } = useTranslation();
  const state = useQuery({
    queryKey: ['read-only'],
    queryFn: () => get<ReadOnlyState>('/api/v1/read-only'),
    staleTime: 60_000,
    retry: false,
  });
  if (!state.data?.readOnly) return null;
  return (
    <Alert
      color="orange"
      icon={<IconLock size={18} aria-hidden />}
      title={t('license.readOnlyTitle')}
      mb="md"
      data-testid="read-only-banner"
    >
      {state.data.message}
    </Alert>
  );
}
