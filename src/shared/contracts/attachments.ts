// Ticket attachments.
import { z } from 'zod';
import { page, ref } from './common.js';

export const attachment = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  commentId: z.string().nullable(),
  internal: z.boolean(),
  uploadedBy: ref.nullable(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof attachment>;
export const attachmentAnswer = z.object({ attachment });
export const attachmentList = page(attachment);
