// The list part of the admin CRUD kit: loading, error with retry, empty state, a table on wide
// screens that becomes one card per row on a phone, the row actions, and "Load more".
import { Card, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../EmptyState';
import { ErrorAlert } from '../ErrorAlert';
import { LoadMore } from '../LoadMore';
import { PageLoader } from '../PageLoader';

const stickyEnd = { position: 'sticky', right: 0, background: 'var(--mantine-color-body)' } as const;

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (item: T) => ReactNode;
  /** Not repeated as "header: value" on a card (the card's title column, say). */
  bare?: boolean;
}

/** What the table needs of a list: a useCrudList/useKeysetList result, or a plain query. */
export interface ListLike<T> {
  items: T[];
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  fetchNextPage?: () => unknown;
  q?: string;
}

export function CrudTable<T extends { id: string }>({
  list,
  columns,
  actions,
  empty,
  nothingFound,
  testId,
  rowTestId,
  rowProps,
  minWidth = 520,
  compact = false,
  stickyActions = false,
}: {
  list: ListLike<T>;
  columns: Column<T>[];
  /** Row actions (edit, delete…); only shown when the caller renders any. */
  actions?: (item: T) => ReactNode;
  empty: ReactNode;
  /** Shown instead of `empty` while a search finds nothing. */
  nothingFound?: ReactNode;
  testId: string;
  rowTestId?: string;
  rowProps?: (item: T) => Record<string, string | boolean | undefined>;
  minWidth?: number;
  /** Denser rows (the user's "compact" preference). */
  compact?: boolean;
  /** Keep the actions column in view while a narrow screen scrolls a wide table sideways. */
  stickyActions?: boolean;
}) {
  const { t } = useTranslation();
  // Read at once (not after a first render): a phone never flashes the table.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => list.refetch()} />;
  if (list.items.length === 0) {
    return <EmptyState message={list.q && nothingFound ? nothingFound : list.q ? t('common.nothingFound') : empty} />;
  }
  const more = list.fetchNextPage ? (
    <LoadMore
      hasNextPage={!!list.hasNextPage}
      isFetchingNextPage={!!list.isFetchingNextPage}
      fetchNextPage={list.fetchNextPage}
    />
  ) : null;

  if (phone) {
    return (
      <>
        <Stack gap="sm" data-testid={testId}>
          {list.items.map((item) => {
            const [first, ...rest] = columns;
            const tools = actions?.(item);
            return (
              <Card key={item.id} withBorder padding="sm" data-testid={rowTestId} {...rowProps?.(item)}>
                <Stack gap={4} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    {first ? <div>{first.cell(item)}</div> : null}
                    {rest.map((c) =>
                      c.bare ? (
                        <div key={c.key}>{c.cell(item)}</div>
                      ) : (
                        <Text key={c.key} size="sm" component="div">
                          <Text span c="dimmed" size="sm">
                            {c.header}:
                          </Text>{' '}
                          {c.cell(item)}
                        </Text>
                      ),
                    )}
                  {tools ? (
                    <Group gap="xs" mt={4}>
                      {tools}
                    </Group>
                  ) : null}
                </Stack>
              </Card>
            );
          })}
        </Stack>
        {more}
      </>
    );
  }

  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped highlightOnHover verticalSpacing={compact ? 4 : undefined} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key}>{c.header}</Table.Th>
              ))}
              {actions ? (
                <Table.Th style={stickyActions ? stickyEnd : undefined}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((item) => (
              <Table.Tr key={item.id} data-testid={rowTestId} {...rowProps?.(item)}>
                {columns.map((c) => (
                  <Table.Td key={c.key}>{c.cell(item)}</Table.Td>
                ))}
                {actions ? (
                  <Table.Td style={stickyActions ? stickyEnd : undefined}>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      {actions(item)}
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {more}
    </>
  );
}
