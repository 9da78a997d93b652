// Documents: company knowledge by category (files and links), searchable, with upload by drag and drop.
import { Anchor, Badge, Group, Select, Stack, Text } from '@mantine/core';
import { IconExternalLink, IconFile } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CrudTable, DeleteButton, EditButton, NewButton, SearchInput } from '../../components/crud';
import { PageHeader } from '../../components/PageHeader';
import { del } from '../../lib/api';
import { textMatches, useCrudDelete, useCrudList, useEditing } from '../../lib/crud';
import { useCan } from '../../lib/useCan';
import { usePicklist } from '../assets/api';
import { type DocumentItem, documentsKey, fileUrl, sizeLabel } from './api';
import { DocumentModal } from './DocumentModal';

export function DocumentTitle({ d }: { d: DocumentItem }) {
  return d.kind === 'file' ? (
    <Anchor href={fileUrl(d)} target="_blank" rel="noopener" fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="document-link">
      <IconFile size={14} aria-hidden /> {d.title}
    </Anchor>
  ) : (
    <Anchor
      href={d.url ?? '#'}
      target="_blank"
      rel="noopener noreferrer"
      fw={500}
      style={{ overflowWrap: 'anywhere' }}
      data-testid="document-link"
    >
      <IconExternalLink size={14} aria-hidden /> {d.title}
    </Anchor>
  );
}

export function DocumentsPage() {
  const { t } = useTranslation();
  const canManage = useCan('documents.manage');
  const categories = usePicklist('document_categories');
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const edit = useEditing<DocumentItem>();
  const list = useCrudList<DocumentItem>({
    key: [...documentsKey, categoryId ?? 'all'],
    path: '/api/v1/documents',
    query: { categoryId: categoryId ?? undefined },
    matches: (d, q) => textMatches(q, d.title, d.file?.name),
  });
  const remove = useCrudDelete<DocumentItem>({
    remove: (d) => del(`/api/v1/documents/${d.id}`),
    invalidate: documentsKey,
    message: t('documents.deleted'),
  });
  return (
    <>
      <PageHeader
        title={t('documents.title')}
        actions={
          <NewButton allowed={canManage} onClick={() => edit.open('new')} testId="new-document">
            {t('documents.new')}
          </NewButton>
        }
      />
      <SearchInput {...list.search} placeholder={t('documents.searchHint')}>
        <Select
          label={t('documents.category')}
          placeholder={t('documents.allCategories')}
          clearable
          value={categoryId}
          onChange={setCategoryId}
          data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          style={{ flex: '0 1 220px' }}
          data-testid="document-category-filter"
        />
      </SearchInput>
      <CrudTable
        list={list}
        testId="documents-table"
        rowTestId="document-row"
        empty={t('documents.none')}
        nothingFound={t('documents.nothingFound')}
        columns={[
          { key: 'title', header: t('documents.titleField'), bare: true, cell: (d) => <DocumentTitle d={d} /> },
          {
            key: 'category',
            header: t('documents.category'),
            cell: (d) => (d.category ? <Badge variant="light">{d.category.name}</Badge> : <Text c="dimmed">—</Text>),
          },
          {
            key: 'kind',
            header: t('documents.kind'),
            cell: (d) => (d.file ? `${d.file.name} · ${sizeLabel(d.file.size)}` : t('documents.kinds.url')),
          },
          {
            key: 'links',
            header: t('documents.links'),
            cell: (d) => (
              <Stack gap={2}>
                {d.assets.map((a) => (
                  <Anchor key={a.id} component={Link} to={`/assets/${a.id}`} size="sm">
                    {a.tag} · {a.name}
                  </Anchor>
                ))}
                {d.tickets.map((tk) => (
                  <Anchor key={tk.number} component={Link} to={`/tickets/${tk.number}`} size="sm">
                    #{tk.number} {tk.title}
                  </Anchor>
                ))}
              </Stack>
            ),
          },
        ]}
        actions={
          canManage
            ? (d) => (
                <Group gap="xs" wrap="nowrap">
                  <EditButton onClick={() => edit.open(d)} label={t('documents.editOne', { name: d.title })} />
                  <DeleteButton
                    onConfirm={() => remove.mutate(d)}
                    label={t('documents.deleteOne', { name: d.title })}
                    title={t('documents.deleteTitle', { name: d.title })}
                    message={t('documents.deleteConfirm')}
                  />
                </Group>
              )
            : undefined
        }
      />
      {edit.editing ? <DocumentModal key={edit.current?.id ?? 'new'} document={edit.current} onClose={edit.close} /> : null}
    </>
  );
}
