// The network side of webhooks: which addresses a webhook may reach (SSRF), and one signed POST.
// The address check runs at creation and again at delivery, on the addresses DNS gave: the
// connection is made to the very address checked (a custom lookup in the request), so a name that
// resolves to a public address for the check and to 127.0.0.1 for the connection (DNS rebinding)
// cannot slip through. Redirects are not followed; the body read is capped; the time is bounded.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Only globally routable unicast: loopback, private, link-local, unique-local, CGNAT, multicast, unspecified, reserved, NAT64/6to4/Teredo and IPv4-mapped forms of those are refused. */
export function addressAllowed(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so a mapped address is judged as the IPv4 it is.
  const ip = ipaddr.process(address);
  return ip.range() === 'unicast';
}

export class AddressRefused extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which is not a public address`);
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );
}

/**
 * The creation-time check: a literal address or a name that resolves only to public addresses. A
 * name that does not resolve (yet) is let through: delivery checks again.
 */
export async function checkUrl(url: string, allowPrivate: boolean): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (allowPrivate) return { ok: true };
  const host = bare(new URL(url).hostname).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return { ok: false, reason: `${host} is a loopback name` };
  if (isIP(host)) return addressAllowed(host) ? { ok: true } : { ok: false, reason: `${host} is not a public address` };
  let addrs: LookupAddress[];
  try {
    // Bounded: a slow resolver does not hold the request; delivery checks again.
    addrs = await Promise.race([
      resolveAll(host),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('lookup timed out')), CREATE_LOOKUP_MS).unref()),
    ]);
  } catch {
    return { ok: true };
  }
  const bad = addrs.find((a) => !addressAllowed(a.address));
  return bad ? { ok: false, reason: `${host} resolves to ${bad.address}, which is not a public address` } : { ok: true };
}

const CREATE_LOOKUP_MS = 2000;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The request's lookup: resolves, refuses when any address is not allowed, hands over the checked one. */
function guardedLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  resolveAll(hostname).then(
    (addrs) => {
      const bad = addrs.find((a) => !addressAllowed(a.address));
      if (bad || addrs.length === 0) return callback(new AddressRefused(hostname, bad?.address ?? 'nothing') as NodeJS.ErrnoException, '');
      if (options.all) return callback(null, addrs);
      callback(null, addrs[0].address, addrs[0].family);
    },
    (err) => callback(err, ''),
  );
}

export interface PostResult {
  status: number | null;
  /** The first KB of the response body. */
  body: string | null;
  error: string | null;
}

export const EXCERPT_BYTES = 1024;

/** One POST; never throws. Redirects are answers like any other (3xx is not 2xx: a failure). */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean; agent?: http.Agent },
): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return done({ status: null, body: null, error: 'not a valid URL' });
    }
    const host = bare(u.hostname);
    // A literal address is never looked up (net skips the lookup): judged here. Names go through guardedLookup.
    if (!opts.allowPrivate && isIP(host) && !addressAllowed(host)) {
      return done({ status: null, body: null, error: `url_not_allowed: ${host} is not a public address` });
    }
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Steward-Webhooks/1',
        ...headers,
      },
      ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }),
      ...(opts.agent ? { agent: opts.agent } : {}),
    });
    timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('error', (err) => {
      const refused = err instanceof AddressRefused;
      done({ status: null, body: null, error: refused ? `url_not_allowed: ${err.message}` : err.message || String(err) });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () =>
        done({ status: res.statusCode ?? null, body: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'), error: null });
      res.on('data', (chunk: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(chunk);
        size += chunk.length;
        // Enough for the excerpt: the rest is not read (a huge or endless body costs nothing).
        if (size >= EXCERPT_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
