// A button that asks before doing something destructive or hard to undo.
import { Button, type ButtonProps } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  danger = true,
  ...props
}: ButtonProps & {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  danger?: boolean;
  'aria-label'?: string;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      {...props}
      onClick={() =>
        modals.openConfirmModal({
          title,
          children: message,
          labels: { confirm: confirmLabel ?? t('common.confirm'), cancel: t('common.cancel') },
          confirmProps: { color: danger ? 'red' : undefined },
          onConfirm,
        })
      }
    >
      {children}
    </Button>
  );
}
