// One error type for the whole server, one place that maps codes to HTTP and to the API's shape
// {"error": {"code", "message", "details"}}.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../../shared/contracts/errors.js';

export type { ErrorCode } from '../../shared/contracts/errors.js';

// Exhaustive over ERROR_CODES (src/shared/contracts/errors.ts): a new code does not compile until it has its
// status here; business rules are 422.
const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  bad_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 422,
  totp_required: 401,
  totp_invalid: 401,
  totp_not_set_up: 422,
  totp_already_enabled: 422,
  csrf: 403,
  forbidden: 403,
  company_suspended: 403,
  read_only: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  users_exist: 409,
  bad_archive: 422,
  uri_too_long: 414,
  stale_version: 409,
  already_set_up: 409,
  already_signed_up: 422,
  invalid_signup_key: 422,
  not_invited: 422,
  seat_limit: 422,
  license_seat_limit: 422,
  invalid_license: 422,
  level_too_high: 422,
  permission_not_held: 422,
  cannot_manage_self: 422,
  role_in_use: 422,
  role_builtin: 422,
  invalid_transition: 422,
  ticket_rejected: 422,
  too_many_views: 422,
  too_many_tasks: 422,
  picklist_in_use: 422,
  location_in_use: 422,
  location_cycle: 422,
  asset_cycle: 422,
  asset_unavailable: 422,
  already_checked_out: 422,
  not_checked_out: 422,
  insufficient_stock: 422,
  not_a_supply_request: 422,
  not_fulfillable: 422,
  already_fulfilled: 422,
  not_draft: 422,
  over_receipt: 422,
  overlap: 422,
  business_hours_in_use: 422,
  url_not_allowed: 422,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError('forbidden', message);
export const invalid = (fields: Record<string, string>, message = 'Some fields are not valid') =>
  new AppError('validation', message, { fields });

/**
 * Data exceptions that only a caller's value can cause: bad text representation, out of range,
 * too long for its column, bad date/time, NUL in text (22021) or jsonb (22P05).
 */
const WRONG_FORMAT = new Set(['22P02', '22003', '22001', '22007', '22008', '22021', '22P05']);

/** PostgreSQL errors that are the caller's fault become clean API errors. */
function fromDatabase(err: { code?: string; constraint?: string; detail?: string }): AppError | null {
  if (err.code === '23505') return new AppError('duplicate', 'This already exists', { constraint: err.constraint });
  if (err.code === '23503') return new AppError('validation', 'A referenced record does not exist', { constraint: err.constraint });
  if (err.code && WRONG_FORMAT.has(err.code)) return new AppError('validation', 'A value has the wrong format');
  if (err.code === '54000') return new AppError('validation', 'A value is too long');
  return null;
}

const send = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ error: { code, message, details: {} } });

/**
 * Errors Fastify raises before any route is found (a path segment that is not valid
 * percent-encoding, a path parameter over the router's limit), in the API's shape.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') send(reply, 414, 'uri_too_long', 'A path segment is too long');
  else if (error.code === 'FST_ERR_BAD_URL') send(reply, 400, 'bad_request', 'The URL is not valid percent-encoding');
  else send(reply, 400, 'bad_request', 'The request cannot be routed');
}

const CLIENT_ERRORS: Record<string, [status: number, reason: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers (or the URL) are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long'],
};

/** Requests Node's HTTP parser refuses (headers or URL over 16 KB, a broken request line), in the API's shape. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code: 'bad_request', message, details: {} } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}`, details: {} } });
  });

  app.setErrorHandler((error: FastifyError & { cause?: unknown }, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: Record<string, string> = {};
      for (const issue of error.validation) {
        const where = (issue.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
        const key: string = where || error.validationContext || 'body';
        fields[key] ??= issue.message ?? 'is not valid';
      }
      return reply.code(400).send({ error: { code: 'validation', message: 'Some fields are not valid', details: { fields, in: error.validationContext } } });
    }
    if (error instanceof AppError) {
      if (error.status === 429 && typeof error.details.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(error.details.retryAfterSeconds));
      }
      return reply.code(error.status).send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    const dbError = fromDatabase(error as never) ?? fromDatabase((error.cause ?? {}) as never);
    if (dbError) return reply.code(dbError.status).send({ error: { code: dbError.code, message: dbError.message, details: dbError.details } });
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'Internal error', details: {} } });
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_FILES_LIMIT') {
      return reply.code(413).send({ error: { code: 'payload_too_large', message: 'The upload is too large', details: {} } });
    }
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : status === 414 ? 'uri_too_long' : 'bad_request';
      return reply.code(status).send({ error: { code, message: error.message, details: {} } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error', details: {} } });
  });
}
