// The Microsoft Graph connector: an app registration's client credentials (@azure/msal-node
// ConfidentialClientApplication) read a (shared) mailbox. A poll lists the inbox's unhandled
// messages page by page (@odata.nextLink), hands each raw MIME message ($value) to the sink and,
// only once the sink resolved (its row committed), moves it to the processed folder or marks it
// read. msal's token cache is handed to a store (the mailbox row keeps it encrypted). Refused
// credentials or a revoked consent raise GraphAuthError: the mailbox waits for a re-authorisation.
import {
  ConfidentialClientApplication,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  type TokenCacheContext,
} from '@azure/msal-node';
import type { DrainReport, MailSink } from './imap.js';
import { PROGRESS_EVERY, SessionStopped, SinkError } from './imap.js';

export interface GraphSettings {
  /** The directory (tenant) id of the Microsoft 365 organisation. */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The (shared) mailbox's address or user id. */
  mailbox: string;
  /** Move handled messages to this folder (a display name, created when missing); null: mark them read. */
  processedFolder: string | null;
}

export interface GraphEndpoints {
  /** https://login.microsoftonline.com (a stand-in in tests). */
  loginUrl: string;
  /** https://graph.microsoft.com (a stand-in in tests). */
  apiUrl: string;
}

/** Where msal's serialised token cache lives between runs (encrypted on the mailbox row). */
export interface TokenStore {
  load(): Promise<string | null>;
  save(cache: string, expiresAt: Date | null): Promise<void>;
}

/** The credentials were refused or consent was revoked: retrying will not help until someone acts. */
export class GraphAuthError extends Error {
  readonly code = 'auth_error';
}

const LOGIN = 'https://login.microsoftonline.com';
const AUTH_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_grant',
  'invalid_scope',
  'invalid_tenant',
]);

