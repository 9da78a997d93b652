// Personal API tokens: the token is shown once, right after creation; afterwards only its name.
import { Alert, Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrudTable, DeleteButton } from '../../components/crud';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SecretValue } from '../../components/SecretValue';
import { del, post } from '../../lib/api';
import { useCrudDelete, useCrudSave } from '../../lib/crud';
import { useFormatDate } from '../../lib/format';
import { useKeysetList } from '../../lib/lists';
import type { ApiToken } from '../../../shared/contracts/me';

const tokensKey = ['api-tokens'];

export function ApiTokensSection() {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const tokens = useKeysetList<ApiToken>(tokensKey, '/api/v1/api-tokens');
  const form = useForm<{ name: string; expiresInDays: number | string }>({
    initialValues: { name: '', expiresInDays: 90 },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      expiresInDays: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) > 0) ? null : t('validation.positive'),
    },
  });
  const create = useCrudSave({
    form,
    save: async (v: { name: string; expiresInDays?: number }) => ({
      name: v.name,
      ...(await post<{ id: string; token: string }>('/api/v1/api-tokens', v)),
    }),
    invalidate: tokensKey,
    // The token itself is the answer: shown in place, not in a notification.
    message: () => null,
    onDone: (answer) => {
      setCreated({ name: answer.name, token: answer.token });
      form.reset();
    },
  });
  const revoke = useCrudDelete({
    remove: (token: ApiToken) => del(`/api/v1/api-tokens/${token.id}`),
    invalidate: tokensKey,
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
      <Stack mt="md">
        <CrudTable
          list={tokens}
          testId="api-tokens"
          rowTestId="api-token-row"
          empty={t('tokens.none')}
          columns={[
            { key: 'name', header: t('tokens.name'), cell: (token) => token.name },
            { key: 'created', header: t('tokens.created'), cell: (token) => fmt(token.createdAt, false) },
            {
              key: 'expires',
              header: t('tokens.expires'),
              cell: (token) => (token.expiresAt ? fmt(token.expiresAt, false) : t('tokens.never')),
            },
            {
              key: 'lastUsed',
              header: t('tokens.lastUsed'),
              cell: (token) => (token.lastUsedAt ? fmt(token.lastUsedAt) : t('tokens.neverUsed')),
            },
          ]}
          actions={(token) => (
            <DeleteButton
              title={t('tokens.revokeTitle')}
              message={t('tokens.revokeConfirm', { name: token.name })}
              confirmLabel={t('tokens.revoke')}
              onConfirm={() => revoke.mutate(token)}
              loading={revoke.isPending && revoke.variables?.id === token.id}
              label={t('tokens.revokeOne', { name: token.name })}
            >
              {t('tokens.revoke')}
            </DeleteButton>
          )}
        />
      </Stack>
    </Paper>
  );
}
