// Small building blocks of the ticket screens: badges and a person picker.
import { Badge, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUserOptions } from './api';
import type { Priority, TicketStatus } from '../../../shared/contracts/enums';
import { priorityColor, statusColor } from './colors';

export function StatusBadge({ status, size = 'md' }: { status: TicketStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" size={size} data-testid="ticket-status" data-status={status}>
      {t(`tickets.statuses.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority, size = 'md' }: { priority: Priority; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={priorityColor[priority]} variant="filled" autoContrast size={size} data-testid="ticket-priority">
      {t(`tickets.priorities.${priority}`)}
    </Badge>
  );
}

/** A searchable select over the company's active users; `extra` adds options such as "me". */
export function UserSelect({
  value,
  onChange,
  extra = [],
  current,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null;
  onChange: (value: string | null) => void;
  extra?: { value: string; label: string }[];
  /** The chosen person's name, so it shows before the list has loaded. */
  current?: { id: string; name: string } | null;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const users = useUserOptions(q);
  const data = [...extra];
  for (const u of users.data?.items ?? []) data.push({ value: u.id, label: u.name });
  if (current && !data.some((d) => d.value === current.id)) data.push({ value: current.id, label: current.name });
  return (
    <Select
      searchable
      clearable
      nothingFoundMessage={users.isFetching ? t('common.loading') : t('common.nothingFound')}
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      {...props}
    />
  );
}
