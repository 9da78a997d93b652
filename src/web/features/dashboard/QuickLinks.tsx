// The dashboard's quick links (intranet pages, manuals, vendor portals) pinned by admins for everyone or
// one role; admins (can.create from the server) add and remove them here.
import { ActionIcon, Anchor, Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconExternalLink, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QuickLinkList } from '../../../shared/contracts/quick-links';
import { ErrorAlert } from '../../components/ErrorAlert';
import { del, get, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { useCan } from '../../lib/useCan';
import { useRoles } from '../roles/api';

const key = (audience: 'mine' | 'all') => ['quick-links', audience];

export function QuickLinks() {
  const { t } = useTranslation();
  const links = useQuery({ queryKey: key('mine'), queryFn: () => get<QuickLinkList>('/api/v1/quick-links') });
  const [opened, { open, close }] = useDisclosure(false);
  if (!links.data) return null;
  const { items, can } = links.data;
  if (items.length === 0 && !can.create) return null;
  return (
    <Card withBorder padding="md" mb="md" data-testid="quick-links">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('quickLinks.title')}
        </Title>
        {can.create ? (
          <Button size="xs" variant="light" onClick={open} data-testid="manage-quick-links">
            {t('quickLinks.manage')}
          </Button>
        ) : null}
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('quickLinks.none')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((l) => (
            <li key={l.id} data-testid="quick-link">
              <Anchor href={l.url} target="_blank" rel="noopener noreferrer" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {l.title} <IconExternalLink size={14} aria-label={t('quickLinks.newTab')} />
              </Anchor>
              {l.description ? (
                <Text size="sm" c="dimmed">
                  {l.description}
                </Text>
              ) : null}
            </li>
          ))}
        </Stack>
      )}
      {opened ? <ManageQuickLinks onClose={close} /> : null}
    </Card>
  );
}

function ManageQuickLinks({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const all = useQuery({ queryKey: key('all'), queryFn: () => get<QuickLinkList>('/api/v1/quick-links', { audience: 'all' }) });
  const roles = useRoles();
  const canPickRole = useCan('users.view');
  const form = useForm({ initialValues: { title: '', url: '', description: '', roleId: null as string | null, position: 0 as number | string } });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['quick-links'] });
  const add = useMutation({
    mutationFn: (v: typeof form.values) =>
      post('/api/v1/quick-links', {
        title: v.title,
        url: v.url,
        ...(v.description.trim() ? { description: v.description } : {}),
        roleId: v.roleId,
        position: Number(v.position) || 0,
      }),
    onSuccess: () => {
      form.reset();
      refresh();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/api/v1/quick-links/${id}`), onSuccess: refresh });
  return (
    <Modal opened onClose={onClose} title={t('quickLinks.manage')} size="lg">
      <Stack>
        <Stack gap={4} data-testid="quick-links-all">
          {(all.data?.items ?? []).map((l) => (
            <Group key={l.id} justify="space-between" wrap="nowrap" data-testid="quick-link-row">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {l.title}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {l.url}
                </Text>
              </div>
              <Group gap="xs" wrap="nowrap">
                <Badge variant="light">{l.role ? l.role.name : t('quickLinks.everyone')}</Badge>
                <ActionIcon variant="subtle" color="red" aria-label={t('quickLinks.remove', { title: l.title })} onClick={() => remove.mutate(l.id)}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            </Group>
          ))}
        </Stack>
        <ErrorAlert error={remove.error} />
        <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate data-testid="quick-link-form">
          <Stack gap="sm">
            <ErrorAlert error={add.error} skipFieldErrors />
            <TextInput label={t('quickLinks.linkTitle')} required {...form.getInputProps('title')} />
            <TextInput label={t('quickLinks.url')} placeholder="https://" required type="url" {...form.getInputProps('url')} />
            <TextInput label={t('quickLinks.description')} {...form.getInputProps('description')} />
            <Group grow align="flex-start">
              <Select
                label={t('quickLinks.audience')}
                placeholder={t('quickLinks.everyone')}
                clearable
                disabled={!canPickRole}
                data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
                {...form.getInputProps('roleId')}
              />
              <NumberInput label={t('quickLinks.position')} min={0} max={10000} {...form.getInputProps('position')} />
            </Group>
            <Button type="submit" loading={add.isPending} w="fit-content" data-testid="add-quick-link">
              {t('quickLinks.add')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
