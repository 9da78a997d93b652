// Records one stock movement: receive, consume (optionally on a ticket), transfer or adjust.
import { Button, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError, post } from '../../lib/api';
import { applyFieldErrors } from '../../lib/forms';
import { LocationSelect } from '../assets/parts';
import { MOVEMENT_TYPES, type MovementType, partKey, partsKey } from './api';

export function MovementForm({
  partId,
  unit,
  types = MOVEMENT_TYPES,
  ticketNumber,
  onDone,
}: {
  partId: string;
  unit?: string;
  types?: readonly MovementType[];
  ticketNumber?: number;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      type: types[0] as MovementType,
      quantity: '' as number | string,
      locationId: null as string | null,
      toLocationId: null as string | null,
      ticketNumber: ticketNumber ? String(ticketNumber) : '',
      note: '',
    },
  });
  const v = form.values;
  const save = useMutation({
    mutationFn: () =>
      // On a ticket's page: "parts used" (inventory.issue), which only consumes and only against this ticket.
      ticketNumber && v.type === 'consume'
        ? post(`/api/v1/tickets/${ticketNumber}/parts`, { partId, quantity: Number(v.quantity), locationId: v.locationId, ...(v.note.trim() ? { note: v.note.trim() } : {}) })
        : post(`/api/v1/parts/${partId}/movements`, {
        type: v.type,
        quantity: Number(v.quantity),
        locationId: v.locationId,
        ...(v.type === 'transfer' ? { toLocationId: v.toLocationId } : {}),
        ...(v.type === 'consume' && v.ticketNumber.trim() ? { ticketNumber: Number(v.ticketNumber.replace(/^#/, '')) } : {}),
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('parts.movementSaved') });
      void queryClient.invalidateQueries({ queryKey: partKey(partId) });
      void queryClient.invalidateQueries({ queryKey: ['part-movements', partId] });
      void queryClient.invalidateQueries({ queryKey: partsKey });
      if (ticketNumber) void queryClient.invalidateQueries({ queryKey: ['ticket-parts', String(ticketNumber)] });
      form.setValues({ quantity: '', note: '' });
      onDone?.();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const submit = form.onSubmit(() => {
    const errors: Record<string, string> = {};
    const q = Number(v.quantity);
    if (v.quantity === '' || !Number.isFinite(q) || (v.type === 'adjust' ? q === 0 : q <= 0))
      errors.quantity = v.type === 'adjust' ? t('parts.quantityNonZero') : t('parts.quantityPositive');
    if (!v.locationId) errors.locationId = t('validation.required');
    if (v.type === 'transfer' && !v.toLocationId) errors.toLocationId = t('validation.required');
    if (v.type === 'transfer' && v.toLocationId && v.toLocationId === v.locationId) errors.toLocationId = t('parts.sameLocation');
    if (v.type === 'adjust' && !v.note.trim()) errors.note = t('parts.reasonRequired');
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return;
    }
    save.mutate();
  });
  const insufficient = save.error instanceof ApiError && save.error.code === 'insufficient_stock';
  return (
    <form onSubmit={submit} noValidate data-testid="movement-form">
      <Stack gap="sm">
        {types.length > 1 ? (
          <SegmentedControl
            aria-label={t('parts.movementType')}
            data={types.map((ty) => ({ value: ty, label: t(`parts.movements.${ty}`) }))}
            value={v.type}
            onChange={(ty) => form.setFieldValue('type', ty as MovementType)}
            fullWidth
            data-testid="movement-type"
          />
        ) : null}
        {insufficient ? (
          <Text c="red" size="sm" role="alert" data-testid="insufficient-stock">
            {t('parts.insufficientStock')}
          </Text>
        ) : (
          <ErrorAlert error={save.error} skipFieldErrors />
        )}
        <NumberInput
          label={v.type === 'adjust' ? t('parts.adjustBy', { unit: unit ?? '' }) : t('parts.quantityIn', { unit: unit ?? '' })}
          description={v.type === 'adjust' ? t('parts.adjustHint') : undefined}
          required
          allowNegative={v.type === 'adjust'}
          {...form.getInputProps('quantity')}
          data-testid="movement-quantity"
        />
        <LocationSelect
          label={v.type === 'transfer' ? t('parts.fromLocation') : t('parts.location')}
          required
          {...form.getInputProps('locationId')}
          data-testid="movement-location"
        />
        {v.type === 'transfer' ? (
          <LocationSelect
            label={t('parts.toLocation')}
            required
            {...form.getInputProps('toLocationId')}
            data-testid="movement-to-location"
          />
        ) : null}
        {v.type === 'consume' && !ticketNumber ? (
          <TextInput label={t('parts.ticketNumber')} inputMode="numeric" {...form.getInputProps('ticketNumber')} />
        ) : null}
        <TextInput
          label={v.type === 'adjust' ? t('parts.reason') : t('parts.note')}
          required={v.type === 'adjust'}
          {...form.getInputProps('note')}
          data-testid="movement-note"
        />
        <Button type="submit" loading={save.isPending} data-testid="save-movement">
          {t(`parts.record.${v.type}`)}
        </Button>
      </Stack>
    </form>
  );
}
