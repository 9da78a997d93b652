// A supply request (toner, spares): pick parts and quantities; it becomes a `supply` ticket. Each line
// says what is in stock now and where, and warns when more is asked than there is.
import { ActionIcon, Box, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { ticketsKey, useCategories } from '../tickets/api';
import { useQuery } from '@tanstack/react-query';
import type { SupplyPart as Part } from '../../../shared/contracts/supply';
import { get, type Page } from '../../lib/api';

/** Parts a requester may ask for (tickets.create; no costs). */
function usePartOptions(q: string) {
  return useQuery({
    queryKey: ['supply-parts', q],
    staleTime: 30_000,
    queryFn: () => get<Page<Part>>('/api/v1/supply/parts', { q: q || undefined, limit: 50 }),
  });
}

interface Line {
  partId: string | null;
  quantity: number | string;
}

const labelOf = (p: Part) => `${p.sku} · ${p.name} (${p.available} ${p.unit})`;

function PartPicker({
  value,
  onChange,
  label,
  error,
  known,
}: {
  value: string | null;
  onChange: (v: string | null, p?: Part) => void;
  label: string;
  error?: React.ReactNode;
  known: Map<string, Part>;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const current = value ? known.get(value) : undefined;
  // Picking an option puts its label in the search box; that is not a new search (it would find
  // nothing and the list would lose the chosen part).
  const typed = current && search === labelOf(current) ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 250);
  const parts = usePartOptions(q);
  for (const p of parts.data?.items ?? []) known.set(p.id, p);
  const data = (parts.data?.items ?? []).map((p) => ({ value: p.id, label: labelOf(p) }));
  if (current && !data.some((d) => d.value === current.id)) data.push({ value: current.id, label: labelOf(current) });
  return (
    <Select
      label={label}
      required
      searchable
      data={data}
      value={value}
      onChange={(v) => onChange(v, v ? known.get(v) : undefined)}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={parts.isFetching ? t('common.loading') : t('common.nothingFound')}
      error={error}
      style={{ flex: '1 1 200px' }}
      data-testid="supply-part"
    />
  );
}

/** Stock now for the chosen part, by location, and a warning when the quantity is more than that. */
function StockHint({ part, quantity }: { part: Part; quantity: number }) {
  const { t } = useTranslation();
  const short = quantity > part.available;
  const where = part.stock.filter((s) => s.quantity > 0).map((s) => `${s.location.name}: ${s.quantity} ${part.unit}`);
  return (
    <Box w="100%" aria-live="polite" data-testid="supply-stock">
      <Text size="xs" c="dimmed">
        {t('supply.availableNow', { count: part.available, unit: part.unit })}
        {where.length ? ` · ${where.join(' · ')}` : ''}
      </Text>
      {short ? (
        <Text size="xs" c="red.9" data-testid="supply-short">
          {t('supply.moreThanStock', { available: part.available, unit: part.unit })}
        </Text>
      ) : null}
    </Box>
  );
}

export function SupplyNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [known] = useState(() => new Map<string, Part>());
  const form = useForm({
    initialValues: { title: '', description: '', categoryId: null as string | null, lines: [{ partId: null, quantity: 1 }] as Line[] },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      post<{ number?: number; ticketNumber?: number; ticket?: { number: number } }>('/api/v1/supply-requests', {
        ...(v.title.trim() ? { title: v.title.trim() } : {}),
        ...(v.description.trim() ? { description: v.description.trim() } : {}),
        ...(v.categoryId ? { categoryId: v.categoryId } : {}),
        lines: v.lines.map((l) => ({ partId: l.partId, quantity: Number(l.quantity) })),
      }),
    onSuccess: (data) => {
      const number = data?.number ?? data?.ticketNumber ?? data?.ticket?.number;
      void queryClient.invalidateQueries({ queryKey: ticketsKey });
      notifications.show({ color: 'green', message: t('supply.created', { number }) });
      navigate(number ? `/tickets/${number}` : '/tickets');
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const submit = form.onSubmit((v) => {
    const errors: Record<string, string> = {};
    v.lines.forEach((l, i) => {
      if (!l.partId) errors[`lines.${i}.partId`] = t('validation.required');
      if (!(Number(l.quantity) > 0)) errors[`lines.${i}.quantity`] = t('parts.quantityPositive');
    });
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return;
    }
    save.mutate(v);
  });
  return (
    <>
      <PageHeader title={t('supply.title')} description={t('supply.description')} />
      <form onSubmit={submit} noValidate data-testid="supply-form">
        <Stack maw={760}>
          <ErrorAlert error={save.error} skipFieldErrors />
          <Paper withBorder p="md">
            <Stack gap="sm">
              {form.values.lines.map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are edited in place
                <Group key={i} align="flex-start" gap="xs" wrap="wrap" data-testid="supply-line">
                  <PartPicker
                    label={t('supply.part', { n: i + 1 })}
                    value={line.partId}
                    onChange={(v) => form.setFieldValue(`lines.${i}.partId`, v)}
                    error={form.errors[`lines.${i}.partId`]}
                    known={known}
                  />
                  <NumberInput
                    label={t('supply.quantity', { unit: line.partId ? (known.get(line.partId)?.unit ?? '') : '' })}
                    min={1}
                    w={130}
                    required
                    {...form.getInputProps(`lines.${i}.quantity`)}
                    data-testid="supply-quantity"
                  />
                  {form.values.lines.length > 1 ? (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={28}
                      aria-label={t('supply.removeLine', { n: i + 1 })}
                      onClick={() => form.removeListItem('lines', i)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  ) : null}
                  {line.partId && known.get(line.partId) ? <StockHint part={known.get(line.partId)!} quantity={Number(line.quantity) || 0} /> : null}
                </Group>
              ))}
              <Button
                variant="default"
                w="fit-content"
                leftSection={<IconPlus size={16} aria-hidden />}
                onClick={() => form.insertListItem('lines', { partId: null, quantity: 1 })}
                data-testid="add-line"
              >
                {t('supply.addLine')}
              </Button>
            </Stack>
          </Paper>
          <TextInput label={t('supply.titleField')} description={t('supply.titleHint')} {...form.getInputProps('title')} />
          <Textarea label={t('supply.why')} autosize minRows={2} {...form.getInputProps('description')} />
          <Select
            label={t('supply.category')}
            clearable
            searchable
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            {...form.getInputProps('categoryId')}
          />
          <Text size="xs" c="dimmed">
            {t('supply.approvalHint')}
          </Text>
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="submit-supply">
              {t('supply.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
