// Two-factor sign-in: set up with a QR code and a confirming code; disable with the password.
import {
  Badge,
  Button,
  Code,
  Group,
  Image,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { meKey, useMe } from '../../lib/useMe';

interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export function TotpSection() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const enabled = !!me.user.totpEnabled;
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: meKey });

  const setup = useMutation({ mutationFn: () => post<TotpSetup>('/api/v1/me/totp/setup') });
  const codeForm = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6,8}$/.test(v.trim()) ? null : t('validation.totp')) },
  });
  const enable = useMutation({
    mutationFn: (code: string) => post('/api/v1/me/totp/enable', { code }),
    onSuccess: async () => {
      setup.reset();
      codeForm.reset();
      notifications.show({ color: 'green', message: t('totp.enabled') });
      await refreshMe();
    },
    onError: (error) => applyFieldErrors(codeForm, error),
  });
  const disableForm = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => (v ? null : t('validation.required')) },
  });
  const disable = useMutation({
    mutationFn: (password: string) => post('/api/v1/me/totp/disable', { password }),
    onSuccess: async () => {
      disableForm.reset();
      notifications.show({ color: 'green', message: t('totp.disabled') });
      await refreshMe();
    },
    onError: (error) => applyFieldErrors(disableForm, error),
  });

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4">
          {t('totp.title')}
        </Title>
        <Badge color={enabled ? 'green' : 'gray'} variant="light">
          {enabled ? t('totp.on') : t('totp.off')}
        </Badge>
      </Group>
      {enabled ? (
        <form noValidate onSubmit={disableForm.onSubmit((v) => disable.mutate(v.password))}>
          <Stack>
            <Text size="sm">{t('totp.disableHelp')}</Text>
            <ErrorAlert error={disable.error} skipFieldErrors />
            <PasswordInput
              label={t('fields.password')}
              autoComplete="current-password"
              required
              {...disableForm.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Button type="submit" color="red" loading={disable.isPending}>
                {t('totp.disable')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : setup.data ? (
        <form noValidate onSubmit={codeForm.onSubmit((v) => enable.mutate(v.code.trim()))}>
          <Stack>
            <Text size="sm">{t('totp.scan')}</Text>
            <Image
              src={setup.data.qrDataUrl}
              alt={t('totp.qrAlt')}
              w={200}
              h={200}
              bg="white"
              p={8}
              data-testid="totp-qr"
            />
            <Text size="sm">
              {t('totp.manual')} <Code data-testid="totp-secret">{setup.data.secret}</Code>
            </Text>
            <ErrorAlert error={enable.error} skipFieldErrors />
            <TextInput
              label={t('totp.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              {...codeForm.getInputProps('code')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setup.reset()}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={enable.isPending}>
                {t('totp.enable')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack>
          <Text size="sm">{t('totp.intro')}</Text>
          <ErrorAlert error={setup.error} />
          <Group justify="flex-end">
            <Button onClick={() => setup.mutate()} loading={setup.isPending}>
              {t('totp.setUp')}
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
