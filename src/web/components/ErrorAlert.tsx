// Shows an API or network error as an Alert, with the message translated by error code.
import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api';

export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited') {
      const seconds = Number(error.details?.retryAfterSeconds);
      return t('errors.rate_limited', {
        count: Number.isFinite(seconds) ? seconds : 60,
        defaultValue: error.message,
      });
    }
    return t(`errors.${error.code}`, { defaultValue: error.message || t('errors.unknown') });
  }
  if (error instanceof Error && error.message) return error.message;
  return t('errors.unknown');
}

export function ErrorAlert({
  error,
  skipFieldErrors = false,
  onRetry,
  title,
}: {
  error: unknown;
  /** Leave 400 answers with field messages to the form, which shows them on the fields. */
  skipFieldErrors?: boolean;
  onRetry?: () => void;
  title?: string;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  if (skipFieldErrors && error instanceof ApiError && error.fieldErrors) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={title ?? t('common.error')}
      role="alert"
      mb="md"
    >
      {errorMessage(t, error)}
      {onRetry ? (
        <Button variant="subtle" color="red" size="compact-sm" ml="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}
