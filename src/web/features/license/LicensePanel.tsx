// The license in the operator's area: licensee, seats (used), expiry and state; upload or replace the file.
import { Badge, Button, FileButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { LicenseInfo } from '../../../shared/contracts/license';
import { errorMessage } from '../../components/ErrorAlert';
import { api, get } from '../../lib/api';

const COLOR = { none: 'gray', valid: 'green', invalid: 'red', expired: 'orange' } as const;

export function LicensePanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const info = useQuery({ queryKey: ['license'], queryFn: () => get<LicenseInfo>('/api/v1/admin/license') });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch {
        throw new Error(t('license.notJson'));
      }
      return api<LicenseInfo>('/api/v1/admin/license', { method: 'PUT', body });
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('license.uploaded') });
      void queryClient.invalidateQueries({ queryKey: ['license'] });
      void queryClient.invalidateQueries({ queryKey: ['read-only'] });
    },
    onError: (error) => notifications.show({ color: 'red', autoClose: 8000, message: errorMessage(t, error) }),
  });
  const l = info.data;
  return (
    <Paper withBorder p="sm" mb="md" data-testid="license-panel">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} size="h5">
              {t('license.title')}
            </Title>
            {l ? (
              <Badge color={COLOR[l.state]} data-testid="license-state">
                {t(`license.states.${l.state}`)}
              </Badge>
            ) : null}
          </Group>
          {l?.state === 'none' ? (
            <Text size="sm" c="dimmed">
              {t('license.noneHint')}
            </Text>
          ) : null}
          {l?.licensee ? (
            <Text size="sm">
              {t('license.summary', { licensee: l.licensee, seats: l.seats, used: l.seatsUsed, expires: l.expiresAt?.slice(0, 10) })}
            </Text>
          ) : null}
          {l?.reason ? (
            <Text size="sm" c="red">
              {l.reason}
            </Text>
          ) : null}
        </Stack>
        <FileButton
          onChange={(f) => f && upload.mutate(f)}
          accept="application/json,.json"
          inputProps={{ 'aria-label': t('license.upload') } as never}
        >
          {(props) => (
            <Button {...props} size="xs" variant="default" loading={upload.isPending}>
              {t('license.upload')}
            </Button>
          )}
        </FileButton>
      </Group>
    </Paper>
  );
}