/** msal's HTTP, sent to the configured login base instead of login.microsoftonline.com. */
function networkClient(loginUrl: string): INetworkModule {
  const map = (url: string) => (url.startsWith(LOGIN) ? loginUrl + url.slice(LOGIN.length) : url);
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> => {
    const res = await fetch(map(url), {
      method,
      headers: options?.headers,
      body: options?.body,
      signal: AbortSignal.timeout(timeout ?? 20_000),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const text = await res.text();
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
    return { headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** When the latest access token in msal's serialised cache lapses. */
function cacheExpiry(serialized: string): Date | null {
  try {
    const tokens = Object.values((JSON.parse(serialized) as { AccessToken?: Record<string, { expires_on?: string }> }).AccessToken ?? {});
    const latest = Math.max(...tokens.map((t) => Number(t.expires_on) || 0));
    return latest > 0 ? new Date(latest * 1000) : null;
  } catch {
    return null;
  }
}

export class GraphClient {
  private readonly app: ConfidentialClientApplication;
  private folderIds = new Map<string, string>();
  private held: { token: string; expires: number } | null = null;

  constructor(
    private readonly s: GraphSettings,
    private readonly endpoints: GraphEndpoints,
    store: TokenStore | null,
  ) {
    const cachePlugin: ICachePlugin | undefined = store
      ? {
          async beforeCacheAccess(ctx: TokenCacheContext) {
            const cached = await store.load();
            if (cached) ctx.tokenCache.deserialize(cached);
          },
          async afterCacheAccess(ctx: TokenCacheContext) {
            if (ctx.cacheHasChanged) {
              const serialized = ctx.tokenCache.serialize();
              await store.save(serialized, cacheExpiry(serialized));
            }
          },
        }
      : undefined;
    this.app = new ConfidentialClientApplication({
      auth: { clientId: s.clientId, clientSecret: s.clientSecret, authority: `${LOGIN}/${encodeURIComponent(s.tenantId)}` },
      cache: cachePlugin ? { cachePlugin } : undefined,
      system: { networkClient: networkClient(endpoints.loginUrl) },
    });
  }

  /** An access token for Graph (from the cache while it is good, else a new one). */
  async token(fresh = false): Promise<string> {
    // Held for this client's life while it has 5 minutes left: msal (and its persisted cache) is asked once per poll, not per call.
    if (!fresh && this.held && this.held.expires > Date.now() + 5 * 60_000) return this.held.token;
    try {
      const result = await this.app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'], skipCache: fresh });
      if (!result?.accessToken) throw new GraphAuthError('Microsoft Entra ID gave no access token');
      this.held = { token: result.accessToken, expires: result.expiresOn?.getTime() ?? Date.now() };
      return result.accessToken;
    } catch (err) {
      if (err instanceof GraphAuthError) throw err;
      const e = err as { errorCode?: string; errorMessage?: string; message?: string; subError?: string };
      if (e.errorCode && AUTH_ERRORS.has(e.errorCode)) {
        throw new GraphAuthError(`${e.errorCode}: ${(e.errorMessage ?? e.message ?? '').split('\n')[0].slice(0, 400)}`);
      }
      throw new Error(`Token request failed: ${e.errorMessage ?? e.message ?? String(err)}`.slice(0, 500));
    }
  }

  private user(): string {
    return `${this.endpoints.apiUrl}/v1.0/users/${encodeURIComponent(this.s.mailbox)}`;
  }

  /** One Graph call; 401/403 become GraphAuthError, 429/503 wait (Retry-After, at most 30 s) and retry twice. */
  async call(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    as: 'json' | 'buffer' = 'json',
    /** A body sent as is with this content type (sendMail's base64 MIME), instead of JSON. */
    raw?: { contentType: string; text: string },
  ): Promise<{ status: number; json: any; buffer: Buffer | null }> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.user()}${pathOrUrl}`;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(refreshed);
      const res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(raw ? { 'content-type': raw.contentType } : body !== undefined ? { 'content-type': 'application/json' } : {}),
          accept: as === 'json' ? 'application/json' : '*/*',
        },
        body: raw ? raw.text : body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
      if ((res.status === 429 || res.status === 503) && attempt < 2) {
        const wait = Math.min(30, Number(res.headers.get('retry-after') ?? 5) || 5);
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      if (as === 'buffer' && res.ok) return { status: res.status, json: null, buffer: Buffer.from(await res.arrayBuffer()) };
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (res.status === 401 && !refreshed) {
        // A cached token Graph no longer takes (revoked, rotated keys): once more with a new one.
        this.held = null;
        refreshed = true;
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        this.held = null;
        throw new GraphAuthError(
          `Graph refused the request (${res.status} ${json?.error?.code ?? ''}): ${json?.error?.message ?? text.slice(0, 200)}`.trim(),
        );
      }
      if (!res.ok && res.status !== 404)
        throw new Error(`Graph ${method} failed (${res.status} ${json?.error?.code ?? ''}): ${json?.error?.message ?? text.slice(0, 200)}`);
      return { status: res.status, json, buffer: null };
    }
  }

  /**
   * Sends a whole MIME message from the mailbox (POST /users/{mailbox}/sendMail with the base64 MIME
   * as text/plain): Graph keeps our Message-ID, In-Reply-To and References, so replies thread, and it
   * needs no SMTP AUTH, which Microsoft 365 tenants often turn off. Graph answers 202 Accepted.
   */
  async sendMime(mime: Buffer): Promise<void> {
    const r = await this.call('POST', '/sendMail', undefined, 'json', { contentType: 'text/plain', text: mime.toString('base64') });
    if (r.status === 404) throw new Error(`Mailbox "${this.s.mailbox}" not found (or the app may not send as it)`);
  }

  /** Logs in and reads the inbox's counts: changes nothing. */
  async test(): Promise<{ ok: boolean; error?: string }> {
    try {
      const r = await this.call('GET', '/mailFolders/inbox?$select=id,totalItemCount,unreadItemCount');
      if (r.status === 404) return { ok: false, error: `Mailbox "${this.s.mailbox}" not found (or the app may not read it)` };
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  private async folderId(name: string): Promise<string> {
    const known = this.folderIds.get(name);
    if (known) return known;
    const q = `/mailFolders?$filter=${encodeURIComponent(`displayName eq '${name.replaceAll("'", "''")}'`)}&$select=id,displayName`;
    const found = await this.call('GET', q);
    let id: string | undefined = found.json?.value?.[0]?.id;
    if (!id) {
      const made = await this.call('POST', '/mailFolders', { displayName: name });
      id = made.json?.id;
      if (!id) {
        // Created meanwhile by someone else (409): read it again.
        id = (await this.call('GET', q)).json?.value?.[0]?.id;
      }
    }
    if (!id) throw new Error(`The processed folder "${name}" could not be found or created`);
    this.folderIds.set(name, id);
    return id;
  }

  /** The ids of the inbox's unhandled messages, oldest first, over all pages. */
  async pending(max = 5000): Promise<string[]> {
    // Graph wants $orderby's property in $filter, first.
    const filter = this.s.processedFolder
      ? 'receivedDateTime ge 1900-01-01T00:00:00Z'
      : 'receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false';
    let next: string | null =
      `/mailFolders/inbox/messages?$select=id,internetMessageId,receivedDateTime,isRead&$filter=${encodeURIComponent(filter)}&$orderby=receivedDateTime%20asc&$top=50`;
    const ids: string[] = [];
    const links = new Set<string>();
    while (next && ids.length < max) {
      const page = await this.call('GET', next);
      for (const m of (page.json?.value ?? []) as Array<{ id: string }>) if (typeof m.id === 'string') ids.push(m.id);
      const link = page.json?.['@odata.nextLink'];
      // A next link that repeats would page forever (a known Graph quirk): stop there.
      next = typeof link === 'string' && !links.has(link) ? link : null;
      if (next) links.add(next);
    }
    return [...new Set(ids)];
  }

  /** One poll: every pending message to the sink, then moved or marked read. */
  async drain(
    sink: MailSink,
    opts: { limit?: number; signal?: AbortSignal; onProgress?: (waiting: number) => Promise<boolean> } = {},
  ): Promise<DrainReport> {
    const report: DrainReport = { fetched: 0, results: {}, waiting: 0 };
    const dest = this.s.processedFolder ? await this.folderId(this.s.processedFolder) : null;
    const ids = await this.pending();
    let i = 0;
    for (; i < ids.length; i++) {
      if (opts.signal?.aborted || (opts.limit !== undefined && report.fetched >= opts.limit)) break;
      const id = ids[i];
      const raw = await this.call('GET', `/messages/${encodeURIComponent(id)}/$value`, undefined, 'buffer');
      if (!raw.buffer) continue; // gone meanwhile (moved or deleted by someone)
      let result: Awaited<ReturnType<MailSink>>;
      try {
        result = await sink(raw.buffer, `graph:${id}`);
      } catch (err) {
        throw new SinkError(err);
      }
      if (dest) await this.call('POST', `/messages/${encodeURIComponent(id)}/move`, { destinationId: dest });
      else await this.call('PATCH', `/messages/${encodeURIComponent(id)}`, { isRead: true });
      report.fetched++;
      report.results[result.result] = (report.results[result.result] ?? 0) + 1;
      if (opts.onProgress && report.fetched % PROGRESS_EVERY === 0 && !(await opts.onProgress(ids.length - i - 1))) {
        throw new SessionStopped('The fetch lease was lost');
      }
    }
    report.waiting = ids.length - i;
    return report;
  }
}
