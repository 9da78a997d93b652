// Document shapes and queries (see /api/v1/openapi.json, "documents").
import type { DocumentItem } from '../../../shared/contracts/documents';
import { upload } from '../../lib/api';

export type { DocumentItem } from '../../../shared/contracts/documents';
export const documentsKey = ['documents'] as const;

/** Uploads a file document with its fields (title, category, links). */
export function uploadDocument(
  file: File,
  fields: { title?: string; categoryId?: string | null; assetIds?: string[]; ticketNumbers?: number[] },
) {
  const form = new FormData();
  if (fields.title) form.append('title', fields.title);
  if (fields.categoryId) form.append('categoryId', fields.categoryId);
  if (fields.assetIds?.length) form.append('assetIds', fields.assetIds.join(','));
  if (fields.ticketNumbers?.length) form.append('ticketNumbers', fields.ticketNumbers.join(','));
  form.append('file', file, file.name);
  return upload<{ document: DocumentItem }>('/api/v1/documents', form);
}

export const fileUrl = (d: DocumentItem) => `/api/v1/documents/${d.id}/file`;

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
