// Every error code the API answers with. One list: AppError takes an ErrorCode, so a misspelt or new
// code fails the type check until it is listed here and given its HTTP status in
// src/server/platform/errors.ts (a Record over this union). Zod-free, so the web client may import it.

export const ERROR_CODES = [
  // request shape and protocol
  'validation',
  'bad_archive',
  'bad_request',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'precondition_required',
  'rate_limited',
  'internal',
  // who you are
  'unauthenticated',
  'invalid_credentials',
  'invalid_token',
  'totp_required',
  'totp_invalid',
  'totp_not_set_up',
  'totp_already_enabled',
  'csrf',
  'forbidden',
  'company_suspended',
  'read_only',
  'not_found',
  // conflicts with what exists
  'conflict',
  'duplicate',
  'users_exist',
  'stale_version',
  'already_set_up',
  'already_signed_up',
  // business rules (422)
  'invalid_signup_key',
  'not_invited',
  'seat_limit',
  'license_seat_limit',
  'invalid_license',
  'level_too_high',
  'permission_not_held',
  'cannot_manage_self',
  'role_in_use',
  'role_builtin',
  'invalid_transition',
  'ticket_rejected',
  'too_many_views',
  'too_many_tasks',
  'picklist_in_use',
  'location_in_use',
  'location_cycle',
  'asset_cycle',
  'asset_unavailable',
  'already_checked_out',
  'not_checked_out',
  'insufficient_stock',
  'not_a_supply_request',
  'not_fulfillable',
  'already_fulfilled',
  // purchasing
  'not_draft',
  'over_receipt',
  // scheduling
  'overlap',
  // sla
  'business_hours_in_use',
  'url_not_allowed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
