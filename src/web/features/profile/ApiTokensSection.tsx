// Personal API tokens: the token is shown once, right after creation; afterwards only its name.
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SecretValue } from '../../components/SecretValue';
import { del, get, type Page, post } from '../../lib/api';
import { useFormatDate } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';
import type { ApiToken } from '../../../shared/contracts/me';

const tokensKey = ['api-tokens'];

export function ApiTokensSection() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: () => get<Page<ApiToken>>('/api/v1/api-tokens'),
  });
  const form = useForm<{ name: string; expiresInDays: number | string }>({
    initialValues: { name: '', expiresInDays: 90 },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      expiresInDays: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) > 0) ? null : t('validation.positive'),
    },
  });
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays?: number }) =>
      post<{ id: string; token: string }>('/api/v1/api-tokens', v),
    onSuccess: (answer, v) => {
      setCreated({ name: v.name, token: answer.token });
      form.reset();
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/api/v1/api-tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {t('tokens.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('tokens.intro')}
      </Text>
      {created ? (
        <Alert color="green" title={t('tokens.createdTitle', { name: created.name })} mb="md" role="status">
          <Stack gap="xs">
            <Text size="sm">{t('tokens.showOnce')}</Text>
            <SecretValue value={created.token} testId="api-token-value" />
            <Group justify="flex-end">
              <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                {t('common.done')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          create.mutate({
            name: v.name.trim(),
            ...(v.expiresInDays === '' ? {} : { expiresInDays: Number(v.expiresInDays) }),
          }),
        )}
      >
        <ErrorAlert error={create.error} skipFieldErrors />
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label={t('tokens.name')} required style={{ flex: '1 1 200px' }} {...form.getInputProps('name')} />
          <NumberInput
            label={t('tokens.expiresInDays')}
            min={1}
            max={3650}
            allowDecimal={false}
            style={{ flex: '0 1 160px' }}
            {...form.getInputProps('expiresInDays')}
          />
          <Button type="submit" loading={create.isPending}>
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={tokens.error ?? revoke.error} />
      {tokens.data && tokens.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={520} mt="md">
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.name')}</Table.Th>
                <Table.Th>{t('tokens.created')}</Table.Th>
                <Table.Th>{t('tokens.expires')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.items.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>{fmt(token.createdAt, false)}</Table.Td>
                  <Table.Td>{token.expiresAt ? fmt(token.expiresAt, false) : t('tokens.never')}</Table.Td>
                  <Table.Td>{token.lastUsedAt ? fmt(token.lastUsedAt) : t('tokens.neverUsed')}</Table.Td>
                  <Table.Td>
                    <ConfirmButton
                      size="xs"
                      variant="light"
                      color="red"
                      title={t('tokens.revokeTitle')}
                      message={t('tokens.revokeConfirm', { name: token.name })}
                      confirmLabel={t('tokens.revoke')}
                      onConfirm={() => revoke.mutate(token.id)}
                      aria-label={t('tokens.revokeOne', { name: token.name })}
                    >
                      {t('tokens.revoke')}
                    </ConfirmButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : tokens.data ? (
        <Text size="sm" c="dimmed" mt="md">
          {t('tokens.none')}
        </Text>
      ) : null}
    </Paper>
  );
}
