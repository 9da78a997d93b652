// Ticket categories and their routes: direct to a team, or an ordered approval chain whose steps
// are a role, a named person, or the requester's department head.
import { ActionIcon, Badge, Button, Group, Paper, Select, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal, CrudTable, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { patch, post } from '../../lib/api';
import { textMatches, useCrudList, useCrudSave, useEditing } from '../../lib/crud';
import { canOn, useCan } from '../../lib/useCan';
import { categoriesKey, useTeams } from '../tickets/api';
import type { ApprovalStep, Category } from '../../../shared/contracts/categories';
import { useAllUsers, useRoleList, useStepLabel } from './steps';

export function CategoriesPage() {
  const { t } = useTranslation();
  const canManage = useCan('categories.manage');
  const teams = useTeams();
  const stepLabel = useStepLabel();
  const edit = useEditing<Category>();
  const list = useCrudList<Category>({
    key: categoriesKey,
    path: '/api/v1/categories',
    matches: (c, q) => textMatches(q, c.name, c.description),
  });

  return (
    <>
      <PageHeader
        title={t('categories.title')}
        description={t('categories.subtitle')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-category">
            {t('categories.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} />
      <CrudTable
        list={list}
        testId="categories-table"
        rowTestId="category-row"
        minWidth={640}
        empty={t('categories.none')}
        columns={[
          {
            key: 'name',
            header: t('fields.name'),
            cell: (c) => (
              <Text fw={500} size="sm">
                {c.name}
              </Text>
            ),
          },
          {
            key: 'route',
            header: t('categories.route'),
            cell: (c) => (c.approvalSteps.length ? c.approvalSteps.map(stepLabel).join(' → ') : t('categories.direct')),
          },
          {
            key: 'team',
            header: t('categories.defaultTeam'),
            cell: (c) => teams.data?.items.find((tm) => tm.id === c.defaultTeamId)?.name ?? '—',
          },
          {
            key: 'active',
            header: t('categories.active'),
            cell: (c) => (
              <Badge variant="light" color={c.active ? 'green' : 'gray'}>
                {c.active ? t('categories.activeYes') : t('categories.activeNo')}
              </Badge>
            ),
          },
        ]}
        actions={(c) => (
          <EditButton allowed={canOn(c, 'update')} onClick={() => edit.open(c)} label={t('categories.editOne', { name: c.name })} />
        )}
      />
      {edit.editing ? <CategoryModal key={edit.current?.id ?? 'new'} category={edit.current} onClose={edit.close} /> : null}
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
        steps.some((s) => (s.type === 'role' && !s.roleId) || (s.type === 'user' && !s.userId)) ? t('categories.stepIncomplete') : null,
    },
  });
  const save = useCrudSave({
    form,
    save: (v: Values) => {
      const body = {
        name: v.name.trim(),
        description: v.description.trim() || null,
        defaultTeamId: v.defaultTeamId,
        active: v.active,
        approvalSteps: v.approvalSteps,
      };
      return category ? patch(`/api/v1/categories/${category.id}`, body) : post('/api/v1/categories', body);
    },
    invalidate: categoriesKey,
    message: category ? t('categories.saved') : t('categories.created'),
    onDone: onClose,
  });

  const steps = form.values.approvalSteps;
  const setStep = (i: number, step: ApprovalStep) =>
    form.setFieldValue(
      'approvalSteps',
      steps.map((s, j) => (j === i ? step : s)),
    );
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
    <CrudFormModal
      title={category ? t('categories.editTitle', { name: category.name }) : t('categories.createTitle')}
      size="lg"
      onClose={onClose}
      onSubmit={form.onSubmit((v) => save.mutate(v))}
      saving={save.isPending}
      error={save.error}
      testId="category-form"
      submitLabel={category ? t('common.save') : t('categories.create')}
    >
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
                <ActionIcon
                  variant="default"
                  size="lg"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('categories.moveUp', { n: i + 1 })}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  size="lg"
                  disabled={i === steps.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('categories.moveDown', { n: i + 1 })}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  color="red"
                  size="lg"
                  onClick={() =>
                    form.setFieldValue(
                      'approvalSteps',
                      steps.filter((_, j) => j !== i),
                    )
                  }
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
    </CrudFormModal>
  );
}
