// Saved views of the ticket list: pick one, save the current filters under a name, delete one.
import { ActionIcon, Button, Group, Modal, Select, Stack, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { del, post } from '../../lib/api';
import { savedViewsKey, useSavedViews } from './api';
import type { SavedView } from '../../../shared/contracts/saved-views';
import type { TicketFilterValues } from './api';

export function SavedViews({
  filters,
  onPick,
}: {
  filters: TicketFilterValues;
  onPick: (filters: Partial<TicketFilterValues>) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const views = useSavedViews();
  const [current, setCurrent] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');

  const save = useMutation({
    mutationFn: () => post<{ view?: SavedView } & Partial<SavedView>>('/api/v1/saved-views', { name: name.trim(), filters }),
    onSuccess: (answer) => {
      notifications.show({ color: 'green', message: t('tickets.views.saved') });
      setSaving(false);
      setName('');
      const id = answer?.view?.id ?? answer?.id;
      if (id) setCurrent(id);
      void queryClient.invalidateQueries({ queryKey: savedViewsKey });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/saved-views/${id}`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('tickets.views.deleted') });
      setCurrent(null);
      void queryClient.invalidateQueries({ queryKey: savedViewsKey });
    },
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });

  // Not offered when the server has no saved views (yet).
  if (views.isError) return null;
  const items = views.data?.items ?? [];

  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <Select
        label={t('tickets.views.label')}
        placeholder={t('tickets.views.pick')}
        data={items.map((v) => ({ value: v.id, label: v.name }))}
        value={current}
        onChange={(id) => {
          setCurrent(id);
          const view = items.find((v) => v.id === id);
          if (view) onPick(view.filters ?? {});
        }}
        clearable
        style={{ width: 180 }}
        data-testid="saved-views"
      />
      <Tooltip label={t('tickets.views.save')}>
        <ActionIcon variant="default" size="lg" mb={1} aria-label={t('tickets.views.save')} onClick={() => setSaving(true)}>
          <IconDeviceFloppy size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      {current ? (
        <Tooltip label={t('tickets.views.delete')}>
          <ActionIcon
            variant="default"
            color="red"
            size="lg"
            mb={1}
            aria-label={t('tickets.views.delete')}
            loading={remove.isPending}
            onClick={() => remove.mutate(current)}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      ) : null}
      <Modal opened={saving} onClose={() => setSaving(false)} title={t('tickets.views.saveTitle')}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) save.mutate();
          }}
        >
          <Stack>
            <ErrorAlert error={save.error} />
            <TextInput
              label={t('fields.name')}
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setSaving(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}
