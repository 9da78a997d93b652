// Real mail servers for the mailbox connector tests: a throwaway Dovecot IMAP server (Debian's
// dovecot-imapd, config from /work/shared/testing/dovecot-test.conf) and a local HTTP server standing
// in for Microsoft Graph (token endpoint, message list with @odata.nextLink paging, raw MIME, move,
// mark read, sendMail) answering with the shapes Graph sends.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './smtp.js';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
export const HAS_DOVECOT = existsSync(DOVECOT_BIN);
/** Why IMAP suites are skipped, printed once (only when Dovecot is absent). */
export const NO_DOVECOT = `${DOVECOT_BIN} is absent: install dovecot-imapd (as .ci/run does) to run the IMAP tests`;

const CONFIG = `protocols = imap
listen = 127.0.0.1
base_dir = @DIR@/run
state_dir = @DIR@/state
log_path = @DIR@/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:@DIR@/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
mail_max_userip_connections = 100
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = @PORT@
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @DIR@/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=@DIR@/mail/%u
}
`;

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: string;
  port: number;
  /** With `tls`: the port that speaks TLS from the first byte (imaps), and the CA that signed its certificate. */
  tlsPort: number | null;
  caPem: string | null;
  dir: string;
  /** An IMAP session for a user (the caller logs out). */
  open(user: DovecotUser): Promise<ImapFlow>;
  /** APPENDs raw messages to a folder (created when missing); flags default to none (unseen). */
  deliver(user: DovecotUser, messages: Array<string | Buffer>, folder?: string, flags?: string[]): Promise<void>;
  /** Per folder: how many messages, and how many carry \Seen. */
  count(user: DovecotUser, folder?: string): Promise<{ total: number; seen: number }>;
  /** Drops every IMAP session of a user (doveadm kick), as a server restart or a network cut would. */
  kick(user: DovecotUser): void;
  stop(): Promise<void>;
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it (openssl). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => path.join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Steward test CA',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('ext.cnf'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  run([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  ]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/** Starts a fresh Dovecot with the given users; stop() kills it by pid and removes its folder. */
export async function startDovecot(users: DovecotUser[], opts: { noIdle?: boolean; tls?: boolean } = {}): Promise<Dovecot> {
  const dir = path.join(tmpdir(), `steward-dovecot-${randomBytes(4).toString('hex')}`);
  const port = await freePort();
  await mkdir(path.join(dir, 'mail'), { recursive: true });
  await chmod(dir, 0o755);
  await writeFile(path.join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}`).join('\n') + '\n');
  // Without IDLE among the capabilities (a server that only can be polled).
  const capability = opts.noIdle
    ? 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED MOVE LITERAL+\n'
    : '';
  // No delay after a failed login (Dovecot's is 2 s per failure, doubled per failure from one address
  // up to 15 s): the wrong-password tests would otherwise spend most of their time waiting it out.
  const noPenalty = 'auth_failure_delay = 0\nservice anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n';
  let config = `${CONFIG.replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port))}${capability}${noPenalty}`;
  let tlsPort: number | null = null;
  let caPem: string | null = null;
  if (opts.tls) {
    // The plain listener stays (APPEND in tests, STARTTLS offered); imaps listens beside it.
    tlsPort = await freePort();
    const certs = makeCertificates(dir);
    caPem = await readFile(certs.ca, 'utf8');
    config = config
      .replace('ssl = no', `ssl = yes\nssl_cert = <${certs.cert}\nssl_key = <${certs.key}`)
      .replace(
        '  inet_listener imap {',
        `  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${tlsPort}\n    ssl = yes\n  }\n  inet_listener imap {`,
      );
  }
  await writeFile(path.join(dir, 'dovecot.conf'), config);
  execFileSync('chown', ['-R', 'dovecot:dovecot', path.join(dir, 'mail')]);
  // Dovecot daemonises: its output goes to a file, so the daemon keeps no pipe of ours open.
  const started = spawnSync(DOVECOT_BIN, ['-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  if (started.status !== 0) {
    const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    throw new Error(`dovecot did not start (exit ${started.status}): ${log}`);
  }
  const host = '127.0.0.1';
  await waitForPort(host, port);

  const open = async (u: DovecotUser) => {
    // With TLS on, the plain port offers STARTTLS: the harness trusts its own CA.
    const client = new ImapFlow({
      host,
      port,
      secure: false,
      auth: { user: u.user, pass: u.password },
      logger: false,
      ...(caPem ? { tls: { ca: [caPem] } } : {}),
    });
    await client.connect();
    return client;
  };

  if (tlsPort) await waitForPort(host, tlsPort);
  return {
    host,
    port,
    tlsPort,
    caPem,
    dir,
    open,
    async deliver(u, messages, folder = 'INBOX', flags = []) {
      const c = await open(u);
      try {
        if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => undefined);
        for (const m of messages) await c.append(folder, typeof m === 'string' ? Buffer.from(m) : m, flags);
      } finally {
        await c.logout().catch(() => undefined);
      }
    },
    async count(u, folder = 'INBOX') {
      const c = await open(u);
      try {
        const status = await c.status(folder, { messages: true, unseen: true }).catch(() => null);
        if (!status) return { total: 0, seen: 0 };
        return { total: status.messages ?? 0, seen: (status.messages ?? 0) - (status.unseen ?? 0) };
      } finally {
        await c.logout().catch(() => undefined);
      }
    },
    kick(u) {
      execFileSync('/usr/bin/doveadm', ['-c', path.join(dir, 'dovecot.conf'), 'kick', u.user], { stdio: 'ignore' });
    },
    async stop() {
      const pidFile = path.join(dir, 'run', 'master.pid');
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(host: string, port: number): Promise<void> {
  const net = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

/** A small .eml with a unique Message-ID. */
export function eml(
  opts: { from?: string; to?: string; subject?: string; body?: string; messageId?: string; headers?: Record<string, string> } = {},
): string {
  const id = opts.messageId ?? `<${randomUUID()}@example.org>`;
  const extra = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return (
    `From: ${opts.from ?? 'Ann Requester <ann@example.org>'}\r\n` +
    `To: ${opts.to ?? 'help@steward.test'}\r\n` +
    `Subject: ${opts.subject ?? 'Printer on floor 2 is jammed'}\r\n` +
    `Message-ID: ${id}\r\n` +
    'Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n' +
    extra +
    `\r\n${opts.body ?? 'It blinks orange and will not print.'}\r\n`
  );
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph stand-in

export interface FakeGraphMessage {
  id: string;
  raw: string;
  isRead: boolean;
  folder: string;
  internetMessageId: string;
  receivedDateTime: string;
}

export interface FakeGraph {
  /** The base of the login endpoints (stands in for https://login.microsoftonline.com). */
  loginUrl: string;
  /** The base of the Graph API (stands in for https://graph.microsoft.com). */
  graphUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  mailbox: string;
  messages: FakeGraphMessage[];
  folders: Array<{ id: string; displayName: string }>;
  sent: unknown[];
  /** Every request, "METHOD path" (for assertions on what was called, and in which order). */
  log: string[];
  tokensIssued: number;
  /** Page size of the message list ($top is capped at this). */
  pageSize: number;
  /** When set, the token endpoint refuses the secret (as Entra ID does for an expired one). */
  rejectSecret: boolean;
  /** When set, the API answers 401 InvalidAuthenticationToken (a revoked consent). */
  rejectTokens: boolean;
  deliver(raw: string): FakeGraphMessage;
  /** Forgets every token issued so far (Graph stops taking them; new ones work). */
  revokeIssuedTokens(): void;
  inFolder(folder: string): FakeGraphMessage[];
  close(): Promise<void>;
}

export async function startFakeGraph(opts: { pageSize?: number } = {}): Promise<FakeGraph> {
  const tenantId = randomUUID();
  const state: FakeGraph = {
    loginUrl: '',
    graphUrl: '',
    tenantId,
    clientId: randomUUID(),
    clientSecret: `secret~${randomBytes(8).toString('hex')}`,
    mailbox: 'support@contoso.test',
    messages: [],
    folders: [
      { id: 'AAMkInbox', displayName: 'Inbox' },
      { id: 'AAMkArchive', displayName: 'Archive' },
    ],
    sent: [],
    log: [],
    tokensIssued: 0,
    pageSize: opts.pageSize ?? 10,
    rejectSecret: false,
    rejectTokens: false,
    deliver(raw) {
      const mid = /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? `<${randomUUID()}@fake>`;
      const m: FakeGraphMessage = {
        id: `AAMkAG${randomBytes(12).toString('base64url')}=`,
        raw,
        isRead: false,
        folder: 'AAMkInbox',
        internetMessageId: mid,
        receivedDateTime: new Date(Date.UTC(2026, 11, 1, 10, 0, state.messages.length)).toISOString().replace('.000Z', 'Z'),
      };
      state.messages.push(m);
      return m;
    },
    inFolder: (folder) => state.messages.filter((m) => m.folder === folder),
    revokeIssuedTokens: () => tokens.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const tokens = new Set<string>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    state.log.push(`${req.method} ${url.pathname}`);
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
        ...headers,
      });
      res.end(JSON.stringify(value));
    };
    const graphError = (status: number, code: string, message: string) =>
      json(status, {
        error: {
          code,
          message,
          innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
        },
      });

    // --- Entra ID (login.microsoftonline.com)
    const login = /^\/login\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (login) {
      const [, tenant, rest] = login;
      // Endpoints as Entra ID names them: the connector's network client maps the host to this server.
      const authority = `https://login.microsoftonline.com/${tenant}`;
      if (rest === 'v2.0/.well-known/openid-configuration') {
        return json(200, {
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce'],
          kerberos_endpoint: `${authority}/kerberos`,
          tenant_region_scope: 'EU',
          cloud_instance_name: 'microsoftonline.com',
          cloud_graph_host_name: 'graph.windows.net',
          msgraph_host: 'graph.microsoft.com',
          rbac_url: 'https://pas.windows.net',
        });
      }
      if (rest === 'discovery/instance' || url.pathname.endsWith('/discovery/instance')) {
        return json(200, {
          tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            {
              preferred_network: 'login.microsoftonline.com',
              preferred_cache: 'login.windows.net',
              aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
            },
          ],
        });
      }
      if (rest === 'oauth2/v2.0/token' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        const trace = {
          timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
          trace_id: randomUUID(),
          correlation_id: form.get('client-request-id') ?? randomUUID(),
        };
        if (tenant !== state.tenantId) {
          return json(400, {
            error: 'invalid_request',
            error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
            error_codes: [90002],
            ...trace,
          });
        }
        if (form.get('client_id') !== state.clientId) {
          return json(400, {
            error: 'unauthorized_client',
            error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
            error_codes: [700016],
            ...trace,
          });
        }
        if (state.rejectSecret || form.get('client_secret') !== state.clientSecret) {
          return json(401, {
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${state.clientId}'.`,
            error_codes: [7000215],
            ...trace,
          });
        }
        const token = `eyJ0eXAiOiJKV1Qi.${randomBytes(24).toString('base64url')}`;
        tokens.add(token);
        state.tokensIssued++;
        return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      }
      return json(404, { error: 'not_found' });
    }

    // --- Graph (graph.microsoft.com/v1.0)
    const g = /^\/graph\/v1\.0\/users\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!g) return graphError(400, 'BadRequest', 'Resource not found for the segment.');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7)) || state.rejectTokens) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    const who = decodeURIComponent(g[1]);
    if (who.toLowerCase() !== state.mailbox.toLowerCase())
      return graphError(404, 'ErrorInvalidUser', `The requested user '${who}' is invalid.`);
    const rest = g[2] ?? '';
    const folderOf = (name: string) => state.folders.find((f) => f.id === name || f.displayName.toLowerCase() === name.toLowerCase());
    const wellKnown: Record<string, string> = { inbox: 'AAMkInbox', archive: 'AAMkArchive' };
    const context = `${state.graphUrl}/v1.0/$metadata#users('${encodeURIComponent(state.mailbox)}')`;

    let m: RegExpExecArray | null;
    if ((m = /^\/mailFolders\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
      const folderId = wellKnown[m[1].toLowerCase()] ?? folderOf(m[1])?.id;
      const f = state.folders.find((x) => x.id === folderId);
      if (!f) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return json(200, {
        '@odata.context': `${context}/mailFolders/$entity`,
        id: f.id,
        displayName: f.displayName,
        parentFolderId: 'AAMkRoot',
        childFolderCount: 0,
        unreadItemCount: state.inFolder(f.id).filter((x) => !x.isRead).length,
        totalItemCount: state.inFolder(f.id).length,
        sizeInBytes: 0,
        isHidden: false,
      });
    }
    if ((m = /^\/mailFolders\/([^/]+)\/messages$/.exec(rest)) && req.method === 'GET') {
      const folderId = wellKnown[m[1].toLowerCase()] ?? folderOf(m[1])?.id;
      if (!folderId) return graphError(404, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      const filter = url.searchParams.get('$filter') ?? '';
      let list = state.inFolder(folderId);
      if (/isRead eq false/i.test(filter)) list = list.filter((x) => !x.isRead);
      list = [...list].sort((a, b) => a.receivedDateTime.localeCompare(b.receivedDateTime));
      const top = Math.min(Number(url.searchParams.get('$top') ?? 10), state.pageSize);
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const page = list.slice(skip, skip + top);
      const answer: Record<string, unknown> = {
        '@odata.context': `${context}/mailFolders('${m[1]}')/messages(id,internetMessageId,receivedDateTime,isRead)`,
        value: page.map((x) => ({
          '@odata.etag': `W/"CQAAABYAAAA${x.id.slice(6, 14)}"`,
          id: x.id,
          receivedDateTime: x.receivedDateTime,
          isRead: x.isRead,
          internetMessageId: x.internetMessageId,
        })),
      };
      if (skip + top < list.length) {
        const next = new URL(`${state.graphUrl}/v1.0/users/${encodeURIComponent(who)}/mailFolders/${m[1]}/messages`);
        for (const [k, v] of url.searchParams) if (k !== '$skip') next.searchParams.set(k, v);
        next.searchParams.set('$skip', String(skip + top));
        answer['@odata.nextLink'] = next.toString();
      }
      return json(200, answer);
    }
    if (rest === '/mailFolders' && req.method === 'GET') {
      const filter = /displayName eq '([^']*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      const list = state.folders.filter((f) => filter === undefined || f.displayName === filter);
      return json(200, {
        '@odata.context': `${context}/mailFolders`,
        value: list.map((f) => ({
          id: f.id,
          displayName: f.displayName,
          parentFolderId: 'AAMkRoot',
          childFolderCount: 0,
          unreadItemCount: state.inFolder(f.id).filter((x) => !x.isRead).length,
          totalItemCount: state.inFolder(f.id).length,
          sizeInBytes: 0,
          isHidden: false,
        })),
      });
    }
    if (rest === '/mailFolders' && req.method === 'POST') {
      const { displayName } = JSON.parse(body || '{}') as { displayName?: string };
      if (!displayName) return graphError(400, 'ErrorInvalidRequest', 'displayName is required.');
      if (folderOf(displayName)) return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
      const f = { id: `AAMkF${randomBytes(6).toString('hex')}`, displayName };
      state.folders.push(f);
      return json(201, {
        '@odata.context': `${context}/mailFolders/$entity`,
        ...f,
        parentFolderId: 'AAMkRoot',
        childFolderCount: 0,
        unreadItemCount: 0,
        totalItemCount: 0,
        sizeInBytes: 0,
        isHidden: false,
      });
    }
    if ((m = /^\/messages\/([^/]+)\/\$value$/.exec(rest)) && req.method === 'GET') {
      const msg = state.messages.find((x) => x.id === decodeURIComponent(m?.[1] ?? ''));
      if (!msg) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(msg.raw);
    }
    if ((m = /^\/messages\/([^/]+)\/move$/.exec(rest)) && req.method === 'POST') {
      const msg = state.messages.find((x) => x.id === decodeURIComponent(m?.[1] ?? ''));
      if (!msg) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const { destinationId } = JSON.parse(body || '{}') as { destinationId?: string };
      const dest = destinationId ? (wellKnown[destinationId.toLowerCase()] ?? folderOf(destinationId)?.id) : undefined;
      if (!dest) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      msg.folder = dest;
      msg.id = `AAMkAG${randomBytes(12).toString('base64url')}=`; // a move gives the message a new id
      return json(201, {
        '@odata.context': `${context}/messages/$entity`,
        id: msg.id,
        parentFolderId: dest,
        isRead: msg.isRead,
        internetMessageId: msg.internetMessageId,
      });
    }
    if ((m = /^\/messages\/([^/]+)$/.exec(rest)) && req.method === 'PATCH') {
      const msg = state.messages.find((x) => x.id === decodeURIComponent(m?.[1] ?? ''));
      if (!msg) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const patch = JSON.parse(body || '{}') as { isRead?: boolean };
      if (typeof patch.isRead === 'boolean') msg.isRead = patch.isRead;
      return json(200, {
        '@odata.context': `${context}/messages/$entity`,
        id: msg.id,
        isRead: msg.isRead,
        internetMessageId: msg.internetMessageId,
      });
    }
    if (rest === '/sendMail' && req.method === 'POST') {
      state.sent.push(body.trimStart().startsWith('{') ? JSON.parse(body) : body);
      res.writeHead(202);
      return res.end();
    }
    return graphError(400, 'BadRequest', `Unsupported request ${req.method} ${rest}`);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  state.loginUrl = `http://127.0.0.1:${port}/login`;
  state.graphUrl = `http://127.0.0.1:${port}/graph`;
  return state;
}
