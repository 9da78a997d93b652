// The public QR report: anyone holding an asset's public link sees its name and location and can
// report a failure with photos, without an account. Tokens are unique instance-wide, so there is
// no company context until the token names one; unknown, revoked and suspended all answer 404.
// Spam defences: per-IP and per-token rate limits, a honeypot field, photos checked by their bytes.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { sha256 } from '../../platform/crypto.js';
import type { Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { assetTicketRoute, findAssetByPublicToken } from '../assets/assets.service.js';
import { insertUploads, storeUpload, type UploadPart } from '../attachments/attachments.service.js';
import { recordFailure, throttleState } from '../auth/auth.service.js';
import { breadcrumb, findLocation } from '../locations/locations.service.js';
import { openTicket, recordHistory } from '../tickets/tickets.service.js';
import * as repo from './public-report.repo.js';

/** Reports per caller address per hour, and per asset link per day. */
export const REPORT_LIMITS = { perIp: 10, ipWindowMinutes: 60, perToken: 30, tokenWindowMinutes: 24 * 60 };
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const MAX_PHOTOS = 5;

/** The asset behind a live token of an active company, or null. */
async function assetOf(tx: Tx, token: string) {
  const found = await findAssetByPublicToken(tx, token);
  if (!found) return null;
  return (await repo.companyActive(tx, found.asset.tenantId)) ? found.asset : null;
}

async function locationText(tx: Tx, tenantId: number, locationId: number | null): Promise<string | null> {
  const location = locationId ? await findLocation(tx, tenantId, locationId) : undefined;
  if (!location) return null;
  return (await breadcrumb(tx, tenantId, location.path)).map((l) => l.name).join(' / ') || location.name;
}

export async function publicAsset(ctx: Ctx, token: string) {
  return ctx.deps.database.system(async ({ tx }) => {
    const asset = await assetOf(tx, token);
    if (!asset) throw notFound('Asset');
    return { asset: { name: asset.name, location: await locationText(tx, asset.tenantId, asset.locationId) } };
  });
}

/** Counts one attempt against each key; 429 (nothing counted) when one of them is already at its limit. */
async function throttle(ctx: Ctx, keys: Array<{ key: string; limit: number; minutes: number }>) {
  await ctx.deps.database.system(async ({ tx }) => {
    const locked = await throttleState(tx, keys.map((k) => k.key));
    if (locked.length > 0) {
      const until = Math.max(...locked.map((l) => l.lockedUntil?.getTime() ?? 0));
      throw new AppError('rate_limited', 'Too many reports; please try again later', { retryAfterSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)) });
    }
    for (const k of keys) await recordFailure(tx, k.key, k.limit, k.minutes, k.minutes);
  });
}

const fields = z.object({
  description: z.string().trim().min(1, 'is required').max(5000, 'at most 5000 characters'),
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.union([z.literal(''), z.email('must be an e-mail address').max(254)]).optional(),
});

interface StoredPhoto {
  key: string;
  name: string;
  size: number;
  contentType: string;
}

/** Streams the photos to storage while checking them; returns the text fields. On any refusal the caller removes what was stored. */
async function receive(ctx: Ctx, tenantId: number, parts: AsyncIterable<UploadPart>, stored: StoredPhoto[]) {
  const values: Record<string, string> = {};
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') values[part.name] = part.value;
      continue;
    }
    if (part.name !== 'photos' && part.name !== 'photo') {
      part.stream.resume();
      continue;
    }
    if (stored.length >= MAX_PHOTOS) throw new AppError('payload_too_large', `At most ${MAX_PHOTOS} photos`, { maxPhotos: MAX_PHOTOS });
    const photo = await storeUpload(ctx.deps, `t${tenantId}/tickets/qr/${randomUUID()}`, part, (f) => stored.push(f), 'A photo');
    // An empty file input sends an empty part: not a photo.
    if (photo.size === 0) {
      stored.pop();
      await ctx.deps.storage.remove(photo.key).catch(() => {});
      continue;
    }
    if (!IMAGE_TYPES.has(photo.contentType)) {
      throw new AppError('unsupported_media_type', 'Photos must be PNG, JPEG, WebP or GIF images', { fields: { photos: 'not an image' } });
    }
  }
  return values;
}

export async function submitReport(ctx: Ctx, token: string, parts: () => AsyncIterable<UploadPart>): Promise<{ ticketNumber: number }> {
  const { database, storage, log } = ctx.deps;
  await throttle(ctx, [{ key: `qr-ip:${ctx.info.ip}`, limit: REPORT_LIMITS.perIp, minutes: REPORT_LIMITS.ipWindowMinutes }]);
  const asset = await database.system(({ tx }) => assetOf(tx, token));
  if (!asset) throw notFound('Asset');
  await throttle(ctx, [{ key: `qr-token:${sha256(token)}`, limit: REPORT_LIMITS.perToken, minutes: REPORT_LIMITS.tokenWindowMinutes }]);

  const stored: StoredPhoto[] = [];
  const discard = () => Promise.all(stored.map((p) => storage.remove(p.key).catch(() => {})));
  try {
    const values = await receive(ctx, asset.tenantId, parts(), stored);
    if (values.website?.trim()) {
      // The honeypot: people never see this field, bots fill it. Answer as if it worked.
      log.warn({ ip: ctx.info.ip, tenantId: asset.tenantId, assetId: asset.id }, 'public report dropped: honeypot filled');
      await discard();
      return { ticketNumber: 0 };
    }
    const parsed = fields.safeParse(values);
    if (!parsed.success) {
      throw invalid(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'body'), i.message])));
    }
    const { description, name } = parsed.data;
    const email = parsed.data.email || null;
    return await database.withTenant(asset.tenantId, async (scope) => {
      const route = await assetTicketRoute(scope.tx, asset);
      const categoryActive = route.categoryId ? await repo.categoryActive(scope.tx, asset.tenantId, route.categoryId) : false;
      const firstLine = description.split('\n')[0].trim().slice(0, 120);
      // No actor: the approval chain of the category applies in full.
      // A failure reported at the asset: an incident, linked to the asset, its source the QR page.
      const { row: t } = await openTicket(scope, ctx.deps, null, asset.tenantId, {
        kind: 'incident',
        title: `${asset.name}: ${firstLine}`.slice(0, 300),
        description,
        categoryId: categoryActive ? route.categoryId : null,
        priority: 'medium',
        assetIds: route.assetIds,
        source: 'qr',
        contact: { name, email },
      });
      if (stored.length > 0) {
        const rows = await insertUploads(scope, asset.tenantId, t.id, stored);
        await recordHistory(
          scope,
          { userId: null, name },
          t,
          'attachment_added',
          rows.map((r) => ({ field: 'attachment', before: null, after: { id: String(r.id), name: r.name, size: r.size, contentType: r.contentType, commentId: null } })),
        );
      }
      if (email) {
        await ctx.deps.mailer.queue(scope, asset.tenantId, {
          template: 'public_report.received',
          to: email,
          subject: `Your report #${t.number} was received`,
          text: `Hello ${name},\n\nthank you for reporting a problem with "${asset.name}". Its number is #${t.number}; we will write to you when its status changes.\n`,
        });
      }
      return { ticketNumber: t.number };
    });
  } catch (err) {
    await discard();
    throw err;
  }
}
