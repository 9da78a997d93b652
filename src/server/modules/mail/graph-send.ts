// Outgoing mail from a Microsoft Graph mailbox goes out through that mailbox (sendMail with the
// whole MIME message), not SMTP: Microsoft 365 tenants often turn SMTP AUTH off, and the reply then
// sits in the mailbox's Sent Items like one written in Outlook. Chosen per message by its company
// and From address; anything else goes by SMTP.
import type { Deps } from '../../platform/context.js';
import type { MailRouter } from '../../platform/mail.js';
import * as repo from './connect.repo.js';
import { connectorOf } from './connect.service.js';

/** The bare address of a From header value (`Name <a@b>` or `a@b`). */
export function bareAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

export function graphMailRouter(deps: Pick<Deps, 'config' | 'database'>): MailRouter {
  return async ({ tenantId, fromAddress }) => {
    if (tenantId === null || !fromAddress) return null;
    const row = await deps.database.withTenant(tenantId, ({ tx }) => repo.graphMailboxByAddress(tx, tenantId, bareAddress(fromAddress)));
    if (!row) return null;
    const connector = connectorOf(deps, row);
    if (connector?.kind !== 'graph') return null;
    return (mime) => connector.client.sendMime(mime);
  };
}
