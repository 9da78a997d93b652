// Small building blocks of the asset screens: status badge, location tree picker, picklist picker.
import { Badge, Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type AssetStatus, assetStatusColor, type PicklistName, treeOrder, useLocations, usePicklist } from './api';

export function AssetStatusBadge({ status, size = 'md' }: { status: AssetStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={assetStatusColor[status] ?? 'gray'} variant="light" size={size} data-testid="asset-status" data-status={status}>
      {t(`assets.statuses.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function OverdueBadge({ size = 'md' }: { size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" size={size} data-testid="overdue-badge">
      {t('assets.overdue')}
    </Badge>
  );
}

/** A searchable select over the location tree; each option shows its path, indented by depth. */
export function LocationSelect({
  value,
  onChange,
  exclude,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Ids to leave out (a location and its subtree, when moving it). */
  exclude?: Set<string>;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const locations = useLocations();
  const ordered = treeOrder(locations.data?.items ?? []).filter((l) => !exclude?.has(l.id));
  const data = ordered.map((l) => ({ value: l.id, label: l.label }));
  return (
    <Select
      searchable
      clearable
      placeholder={t('search.locations')}
      nothingFoundMessage={locations.isFetching ? t('common.loading') : t('common.nothingFound')}
      data={data}
      value={value ?? null}
      onChange={(v) => onChange?.(v)}
      renderOption={({ option }) => {
        const depth = ordered.find((l) => l.id === option.value)?.depth ?? 0;
        const name = option.label.split(' › ').pop();
        return <span style={{ paddingLeft: depth * 14 }}>{name}</span>;
      }}
      {...props}
    />
  );
}

export function PicklistSelect({
  list,
  value,
  onChange,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  list: PicklistName;
  value?: string | null;
  onChange?: (value: string | null) => void;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const items = usePicklist(list);
  return (
    <Select
      searchable
      clearable
      placeholder={t('search.typeToFind')}
      data={(items.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))}
      value={value ?? null}
      onChange={(v) => onChange?.(v)}
      {...props}
    />
  );
}
