// Pickers of the ticket forms, searched on the server: assets (tag, name, serial), the people who may
// work tickets, the people a ticket may be opened for; and the overdue flag.
import { Badge, MultiSelect, type MultiSelectProps, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconClockExclamation } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../lib/format';
import { useCompanyZone } from '../../lib/useCompanyZone';
import { instantToWallClock } from '../../../shared/time';
import { isOverdue, useAssetOptions, useTicketPeople } from './api';

export const assetLabel = (a: { tag: string; name: string; serial?: string | null }) => `${a.tag} · ${a.name}${a.serial ? ` (${a.serial})` : ''}`;

/** Several assets, searched by tag, name or serial; the chosen ones keep their labels while the search changes. */
export function AssetMultiPicker({
  value,
  onChange,
  ...props
}: Omit<MultiSelectProps, 'data' | 'value' | 'onChange'> & { value: string[]; onChange: (ids: string[]) => void; 'data-testid'?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const assets = useAssetOptions(q);
  const [known, setKnown] = useState<Record<string, string>>({});
  const data = (assets.data?.items ?? []).map((a) => ({ value: a.id, label: assetLabel(a) }));
  for (const id of value) if (!data.some((d) => d.value === id) && known[id]) data.push({ value: id, label: known[id] });
  return (
    <MultiSelect
      searchable
      clearable
      hidePickedOptions
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(ids) => {
        const labels = { ...known };
        for (const d of data) if (ids.includes(d.value)) labels[d.value] = d.label;
        setKnown(labels);
        onChange(ids);
      }}
      filter={({ options }) => options}
      nothingFoundMessage={assets.isFetching ? t('common.loading') : t('common.nothingFound')}
      placeholder={value.length ? undefined : t('ticketLinks.linkPlaceholder')}
      clearButtonProps={{ 'aria-label': t('ticketLinks.clearAssets') }}
      {...props}
    />
  );
}

/** One asset, searched by tag, name or serial (linking from the ticket page). */
export function AssetPicker({
  exclude = [],
  onPick,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & { exclude?: string[]; onPick: (asset: { id: string; name: string }) => void; 'data-testid'?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const assets = useAssetOptions(q);
  const items = (assets.data?.items ?? []).filter((a) => !exclude.includes(a.id));
  return (
    <Select
      searchable
      data={items.map((a) => ({ value: a.id, label: assetLabel(a) }))}
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => {
        const a = items.find((x) => x.id === id);
        if (a) {
          setSearch('');
          onPick({ id: a.id, name: a.name });
        }
      }}
      filter={({ options }) => options}
      nothingFoundMessage={assets.isFetching ? t('common.loading') : t('common.nothingFound')}
      placeholder={t('ticketLinks.linkPlaceholder')}
      {...props}
    />
  );
}

/** A person from GET /tickets/assignees (who may work tickets) or /tickets/requesters, searched on the server. */
export function TicketPersonSelect({
  kind,
  value,
  onChange,
  current,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  kind: 'assignees' | 'requesters';
  value: string | null;
  onChange: (value: string | null) => void;
  current?: { id: string; name: string } | null;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const people = useTicketPeople(kind, q);
  const [known, setKnown] = useState<Record<string, string>>(current ? { [current.id]: current.name } : {});
  const data = (people.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  if (value && !data.some((d) => d.value === value) && known[value]) data.push({ value, label: known[value] });
  return (
    <Select
      searchable
      clearable
      data={data}
      value={value}
      onChange={(v) => {
        const d = data.find((x) => x.value === v);
        if (d) setKnown({ ...known, [d.value]: d.label });
        onChange(v);
      }}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={people.isFetching ? t('common.loading') : t('common.nothingFound')}
      clearButtonProps={{ 'aria-label': t('ticketLinks.clearPerson') }}
      {...props}
    />
  );
}

/** "Overdue" on a ticket past its due date that is not done yet; nothing otherwise. */
export function OverdueBadge({ ticket, size = 'md', withDate = false }: { ticket: { dueAt: string | null; status: string }; size?: 'sm' | 'md' | 'lg'; withDate?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const zone = useCompanyZone();
  if (!isOverdue(ticket) || !ticket.dueAt) return null;
  // The due day as the company's calendar names it.
  const day = instantToWallClock(new Date(ticket.dueAt), zone).date;
  return (
    <Badge color="red.9" variant="filled" size={size} leftSection={<IconClockExclamation size={12} aria-hidden />} data-testid="ticket-overdue" style={{ flexShrink: 0 }}>
      {withDate ? t('ticketLinks.overdueSince', { date: fmt(day) }) : t('ticketLinks.overdue')}
    </Badge>
  );
}
