// Mailbox rows for the connector tests, written straight to the database with their secrets
// encrypted as the mailbox API stores them.
import { and, eq, sql } from 'drizzle-orm';
import { mailboxes, mailboxFetchState } from '../src/server/db/schema/index.js';
import { encryptSecret } from '../src/server/platform/crypto.js';
import type { Harness } from './harness.js';

type MailboxValues = Partial<typeof mailboxes.$inferInsert> & { password?: string; clientSecret?: string };

export async function insertMailbox(h: Harness, tenantId: number, values: MailboxValues): Promise<number> {
  const { password, clientSecret, ...rest } = values;
  const secret = h.deps.config.sessionSecret;
  return h.deps.database.withTenant(tenantId, async ({ tx }) => {
    const [row] = await tx
      .insert(mailboxes)
      .values({
        tenantId,
        type: 'imap',
        name: 'Help desk',
        address: 'help@steward.test',
        ...rest,
        passwordEnc: password !== undefined ? encryptSecret(secret, password) : rest.passwordEnc,
        clientSecretEnc: clientSecret !== undefined ? encryptSecret(secret, clientSecret) : rest.clientSecretEnc,
      })
      .returning({ id: mailboxes.id });
    return row.id;
  });
}

export async function updateMailbox(h: Harness, tenantId: number, id: number, values: MailboxValues): Promise<void> {
  const { password, clientSecret, ...rest } = values;
  const secret = h.deps.config.sessionSecret;
  await h.deps.database.withTenant(tenantId, ({ tx }) =>
    tx
      .update(mailboxes)
      .set({
        updatedAt: sql`now()`,
        ...rest,
        ...(password !== undefined ? { passwordEnc: encryptSecret(secret, password) } : {}),
        ...(clientSecret !== undefined ? { clientSecretEnc: encryptSecret(secret, clientSecret) } : {}),
      })
      .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id))),
  );
}

export async function mailboxRow(h: Harness, tenantId: number, id: number) {
  return h.deps.database.withTenant(tenantId, async ({ tx }) => {
    const [row] = await tx
      .select()
      .from(mailboxes)
      .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
    const [state] = await tx
      .select()
      .from(mailboxFetchState)
      .where(and(eq(mailboxFetchState.tenantId, tenantId), eq(mailboxFetchState.mailboxId, id)));
    return { ...row, fetch: state ?? null };
  });
}
