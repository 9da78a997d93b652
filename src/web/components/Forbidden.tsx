import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('errors.forbiddenTitle')} role="alert">
      {t('errors.forbidden')}
    </Alert>
  );
}
