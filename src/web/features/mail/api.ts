// The e-mail channel's calls and query keys; the shapes are the server's contracts (src/shared/contracts/mail.ts).
import type { Contact, Mailbox, MailboxType, MailSettings } from '../../../shared/contracts/mail';
import { MAILBOX_TYPES } from '../../../shared/contracts/mail';
import { get, patch, post } from '../../lib/api';

export type { Contact, Mailbox, MailboxType, MailSettings };
export { MAILBOX_TYPES };

export const mailboxesKey = ['mailboxes'] as const;
export const mailSettingsKey = ['settings', 'mail'] as const;
export const contactsKey = ['contacts'] as const;

export interface TestResult {
  ok: boolean;
  error?: string;
}

export const testMailbox = (id: string) => post<TestResult>(`/api/v1/mailboxes/${id}/test`);
export const reauthorizeMailbox = (id: string) => post<TestResult>(`/api/v1/mailboxes/${id}/reauthorize`);

/** A Graph mailbox whose authorisation was refused waits for a re-authorisation. */
export const needsReauthorization = (m: Mailbox) => m.type === 'graph' && !!m.lastError?.startsWith('auth_error');

export async function getMailSettings(): Promise<MailSettings> {
  const answer = await get<{ settings?: MailSettings } & Partial<MailSettings>>('/api/v1/settings/mail');
  return (answer.settings ?? answer) as MailSettings;
}
export const saveMailSettings = (body: Partial<MailSettings>) => patch<{ settings: MailSettings }>('/api/v1/settings/mail', body);
