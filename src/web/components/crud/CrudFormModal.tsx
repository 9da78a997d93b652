// The form part of the admin CRUD kit: a modal around a form, the save error (field messages of a
// 400 stay on the fields), and Cancel / Save.
import { Button, Group, Modal, type ModalProps, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../ErrorAlert';

export function CrudFormModal({
  title,
  onClose,
  onSubmit,
  saving,
  error,
  testId,
  submitLabel,
  submitTestId,
  size,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  /** Usually `form.onSubmit((v) => save.mutate(v))`. */
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  saving: boolean;
  error: unknown;
  testId: string;
  submitLabel?: ReactNode;
  submitTestId?: string;
  size?: ModalProps['size'];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <form noValidate data-testid={testId} onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={error} skipFieldErrors />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving} data-testid={submitTestId}>
              {submitLabel ?? t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
