// The location tree (site → building → room) with asset counts: add, rename, move and delete;
// and one location's page listing everything below it.
import { ActionIcon, Anchor, Breadcrumbs, Button, Group, Menu, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDots, IconMapPin, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { modals } from '@mantine/modals';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { del, get, patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { useCan } from '../../lib/useCan';
import { AssetList } from '../assets/AssetsPage';
import { descendantsOf, type Location, locationsKey, treeOrder, useLocations } from '../assets/api';
import { LocationSelect } from '../assets/parts';

type Editing = { mode: 'add'; parent: Location | null } | { mode: 'rename'; loc: Location } | { mode: 'move'; loc: Location } | null;

function LocationModal({ editing, onClose, all }: { editing: Editing; onClose: () => void; all: Location[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      name: editing?.mode === 'rename' ? editing.loc.name : '',
      parentId: editing?.mode === 'move' ? editing.loc.parentId : null,
    },
  });
  const save = useMutation({
    mutationFn: (v: { name: string; parentId: string | null }) => {
      if (!editing) throw new Error('nothing to save');
      if (editing.mode === 'add')
        return post('/api/v1/locations', { name: v.name.trim(), ...(editing.parent ? { parentId: editing.parent.id } : {}) });
      if (editing.mode === 'rename') return patch(`/api/v1/locations/${editing.loc.id}`, { name: v.name.trim() });
      return patch(`/api/v1/locations/${editing.loc.id}`, { parentId: v.parentId });
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('locations.saved') });
      void queryClient.invalidateQueries({ queryKey: locationsKey });
      void queryClient.invalidateQueries({ queryKey: ['location'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  if (!editing) return null;
  const title =
    editing.mode === 'add'
      ? editing.parent
        ? t('locations.addChildOf', { name: editing.parent.name })
        : t('locations.addTop')
      : editing.mode === 'rename'
        ? t('locations.rename')
        : t('locations.moveTitle', { name: editing.loc.name });
  return (
    <Modal opened onClose={onClose} title={title}>
      <form
        onSubmit={form.onSubmit((v) => {
          if (editing.mode !== 'move' && !v.name.trim()) {
            form.setFieldError('name', t('validation.required'));
            return;
          }
          save.mutate(v);
        })}
        noValidate
        data-testid="location-form"
      >
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          {editing.mode === 'move' ? (
            <LocationSelect
              label={t('locations.newParent')}
              placeholder={t('locations.topLevel')}
              value={form.values.parentId}
              onChange={(v) => form.setFieldValue('parentId', v)}
              exclude={descendantsOf(all, editing.loc.id)}
              data-testid="location-parent"
            />
          ) : (
            <TextInput label={t('locations.name')} required data-autofocus {...form.getInputProps('name')} data-testid="location-name" />
          )}
          <Button type="submit" loading={save.isPending} data-testid="save-location">
            {t('common.save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function LocationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canManage = useCan('assets.manage');
  const locations = useLocations();
  const [editing, setEditing] = useState<Editing>(null);
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/locations/${id}`),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('locations.deleted') });
      void queryClient.invalidateQueries({ queryKey: locationsKey });
    },
    onError: (error) => notifications.show({ color: 'red', autoClose: 8000, message: errorMessage(t, error) }),
  });
  const all = locations.data?.items ?? [];
  const ordered = treeOrder(all);
  const confirmDelete = (loc: Location) =>
    modals.openConfirmModal({
      title: t('locations.deleteTitle', { name: loc.name }),
      children: t('locations.deleteConfirm'),
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(loc.id),
    });

  return (
    <>
      <PageHeader
        title={t('locations.title')}
        description={t('locations.description')}
        actions={
          canManage ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => setEditing({ mode: 'add', parent: null })}
              data-testid="add-location"
            >
              {t('locations.addTop')}
            </Button>
          ) : null
        }
      />
      {locations.isPending ? (
        <PageLoader />
      ) : locations.isError ? (
        <ErrorAlert error={locations.error} onRetry={() => locations.refetch()} />
      ) : ordered.length === 0 ? (
        <EmptyState message={t('locations.none')} />
      ) : (
        <Paper withBorder p={0}>
          <ul aria-label={t('locations.title')} style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="location-tree">
            {ordered.map((loc) => (
              <li
                key={loc.id}
                data-depth={loc.depth}
                data-testid="location-node"
                data-name={loc.name}
                style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
              >
                <Group
                  justify="space-between"
                  wrap="nowrap"
                  gap="xs"
                  pr="sm"
                  py={6}
                  pl={`calc(var(--mantine-spacing-sm) + ${loc.depth * 24}px)`}
                >
                  <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                    <IconMapPin size={16} aria-hidden />
                    <Anchor component={Link} to={`/locations/${loc.id}`} style={{ overflowWrap: 'anywhere' }}>
                      {loc.name}
                    </Anchor>
                    <Text size="xs" c="dimmed" data-testid="location-count">
                      {t('locations.assetCount', { count: loc.assetCount })}
                    </Text>
                  </Group>
                  {canManage ? (
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('locations.actionsFor', { name: loc.name })}
                          data-testid="location-actions"
                        >
                          <IconDots size={16} aria-hidden />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => setEditing({ mode: 'add', parent: loc })}>{t('locations.addChild')}</Menu.Item>
                        <Menu.Item onClick={() => setEditing({ mode: 'rename', loc })}>{t('locations.rename')}</Menu.Item>
                        <Menu.Item onClick={() => setEditing({ mode: 'move', loc })}>{t('locations.move')}</Menu.Item>
                        <Menu.Item color="red" onClick={() => confirmDelete(loc)}>
                          {t('common.delete')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  ) : null}
                </Group>
              </li>
            ))}
          </ul>
        </Paper>
      )}
      <LocationModal
        key={JSON.stringify(editing && ('loc' in editing ? editing.loc.id : (editing.parent?.id ?? 'top')) + editing.mode)}
        editing={editing}
        onClose={() => setEditing(null)}
        all={all}
      />
    </>
  );
}

interface LocationDetail extends Location {
  ancestors?: Location[];
  children?: Location[];
}

export function LocationPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const detail = useQuery({
    queryKey: ['location', id],
    enabled: !!id,
    queryFn: async () => {
      const data = await get<LocationDetail | { location: LocationDetail; ancestors?: Location[]; children?: Location[] }>(
        `/api/v1/locations/${id}`,
      );
      return 'location' in data && data.location
        ? ({ ...data.location, ...data, location: undefined } as LocationDetail)
        : (data as LocationDetail);
    },
  });
  if (detail.isPending) return <PageLoader />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => detail.refetch()} />;
  const loc = detail.data;
  return (
    <>
      <Breadcrumbs mb="xs" separator="›">
        <Anchor component={Link} to="/locations" size="sm">
          {t('locations.title')}
        </Anchor>
        {(loc.ancestors ?? []).map((a) => (
          <Anchor key={a.id} component={Link} to={`/locations/${a.id}`} size="sm">
            {a.name}
          </Anchor>
        ))}
      </Breadcrumbs>
      <PageHeader title={loc.name} description={t('locations.everythingBelow')} />
      {loc.children?.length ? (
        <Group gap="xs" mb="md" data-testid="location-children">
          {loc.children.map((c) => (
            <Button key={c.id} component={Link} to={`/locations/${c.id}`} variant="light" size="xs">
              {c.name}
            </Button>
          ))}
        </Group>
      ) : null}
      <AssetList key={loc.id} fixed={{ locationId: loc.id }} showFilters={false} />
    </>
  );
}
