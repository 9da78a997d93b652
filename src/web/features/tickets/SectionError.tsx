// An error for one part of the ticket page; a 404 there means the server does not offer it (yet).
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError } from '../../lib/api';

export function SectionError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Text size="sm" c="dimmed" py="md">
        {t('tickets.notAvailable')}
      </Text>
    );
  }
  return <ErrorAlert error={error} onRetry={onRetry} />;
}
