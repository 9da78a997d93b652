// Add a document (a file, dropped or chosen, or a link) or edit one: title, category, URL.
import { SegmentedControl, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrudFormModal } from '../../components/crud';
import { patch, post } from '../../lib/api';
import { useCrudSave } from '../../lib/crud';
import { usePicklist } from '../assets/api';
import { type DocumentItem, documentsKey, uploadDocument } from './api';
import { DropZone } from './DropZone';

export function DocumentModal({
  document,
  onClose,
  links = {},
}: {
  document: DocumentItem | null;
  onClose: () => void;
  /** Links a new document starts with (the asset or ticket page it is added from). */
  links?: { assetIds?: string[]; ticketNumbers?: number[] };
}) {
  const { t } = useTranslation();
  const categories = usePicklist('document_categories');
  const [kind, setKind] = useState<'file' | 'url'>(document?.kind ?? 'file');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { title: document?.title ?? '', categoryId: (document?.category?.id ?? null) as string | null, url: document?.url ?? '' },
  });
  const save = useCrudSave({
    form,
    save: async (v: typeof form.values): Promise<unknown> => {
      const categoryId = v.categoryId || null;
      if (document) {
        return patch(`/api/v1/documents/${document.id}`, {
          title: v.title.trim(),
          categoryId,
          ...(document.kind === 'url' ? { url: v.url.trim() } : {}),
        });
      }
      if (kind === 'file') return uploadDocument(file as File, { title: v.title.trim() || undefined, categoryId, ...links });
      return post('/api/v1/documents', { title: v.title.trim(), categoryId, url: v.url.trim(), ...links });
    },
    invalidate: documentsKey,
    message: t('documents.saved'),
    onDone: onClose,
  });
  return (
    <CrudFormModal
      title={document ? t('documents.editTitle', { name: document.title }) : t('documents.createTitle')}
      onClose={onClose}
      onSubmit={form.onSubmit((v) => {
        if (!document && kind === 'file' && !file) {
          setFileError(t('documents.fileRequired'));
          return;
        }
        if ((document?.kind === 'url' || (!document && kind === 'url')) && !v.title.trim()) {
          form.setFieldError('title', t('validation.required'));
          return;
        }
        save.mutate(v);
      })}
      saving={save.isPending}
      error={save.error}
      testId="document-form"
    >
      {document ? null : (
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'file' | 'url')}
          data={[
            { value: 'file', label: t('documents.kinds.file') },
            { value: 'url', label: t('documents.kinds.url') },
          ]}
          data-testid="document-kind"
        />
      )}
      {!document && kind === 'file' ? (
        <>
          <DropZone
            file={file}
            onFile={(f) => {
              setFile(f);
              setFileError(null);
            }}
          />
          {fileError ? (
            <div role="alert" style={{ color: 'var(--mantine-color-red-text)', fontSize: 14 }}>
              {fileError}
            </div>
          ) : null}
        </>
      ) : null}
      <TextInput
        label={t('documents.titleField')}
        description={!document && kind === 'file' ? t('documents.titleHint') : undefined}
        data-autofocus
        {...form.getInputProps('title')}
      />
      <Select
        label={t('documents.category')}
        clearable
        data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        {...form.getInputProps('categoryId')}
      />
      {(document ? document.kind === 'url' : kind === 'url') ? (
        <TextInput label={t('documents.url')} type="url" required placeholder="https://" {...form.getInputProps('url')} />
      ) : null}
    </CrudFormModal>
  );
}
