// Warns, where QR codes are shown or printed, that they carry a guessed address (often localhost)
// this browser does not use; says how to set the real one, and lets an admin adopt this one.
import { Alert, Button, Code, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/ErrorAlert';
import { patch } from '../../lib/api';
import { settingsKey, useCompanySettings, useQrAddressWarning } from '../../lib/company';

export function QrAddressWarning() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useCompanySettings();
  const carried = useQrAddressWarning();
  const here = window.location.origin;
  const adopt = useMutation({
    mutationFn: () => patch('/api/v1/settings', { publicUrl: here }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('qrAddress.saved', { url: here }) });
      // Every asset answer carries its public link: read them again with the new address.
      void queryClient.invalidateQueries({ queryKey: settingsKey });
      void queryClient.invalidateQueries({ queryKey: ['assets'] });
      void queryClient.invalidateQueries({ queryKey: ['asset'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, error) }),
  });
  if (!carried) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('qrAddress.title')} data-testid="qr-address-warning">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {t('qrAddress.carries')} <Code>{carried}</Code>
      </Text>
      <Text size="sm" mt={4} style={{ overflowWrap: 'anywhere' }}>
        {t('qrAddress.howTo')} <Code>PUBLIC_URL=https://steward.example.com</Code>
      </Text>
      {settings.data?.can.update ? (
        <Button size="xs" variant="light" color="orange" mt="xs" onClick={() => adopt.mutate()} loading={adopt.isPending} data-testid="qr-address-adopt">
          {t('qrAddress.useThis', { url: here })}
        </Button>
      ) : null}
    </Alert>
  );
}
