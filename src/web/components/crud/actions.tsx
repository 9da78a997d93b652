// Buttons of the admin CRUD kit: "New …" in the page header, search, and the row actions. Each is
// shown only to those allowed (the server still decides).
import { Button, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../ConfirmButton';

export function NewButton({
  allowed = true,
  onClick,
  children,
  testId,
}: {
  allowed?: boolean;
  onClick: () => void;
  children: ReactNode;
  testId?: string;
}) {
  if (!allowed) return null;
  return (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={onClick} data-testid={testId}>
      {children}
    </Button>
  );
}

export function EditButton({
  allowed = true,
  onClick,
  label,
}: {
  allowed?: boolean;
  onClick: () => void;
  /** Accessible name naming the row: "Edit Facilities". */
  label: string;
}) {
  const { t } = useTranslation();
  if (!allowed) return null;
  return (
    <Button size="xs" variant="default" onClick={onClick} aria-label={label}>
      {t('common.edit')}
    </Button>
  );
}

export function DeleteButton({
  allowed = true,
  onConfirm,
  label,
  title,
  message,
  confirmLabel,
  loading,
  children,
}: {
  allowed?: boolean;
  onConfirm: () => void;
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  loading?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (!allowed) return null;
  return (
    <ConfirmButton
      size="xs"
      variant="light"
      color="red"
      title={title}
      message={message}
      confirmLabel={confirmLabel ?? t('common.delete')}
      onConfirm={onConfirm}
      loading={loading}
      aria-label={label}
      style={{ flexShrink: 0 }}
    >
      {children ?? t('common.delete')}
    </ConfirmButton>
  );
}

export function SearchInput({
  value,
  onChange,
  label,
  placeholder,
  children,
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  placeholder?: string;
  /** Further filters beside the search box. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const input = (
    <TextInput
      label={label ?? t('common.search')}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      style={{ flex: '1 1 220px' }}
      type="search"
      mb={children ? undefined : 'md'}
      data-testid="list-search"
    />
  );
  if (!children) return input;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 'var(--mantine-spacing-sm)', alignItems: 'flex-end', marginBottom: 'var(--mantine-spacing-md)' }}>
      {input}
      {children}
    </div>
  );
}
