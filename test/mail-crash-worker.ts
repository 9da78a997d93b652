// A worker process for the crash test (test/service/mail-crash.test.ts), run with `node --import tsx`.
//   setup  <json>: migrates the database, makes a company and an IMAP mailbox, prints {tenantId, mailboxId}
//   drain  <json>: fetches the mailbox once under lease owner `owner`, prints the outcome (killed with -9 midway)
//   report <json>: prints what the database holds for the mailbox
// <json>: {databaseUrl, dataDir, sessionSecret, imap?: {host, port, user, password}, tenantId?, mailboxId?, owner?}
import { createDeps } from '../src/server/runtime.js';
import { testConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { insertCompany } from '../src/server/modules/companies/companies.repo.js';
import { fetchMailbox } from '../src/server/modules/mail/connect.service.js';
import { mailboxes } from '../src/server/db/schema/index.js';
import { encryptSecret } from '../src/server/platform/crypto.js';

const [mode, json] = process.argv.slice(2);
const args = JSON.parse(json) as {
  databaseUrl: string | null;
  dataDir: string;
  sessionSecret: string;
  imap?: { host: string; port: number; user: string; password: string };
  tenantId?: number;
  mailboxId?: number;
  owner?: string;
};
const config = testConfig({ databaseUrl: args.databaseUrl, dataDir: args.dataDir, sessionSecret: args.sessionSecret });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 3 });
await database.migrate();
const deps = await createDeps(config, { database, log: createLogger('silent') });
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'setup') {
  const imap = args.imap as NonNullable<typeof args.imap>;
  const made = await database.system(({ tx }) => insertCompany(tx, { name: 'Crash Co', slug: `crash-${Date.now()}`, contactEmail: 'admin@crash.test', seats: 10, signupKeyHash: null }));
  const tenantId = made.company.id;
  const mailboxId = await database.withTenant(tenantId, async ({ tx }) => {
    const [row] = await tx
      .insert(mailboxes)
      .values({ tenantId, type: 'imap', name: 'Crash box', address: imap.user, host: imap.host, port: imap.port, secure: false, username: imap.user, passwordEnc: encryptSecret(args.sessionSecret, imap.password), folder: 'INBOX' })
      .returning({ id: mailboxes.id });
    return row.id;
  });
  out({ tenantId, mailboxId });
} else if (mode === 'drain') {
  const outcome = await fetchMailbox(deps, args.tenantId as number, args.mailboxId as number, { owner: args.owner });
  out(outcome);
} else if (mode === 'report') {
  const q = async (text: string) => Number(Object.values((await database.query<Record<string, unknown>>(text, [args.tenantId, args.mailboxId])).rows[0])[0]);
  out({
    inbound: await q('select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2'),
    distinctKeys: await q('select count(distinct message_id_key) from inbound_messages where tenant_id = $1 and mailbox_id = $2'),
    created: await q("select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2 and result = 'created'"),
    tickets: await q("select count(*) from tickets where tenant_id = $1 and $2::bigint is not null and source = 'email'"),
    ticketsWithOneMessage: await q(
      'select count(*) from (select ticket_id from inbound_messages where tenant_id = $1 and mailbox_id = $2 and ticket_id is not null group by ticket_id having count(*) = 1) t',
    ),
  });
}
await database.close();
process.exit(0);
