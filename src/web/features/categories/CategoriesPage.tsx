// Ticket categories and their routes: direct to a team, or an ordered approval chain whose steps
// are a role, a named person, or the requester's department head.
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader } from '../../components/PageLoader';
import { patch, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { canOn } from '../../lib/useCan';
import { categoriesKey, useCategories, useTeams } from '../tickets/api';
import type { ApprovalStep, Category } from '../../../shared/contracts/categories';
import { useAllUsers, useRoleList, useStepLabel } from './steps';

export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useCategories();
  const teams = useTeams();
  const stepLabel = useStepLabel();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);

  return (
    <>
      <PageHeader
        title={t('categories.title')}
        description={t('categories.subtitle')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="new-category">
            {t('categories.new')}
          </Button>
        }
      />
      {categories.isPending ? (
        <PageLoader />
      ) : categories.isError ? (
        <ErrorAlert error={categories.error} onRetry={() => categories.refetch()} />
      ) : categories.data.items.length === 0 ? (
        <EmptyState message={t('categories.none')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover data-testid="categories-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('categories.route')}</Table.Th>
                <Table.Th>{t('categories.defaultTeam')}</Table.Th>
                <Table.Th>{t('categories.active')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {categories.data.items.map((c) => (
                <Table.Tr key={c.id} data-testid="category-row">
                  <Table.Td fw={500}>{c.name}</Table.Td>
                  <Table.Td>
                    {c.approvalSteps.length
                      ? c.approvalSteps.map(stepLabel).join(' → ')
                      : t('categories.direct')}
                  </Table.Td>
                  <Table.Td>{teams.data?.items.find((tm) => tm.id === c.defaultTeamId)?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={c.active ? 'green' : 'gray'}>
                      {c.active ? t('categories.activeYes') : t('categories.activeNo')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {canOn(c, 'update') ? (
                      <Button size="xs" variant="default" onClick={() => setEditing(c)} aria-label={t('categories.editOne', { name: c.name })}>
                        {t('common.edit')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? (
        <CategoryModal
          key={editing === 'new' ? 'new' : editing.id}
          category={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

interface Values {
  name: string;
  description: string;
  defaultTeamId: string | null;
  active: boolean;
  approvalSteps: ApprovalStep[];
}

function CategoryModal({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const teams = useTeams();
  const roles = useRoleList();
  const users = useAllUsers();
  const form = useForm<Values>({
    initialValues: {
      name: category?.name ?? '',
      description: category?.description ?? '',
      defaultTeamId: category?.defaultTeamId ?? null,
      active: category?.active ?? true,
      approvalSteps: category?.approvalSteps ?? [],
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      approvalSteps: (steps) =>
        steps.some((s) => (s.type === 'role' && !s.roleId) || (s.type === 'user' && !s.userId))
          ? t('categories.stepIncomplete')
          : null,
    },
  });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        description: v.description.trim() || null,
        defaultTeamId: v.defaultTeamId,
        active: v.active,
        approvalSteps: v.approvalSteps,
      };
      return category ? patch(`/api/v1/categories/${category.id}`, body) : post('/api/v1/categories', body);
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: category ? t('categories.saved') : t('categories.created') });
      void queryClient.invalidateQueries({ queryKey: categoriesKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const steps = form.values.approvalSteps;
  const setStep = (i: number, step: ApprovalStep) =>
    form.setFieldValue('approvalSteps', steps.map((s, j) => (j === i ? step : s)));
  const move = (i: number, by: number) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    next.splice(i + by, 0, s as ApprovalStep);
    form.setFieldValue('approvalSteps', next);
  };
  const typeData = (['department_head', 'role', 'user'] as const).map((v) => ({ value: v, label: t(`categories.stepTypes.${v}`) }));
  const roleData = (roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }));
  const userData = (users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));

  return (
    <Modal opened onClose={onClose} title={category ? t('categories.editTitle', { name: category.name }) : t('categories.createTitle')} size="lg">
      <form data-testid="category-form" noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <ErrorAlert error={save.error} skipFieldErrors />
          <TextInput label={t('fields.name')} required data-autofocus {...form.getInputProps('name')} />
          <Textarea label={t('categories.description')} autosize minRows={2} {...form.getInputProps('description')} />
          <Select
            label={t('categories.defaultTeam')}
            data={(teams.data?.items ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            clearable
            {...form.getInputProps('defaultTeamId')}
          />
          <Switch label={t('categories.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
          <Paper withBorder p="sm" component="fieldset" m={0}>
            <Text component="legend" fw={600} size="sm" px={4}>
              {t('categories.chain')}
            </Text>
            <Text size="xs" c="dimmed" mb="xs">
              {t('categories.chainHelp')}
            </Text>
            <Stack gap="xs" data-testid="approval-steps">
              {steps.map((step, i) => (
                <Group key={`${i}-${step.type}`} gap="xs" align="flex-end" wrap="wrap" data-testid="approval-step">
                  <Text size="sm" fw={600} w={24} style={{ alignSelf: 'center' }}>
                    {i + 1}.
                  </Text>
                  <Select
                    label={t('categories.stepType', { n: i + 1 })}
                    data={typeData}
                    value={step.type}
                    allowDeselect={false}
                    onChange={(v) =>
                      setStep(
                        i,
                        v === 'role' ? { type: 'role', roleId: '' } : v === 'user' ? { type: 'user', userId: '' } : { type: 'department_head' },
                      )
                    }
                    style={{ flex: '1 1 160px' }}
                  />
                  {step.type === 'role' ? (
                    <Select
                      label={t('categories.stepRole', { n: i + 1 })}
                      data={roleData}
                      value={step.roleId || null}
                      onChange={(v) => setStep(i, { type: 'role', roleId: v ?? '' })}
                      searchable
                      style={{ flex: '1 1 160px' }}
                    />
                  ) : step.type === 'user' ? (
                    <Select
                      label={t('categories.stepUser', { n: i + 1 })}
                      data={userData}
                      value={step.userId || null}
                      onChange={(v) => setStep(i, { type: 'user', userId: v ?? '' })}
                      searchable
                      style={{ flex: '1 1 160px' }}
                    />
                  ) : null}
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="default" size="lg" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('categories.moveUp', { n: i + 1 })}>
                      <IconArrowUp size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon variant="default" size="lg" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={t('categories.moveDown', { n: i + 1 })}>
                      <IconArrowDown size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      color="red"
                      size="lg"
                      onClick={() => form.setFieldValue('approvalSteps', steps.filter((_, j) => j !== i))}
                      aria-label={t('categories.removeStep', { n: i + 1 })}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                </Group>
              ))}
              {steps.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('categories.noSteps')}
                </Text>
              ) : null}
              {form.errors.approvalSteps ? (
                <Text size="sm" c="red" role="alert">
                  {form.errors.approvalSteps}
                </Text>
              ) : null}
              <Button
                variant="light"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => form.setFieldValue('approvalSteps', [...steps, { type: 'department_head' }])}
                style={{ alignSelf: 'flex-start' }}
                data-testid="add-step"
              >
                {t('categories.addStep')}
              </Button>
            </Stack>
          </Paper>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {category ? t('common.save') : t('categories.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
