// Company A's administrator (every permission) must never see or touch company B: every route with
// a path parameter is called with B's resource and must answer 404 (403 for the operator's routes),
// B's rows must stay byte-for-byte the same, lists never show B, and live events never mention B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, fillPath, linkToken, outbox, sleep, snapshot } from '../helpers.js';
import { makeLocation, makePart, receive } from '../inventory-fixtures.js';
import { openLive } from '../live.js';
import { multipart } from '../multipart.js';

interface Side {
  company: TestCompany;
  other: TestUser;
  roleId: string;
  departmentId: string;
  invitedId: string;
  invitationToken: string;
  invitationTokenHash: string;
  mailId: string;
  apiTokenId: string;
  otherSessionId: string;
  /** An open ticket, and two waiting for the admin's approval; B has numbers A does not have. */
  ticketNumber: number;
  approveNumber: number;
  rejectNumber: number;
  categoryId: string;
  teamId: string;
  /** On the open ticket: a file, a task, a time entry; and a process, a project, the admin's saved view. */
  attachmentId: string;
  taskId: string;
  timeEntryId: string;
  processId: string;
  projectId: string;
  viewId: string;
  /** Inventory: a stocked part at a location, a vendor, an open supply request it can fulfil. */
  partId: string;
  locationId: string;
  vendorId: string;
  supplyNumber: number;
  /** A file on the part. */
  inventoryFileId: string;
  /** Assets: an asset with a file, the location it is in, a spare location and an unused manufacturer. */
  assetId: string;
  assetFileId: string;
  assetLocationId: string;
  spareLocationId: string;
  manufacturerId: string;
  /** A quick link pinned for everyone. */
  quickLinkId: string;
  /** SLA: a business-hours calendar no policy uses, and a policy. */
  businessHoursId: string;
  slaPolicyId: string;
  /** Purchasing: a buying company with a logo, a ship-to, a planned item, drafts, and POs sent, received and receivable. */
  buyingCompanyId: string;
  shipToId: string;
  plannedItemId: string;
  draftId: string;
  finalizeDraftId: string;
  deleteDraftId: string;
  sentPoId: string;
  receivePoId: string;
  receiveLineId: string;
  closePoId: string;
  cancelPoId: string;
  /** Recurring work: a recurring ticket, and a maintenance plan on the side's asset. */
  recurringTicketId: string;
  planId: string;
  /** Scheduling: a shift of the side's technician, and two time-off requests (to approve, to reject). */
  entryId: string;
  timeOffApproveId: string;
  timeOffRejectId: string;
  /** E-mail channel: a webhook mailbox, a message it received (with its raw original) and the contact it made. */
  mailboxId: string;
  inboundId: string;
  contactId: string;
  /** Meters: a device with a meter, and a device and a meter to delete. */
  deviceId: string;
  deleteDeviceId: string;
  meterId: string;
  deleteMeterId: string;
  /** A threshold on the meter, and an offline alert of the device. */
  thresholdId: string;
  alertId: string;
  /** Webhooks: one with a delivery, one to delete. */
  webhookId: string;
  deleteWebhookId: string;
  webhookDeliveryId: string;
  /** Reports: a report schedule and a saved report. */
  reportScheduleId: string;
  savedReportId: string;
  /** Documents: a file document linked to the side's asset and ticket, and a link document to delete. */
  documentId: string;
  deleteDocumentId: string;
}

/** For every route with a parameter: the value for A's own resource and B's, a body, and the answer B's value must get. */
type Mapping = {
  param: (s: Side) => Record<string, string | number>;
  body?: unknown;
  expect: 403 | 404;
  /** Extra headers, read at call time (e.g. If-Match with the ticket's current version). */
  headers?: (s: Side, h: Harness) => Promise<Record<string, string>>;
  /** A body that names the side's own resources (used instead of `body`). */
  bodyOf?: (s: Side) => unknown;
  /** No company behind the parameter (public links): only B's refusal is checked here; public-report.test.ts checks the rest. */
  noCompany?: true;
};

const upload = multipart([{ filename: 'probe.txt', content: 'probe' }]);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const logo = multipart([{ filename: 'logo.png', content: PNG, contentType: 'image/png' }]);
const multipartHeaders = async () => upload.headers;

async function ifMatch(s: Side, h: Harness): Promise<Record<string, string>> {
  const { rows } = await h.deps.database.query<{ version: number }>('select version from tickets where tenant_id = $1 and number = $2', [
    s.company.id,
    s.ticketNumber,
  ]);
  return { 'if-match': String(rows[0]?.version ?? 1) };
}

const MAPPINGS: Record<string, Mapping> = {
  'GET /api/v1/mailboxes/:id': { param: (s) => ({ id: s.mailboxId }), expect: 404 },
  'PATCH /api/v1/mailboxes/:id': { param: (s) => ({ id: s.mailboxId }), body: { name: 'Hijacked mailbox' }, expect: 404 },
  'DELETE /api/v1/mailboxes/:id': { param: (s) => ({ id: s.mailboxId }), expect: 404 },
  'GET /api/v1/mailboxes/:id/messages': { param: (s) => ({ id: s.mailboxId }), expect: 404 },
  'POST /api/v1/mailboxes/:id/test': { param: (s) => ({ id: s.mailboxId }), expect: 404 },
  'POST /api/v1/mailboxes/:id/reauthorize': { param: (s) => ({ id: s.mailboxId }), expect: 404 },
  'GET /api/v1/mail/messages/:id/raw': { param: (s) => ({ id: s.inboundId }), expect: 404 },
  'POST /api/v1/contacts/:id/convert': { param: (s) => ({ id: s.contactId }), body: {}, expect: 404 },
  'POST /api/v1/inbound/:token': { param: () => ({ token: 'unknown-webhook-token-0000' }), expect: 404, noCompany: true },
  'GET /api/v1/outbox/:id': { param: (s) => ({ id: s.mailId }), expect: 404 },
  'GET /api/v1/roles/:id': { param: (s) => ({ id: s.roleId }), expect: 404 },
  'PATCH /api/v1/roles/:id': {
    param: (s) => ({ id: s.roleId }),
    body: { name: 'Hijacked role', permissions: ['users.manage'] },
    expect: 404,
  },
  'DELETE /api/v1/roles/:id': { param: (s) => ({ id: s.roleId }), expect: 404 },
  'GET /api/v1/users/:id': { param: (s) => ({ id: s.other.id }), expect: 404 },
  'PATCH /api/v1/users/:id': { param: (s) => ({ id: s.other.id }), body: { name: 'Hijacked', active: false }, expect: 404 },
  'POST /api/v1/users/:id/invitation': { param: (s) => ({ id: s.invitedId }), expect: 404 },
  'POST /api/v1/users/:id/unlock': { param: (s) => ({ id: s.other.id }), expect: 404 },
  'PATCH /api/v1/departments/:id': { param: (s) => ({ id: s.departmentId }), body: { name: 'Hijacked department' }, expect: 404 },
  'DELETE /api/v1/departments/:id': { param: (s) => ({ id: s.departmentId }), expect: 404 },
  'PATCH /api/v1/quick-links/:id': { param: (s) => ({ id: s.quickLinkId }), body: { title: 'Hijacked link' }, expect: 404 },
  'DELETE /api/v1/quick-links/:id': { param: (s) => ({ id: s.quickLinkId }), expect: 404 },
  'GET /api/v1/business-hours/:id': { param: (s) => ({ id: s.businessHoursId }), expect: 404 },
  'PATCH /api/v1/business-hours/:id': { param: (s) => ({ id: s.businessHoursId }), body: { name: 'Hijacked calendar' }, expect: 404 },
  'DELETE /api/v1/business-hours/:id': { param: (s) => ({ id: s.businessHoursId }), expect: 404 },
  'POST /api/v1/business-hours/:id/compute': { param: (s) => ({ id: s.businessHoursId }), body: { from: '2026-12-01T09:00:00Z', minutes: 60 }, expect: 404 },
  'GET /api/v1/sla-policies/:id': { param: (s) => ({ id: s.slaPolicyId }), expect: 404 },
  'PATCH /api/v1/sla-policies/:id': { param: (s) => ({ id: s.slaPolicyId }), body: { name: 'Hijacked policy' }, expect: 404 },
  'DELETE /api/v1/sla-policies/:id': { param: (s) => ({ id: s.slaPolicyId }), expect: 404 },
  'DELETE /api/v1/api-tokens/:id': { param: (s) => ({ id: s.apiTokenId }), expect: 404 },
  'DELETE /api/v1/me/sessions/:id': { param: (s) => ({ id: s.otherSessionId }), expect: 404 },
  // Public and keyed by the secret itself: the stored hash of B's link (what a leaked row shows) is no key.
  'GET /api/v1/auth/invitations/:token': { param: (s) => ({ token: s.invitationTokenHash }), expect: 404 },
  // The operator's routes: a company administrator is refused whatever the company.
  'GET /api/v1/tickets/:number': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'PATCH /api/v1/tickets/:number': { param: (s) => ({ number: s.ticketNumber }), body: { title: 'Hijacked ticket' }, headers: ifMatch, expect: 404 },
  'POST /api/v1/tickets/:number/status': { param: (s) => ({ number: s.ticketNumber }), body: { status: 'in_progress' }, expect: 404 },
  'POST /api/v1/tickets/:number/approve': { param: (s) => ({ number: s.approveNumber }), body: {}, expect: 404 },
  'POST /api/v1/tickets/:number/reject': { param: (s) => ({ number: s.rejectNumber }), body: { reason: 'Hijacked' }, expect: 404 },
  'POST /api/v1/tickets/:number/assign': { param: (s) => ({ number: s.ticketNumber }), body: { assigneeId: null }, expect: 404 },
  'GET /api/v1/tickets/:number/comments': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/comments': { param: (s) => ({ number: s.ticketNumber }), body: { body: 'Hijacked comment' }, expect: 404 },
  'GET /api/v1/tickets/:number/history': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'GET /api/v1/tickets/:number/assets': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/assets': { param: (s) => ({ number: s.ticketNumber }), bodyOf: (s) => ({ assetId: s.assetId }), expect: 404 },
  // A ticket the asset is not linked to: unlinking it answers 200 and leaves the asset route's own link for its turn.
  'DELETE /api/v1/tickets/:number/assets/:id': { param: (s) => ({ number: s.approveNumber, id: s.assetId }), expect: 404 },
  'GET /api/v1/tickets/:number/approval': { param: (s) => ({ number: s.approveNumber }), expect: 404 },
  'PATCH /api/v1/categories/:id': { param: (s) => ({ id: s.categoryId }), body: { name: 'Hijacked category' }, expect: 404 },
  'PATCH /api/v1/teams/:id': { param: (s) => ({ id: s.teamId }), body: { name: 'Hijacked team' }, expect: 404 },
  'GET /api/v1/tickets/:number/attachments': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/attachments': { param: (s) => ({ number: s.ticketNumber }), body: upload.body, headers: multipartHeaders, expect: 404 },
  'GET /api/v1/attachments/:id': { param: (s) => ({ id: s.attachmentId }), expect: 404 },
  'DELETE /api/v1/attachments/:id': { param: (s) => ({ id: s.attachmentId }), expect: 404 },
  'GET /api/v1/tickets/:number/tasks': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/tasks': { param: (s) => ({ number: s.ticketNumber }), body: { title: 'Hijacked task' }, expect: 404 },
  'PATCH /api/v1/tasks/:id': { param: (s) => ({ id: s.taskId }), body: { done: true }, expect: 404 },
  'DELETE /api/v1/tasks/:id': { param: (s) => ({ id: s.taskId }), expect: 404 },
  'PATCH /api/v1/processes/:id': { param: (s) => ({ id: s.processId }), body: { name: 'Hijacked process' }, expect: 404 },
  'DELETE /api/v1/processes/:id': { param: (s) => ({ id: s.processId }), expect: 404 },
  'POST /api/v1/tickets/:number/processes/:id/apply': { param: (s) => ({ number: s.ticketNumber, id: s.processId }), expect: 404 },
  'GET /api/v1/tickets/:number/time-entries': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/time-entries': { param: (s) => ({ number: s.ticketNumber }), body: { minutes: 5 }, expect: 404 },
  'DELETE /api/v1/time-entries/:id': { param: (s) => ({ id: s.timeEntryId }), expect: 404 },
  'GET /api/v1/projects/:id': { param: (s) => ({ id: s.projectId }), expect: 404 },
  'PATCH /api/v1/projects/:id': { param: (s) => ({ id: s.projectId }), body: { name: 'Hijacked project' }, expect: 404 },
  'PATCH /api/v1/saved-views/:id': { param: (s) => ({ id: s.viewId }), body: { name: 'Hijacked view' }, expect: 404 },
  'DELETE /api/v1/saved-views/:id': { param: (s) => ({ id: s.viewId }), expect: 404 },
  'PATCH /api/v1/admin/companies/:id': { param: (s) => ({ id: s.company.id }), body: { suspended: true, seats: 1 }, expect: 403 },
  'POST /api/v1/admin/companies/:id/signup-key': { param: (s) => ({ id: s.company.id }), expect: 403 },
  'POST /api/v1/admin/companies/:id/backup': { param: (s) => ({ id: s.company.id }), expect: 403 },
  'GET /api/v1/parts/:id': { param: (s) => ({ id: s.partId }), expect: 404 },
  'PATCH /api/v1/parts/:id': { param: (s) => ({ id: s.partId }), body: { name: 'Hijacked part' }, expect: 404 },
  'GET /api/v1/parts/:id/movements': { param: (s) => ({ id: s.partId }), expect: 404 },
  'GET /api/v1/parts/:id/files': { param: (s) => ({ id: s.partId }), expect: 404 },
  'POST /api/v1/parts/:id/files': { param: (s) => ({ id: s.partId }), body: upload.body, headers: multipartHeaders, expect: 404 },
  'GET /api/v1/vendors/:id/files': { param: (s) => ({ id: s.vendorId }), expect: 404 },
  'POST /api/v1/vendors/:id/files': { param: (s) => ({ id: s.vendorId }), body: upload.body, headers: multipartHeaders, expect: 404 },
  'GET /api/v1/inventory-files/:id': { param: (s) => ({ id: s.inventoryFileId }), expect: 404 },
  'DELETE /api/v1/inventory-files/:id': { param: (s) => ({ id: s.inventoryFileId }), expect: 404 },
  'POST /api/v1/parts/:id/movements': {
    param: (s) => ({ id: s.partId }),
    bodyOf: (s) => ({ type: 'receive', quantity: 1, locationId: s.locationId }),
    expect: 404,
  },
  'PATCH /api/v1/vendors/:id': { param: (s) => ({ id: s.vendorId }), body: { name: 'Hijacked vendor' }, expect: 404 },
  'GET /api/v1/tickets/:number/parts': { param: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/parts': {
    param: (s) => ({ number: s.ticketNumber }),
    bodyOf: (s) => ({ partId: s.partId, quantity: 1, locationId: s.locationId }),
    expect: 404,
  },
  'GET /api/v1/tickets/:number/supply': { param: (s) => ({ number: s.supplyNumber }), expect: 404 },
  'POST /api/v1/tickets/:number/fulfil': { param: (s) => ({ number: s.supplyNumber }), bodyOf: (s) => ({ locationId: s.locationId }), expect: 404 },
  // Picklists are named, not owned: an unknown name is refused; assets.test.ts checks each company sees its own values.
  'GET /api/v1/picklists/:list': { param: () => ({ list: 'nonexistent-list' }), expect: 404, noCompany: true },
  'POST /api/v1/picklists/:list': { param: () => ({ list: 'nonexistent-list' }), body: { name: 'Hijacked value' }, expect: 404, noCompany: true },
  'PATCH /api/v1/picklists/:list/:id': { param: (s) => ({ list: 'manufacturers', id: s.manufacturerId }), body: { name: 'Hijacked value' }, expect: 404 },
  'DELETE /api/v1/picklists/:list/:id': { param: (s) => ({ list: 'manufacturers', id: s.manufacturerId }), expect: 404 },
  'GET /api/v1/locations/:id': { param: (s) => ({ id: s.assetLocationId }), expect: 404 },
  'PATCH /api/v1/locations/:id': { param: (s) => ({ id: s.assetLocationId }), body: { name: 'Hijacked location' }, expect: 404 },
  'DELETE /api/v1/locations/:id': { param: (s) => ({ id: s.spareLocationId }), expect: 404 },
  'GET /api/v1/assets/:id': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'PATCH /api/v1/assets/:id': { param: (s) => ({ id: s.assetId }), body: { name: 'Hijacked asset' }, expect: 404 },
  'GET /api/v1/assets/:id/history': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'POST /api/v1/assets/:id/checkout': { param: (s) => ({ id: s.assetId }), bodyOf: (s) => ({ userId: String(s.company.admin.id) }), expect: 404 },
  'POST /api/v1/assets/:id/checkin': { param: (s) => ({ id: s.assetId }), body: { note: 'Hijacked' }, expect: 404 },
  'POST /api/v1/assets/:id/public-token': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'POST /api/v1/assets/:id/tickets': { param: (s) => ({ id: s.assetId }), bodyOf: (s) => ({ number: s.ticketNumber }), expect: 404 },
  'DELETE /api/v1/assets/:id/tickets/:number': { param: (s) => ({ id: s.assetId, number: s.ticketNumber }), expect: 404 },
  'POST /api/v1/assets/:id/files': { param: (s) => ({ id: s.assetId }), body: upload.body, headers: multipartHeaders, expect: 404 },
  'GET /api/v1/assets/:id/files': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'GET /api/v1/asset-files/:id': { param: (s) => ({ id: s.assetFileId }), expect: 404 },
  'DELETE /api/v1/asset-files/:id': { param: (s) => ({ id: s.assetFileId }), expect: 404 },
  'GET /api/v1/assets/:id/qr.png': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'GET /api/v1/buying-companies/:id': { param: (s) => ({ id: s.buyingCompanyId }), expect: 404 },
  'PATCH /api/v1/buying-companies/:id': { param: (s) => ({ id: s.buyingCompanyId }), body: { name: 'Hijacked buyer' }, expect: 404 },
  'PUT /api/v1/buying-companies/:id/logo': { param: (s) => ({ id: s.buyingCompanyId }), body: logo.body, headers: async () => logo.headers, expect: 404 },
  'GET /api/v1/buying-companies/:id/logo': { param: (s) => ({ id: s.buyingCompanyId }), expect: 404 },
  'GET /api/v1/ship-to/:id': { param: (s) => ({ id: s.shipToId }), expect: 404 },
  'PATCH /api/v1/ship-to/:id': { param: (s) => ({ id: s.shipToId }), body: { taxRate: 99 }, expect: 404 },
  'PATCH /api/v1/planned-items/:id': { param: (s) => ({ id: s.plannedItemId }), body: { quantity: 99 }, expect: 404 },
  'GET /api/v1/purchase-orders/:id': { param: (s) => ({ id: s.sentPoId }), expect: 404 },
  'PATCH /api/v1/purchase-orders/:id': { param: (s) => ({ id: s.draftId }), body: { notes: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/purchase-orders/:id': { param: (s) => ({ id: s.deleteDraftId }), expect: 404 },
  'POST /api/v1/purchase-orders/:id/finalize': { param: (s) => ({ id: s.finalizeDraftId }), expect: 404 },
  'POST /api/v1/purchase-orders/:id/send': { param: (s) => ({ id: s.sentPoId }), expect: 404 },
  'GET /api/v1/purchase-orders/:id/pdf': { param: (s) => ({ id: s.sentPoId }), expect: 404 },
  'POST /api/v1/purchase-orders/:id/receive': {
    param: (s) => ({ id: s.receivePoId }),
    bodyOf: (s) => ({ lines: [{ lineId: s.receiveLineId, quantity: 1 }] }),
    expect: 404,
  },
  'POST /api/v1/purchase-orders/:id/close': { param: (s) => ({ id: s.closePoId }), expect: 404 },
  'POST /api/v1/purchase-orders/:id/cancel': { param: (s) => ({ id: s.cancelPoId }), body: { reason: 'Hijacked' }, expect: 404 },
  'GET /api/v1/purchase-orders/:id/history': { param: (s) => ({ id: s.sentPoId }), expect: 404 },
  'GET /api/v1/recurring-tickets/:id': { param: (s) => ({ id: s.recurringTicketId }), expect: 404 },
  'PATCH /api/v1/recurring-tickets/:id': { param: (s) => ({ id: s.recurringTicketId }), body: { title: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/recurring-tickets/:id': { param: (s) => ({ id: s.recurringTicketId }), expect: 404 },
  'GET /api/v1/recurring-tickets/:id/occurrences': { param: (s) => ({ id: s.recurringTicketId }), expect: 404 },
  'GET /api/v1/recurring-tickets/:id/runs': { param: (s) => ({ id: s.recurringTicketId }), expect: 404 },
  'GET /api/v1/assets/:id/maintenance-plans': { param: (s) => ({ id: s.assetId }), expect: 404 },
  'POST /api/v1/assets/:id/maintenance-plans': {
    param: (s) => ({ id: s.assetId }),
    body: { title: 'Hijacked plan', trigger: { type: 'interval', every: 1, unit: 'month' }, template: { priority: 'low' } },
    expect: 404,
  },
  'GET /api/v1/maintenance-plans/:id': { param: (s) => ({ id: s.planId }), expect: 404 },
  'PATCH /api/v1/maintenance-plans/:id': { param: (s) => ({ id: s.planId }), body: { title: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/maintenance-plans/:id': { param: (s) => ({ id: s.planId }), expect: 404 },
  'GET /api/v1/maintenance-plans/:id/work-orders': { param: (s) => ({ id: s.planId }), expect: 404 },
  'POST /api/v1/maintenance-plans/:id/generate': { param: (s) => ({ id: s.planId }), expect: 404 },
  'GET /api/v1/schedule/entries/:id': { param: (s) => ({ id: s.entryId }), expect: 404 },
  'PATCH /api/v1/schedule/entries/:id': { param: (s) => ({ id: s.entryId }), body: { note: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/schedule/entries/:id': { param: (s) => ({ id: s.entryId }), expect: 404 },
  'POST /api/v1/time-off/:id/approve': { param: (s) => ({ id: s.timeOffApproveId }), body: {}, expect: 404 },
  'POST /api/v1/time-off/:id/reject': { param: (s) => ({ id: s.timeOffRejectId }), body: {}, expect: 404 },
  'GET /api/v1/calendar/:file': { param: () => ({ file: 'revoked-or-unknown-token-0000.ics' }), expect: 404, noCompany: true },
  'GET /api/v1/devices/:id': { param: (s) => ({ id: s.deviceId }), expect: 404 },
  'PATCH /api/v1/devices/:id': { param: (s) => ({ id: s.deviceId }), body: { name: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/devices/:id': { param: (s) => ({ id: s.deleteDeviceId }), expect: 404 },
  'POST /api/v1/devices/:id/credentials': { param: (s) => ({ id: s.deviceId }), expect: 404 },
  'GET /api/v1/meters/:id': { param: (s) => ({ id: s.meterId }), expect: 404 },
  'PATCH /api/v1/meters/:id': { param: (s) => ({ id: s.meterId }), body: { name: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/meters/:id': { param: (s) => ({ id: s.deleteMeterId }), expect: 404 },
  'GET /api/v1/meters/:id/readings': { param: (s) => ({ id: s.meterId }), expect: 404 },
  'GET /api/v1/meters/:id/thresholds': { param: (s) => ({ id: s.meterId }), expect: 404 },
  'POST /api/v1/meters/:id/thresholds': { param: (s) => ({ id: s.meterId }), body: { op: '>', value: 1 }, expect: 404 },
  'DELETE /api/v1/thresholds/:id': { param: (s) => ({ id: s.thresholdId }), expect: 404 },
  'POST /api/v1/meter-alerts/:id/acknowledge': { param: (s) => ({ id: s.alertId }), body: { note: 'seen' }, expect: 404 },
  'GET /api/v1/webhooks/:id': { param: (s) => ({ id: s.webhookId }), expect: 404 },
  'PATCH /api/v1/webhooks/:id': { param: (s) => ({ id: s.webhookId }), body: { active: false }, expect: 404 },
  'DELETE /api/v1/webhooks/:id': { param: (s) => ({ id: s.deleteWebhookId }), expect: 404 },
  'POST /api/v1/webhooks/:id/rotate-secret': { param: (s) => ({ id: s.webhookId }), expect: 404 },
  'GET /api/v1/webhooks/:id/deliveries': { param: (s) => ({ id: s.webhookId }), expect: 404 },
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry': { param: (s) => ({ id: s.webhookId, deliveryId: s.webhookDeliveryId }), expect: 404 },
  'GET /api/v1/documents/:id': { param: (s) => ({ id: s.documentId }), expect: 404 },
  'PATCH /api/v1/documents/:id': { param: (s) => ({ id: s.documentId }), body: { title: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/documents/:id': { param: (s) => ({ id: s.deleteDocumentId }), expect: 404 },
  'GET /api/v1/documents/:id/file': { param: (s) => ({ id: s.documentId }), expect: 404 },
  'GET /api/v1/report-schedules/:id': { param: (s) => ({ id: s.reportScheduleId }), expect: 404 },
  'PATCH /api/v1/report-schedules/:id': { param: (s) => ({ id: s.reportScheduleId }), body: { name: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/report-schedules/:id': { param: (s) => ({ id: s.reportScheduleId }), expect: 404 },
  'GET /api/v1/report-schedules/:id/runs': { param: (s) => ({ id: s.reportScheduleId }), expect: 404 },
  'GET /api/v1/report-schedules/:id/occurrences': { param: (s) => ({ id: s.reportScheduleId }), expect: 404 },
  'PATCH /api/v1/saved-reports/:id': { param: (s) => ({ id: s.savedReportId }), body: { name: 'Hijacked' }, expect: 404 },
  'DELETE /api/v1/saved-reports/:id': { param: (s) => ({ id: s.savedReportId }), expect: 404 },
  'GET /api/v1/report-files/:token': { param: () => ({ token: 'revoked-or-unknown-token-0000' }), expect: 404, noCompany: true },
  // Public links are global secrets: a revoked or unknown one is refused alike, whoever asks.
  'GET /api/v1/public/assets/:token': { param: () => ({ token: 'revoked-or-unknown-token-0000' }), expect: 404, noCompany: true },
  'POST /api/v1/public/assets/:token/reports': { param: () => ({ token: 'revoked-or-unknown-token-0000' }), expect: 404, noCompany: true },
};

/** A side's assets: a location with an asset in it (and a file), a spare location, an unused manufacturer. */
async function assetSide(company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const loc = await admin.post('/api/v1/locations', { name: `${tag}-secret site` });
  const spare = await admin.post('/api/v1/locations', { name: `${tag}-secret spare room`, parentId: loc.body.id });
  const maker = await admin.post('/api/v1/picklists/manufacturers', { name: `${tag}-secret maker` });
  const category = (await admin.get('/api/v1/picklists/categories')).body.items[0].id;
  const asset = await admin.post('/api/v1/assets', { name: `${tag}-secret asset`, categoryId: category, locationId: loc.body.id });
  expect(asset.status).toBe(201);
  const file = await admin.request('POST', `/api/v1/assets/${asset.body.id}/files`, upload.body, upload.headers);
  expect(file.status).toBe(201);
  return { assetId: asset.body.id as string, assetFileId: file.body.file.id as string, assetLocationId: loc.body.id as string, spareLocationId: spare.body.id as string, manufacturerId: maker.body.id as string };
}

/** A side's schedule: a shift of its technician next week, and two time-off requests of theirs. */
async function scheduleSide(h: Harness, company: TestCompany, tag: string, offset: number) {
  // Their own technician: the side's `other` user is deactivated by one of the calls above.
  const other = await createUser(h, company, { role: 'Technician' });
  const day = (n: number) => new Date(Date.UTC(2030, 0, 7 + n + offset, 8)).toISOString();
  const entry = await company.admin.client.post('/api/v1/schedule/entries', { technicianId: String(other.id), kind: 'shift', startsAt: day(0), endsAt: day(0).replace('T08', 'T16'), timezone: 'UTC', note: `${tag}-secret shift` });
  expect(entry.status).toBe(201);
  const off = async (n: number) => {
    const r = await other.client.post('/api/v1/time-off', { kind: 'vacation', startsAt: day(n), endsAt: day(n + 1), note: `${tag}-secret holiday` });
    expect(r.status).toBe(201);
    return r.body.timeOff.id as string;
  };
  return { entryId: entry.body.entry.id as string, timeOffApproveId: await off(10), timeOffRejectId: await off(20) };
}

/** A side's meters: a device with two meters (one to delete), and a second device to delete. */
async function metersSide(h: Harness, company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const device = await admin.post('/api/v1/devices', { name: `${tag}-secret device` });
  expect(device.status).toBe(201);
  const spare = await admin.post('/api/v1/devices', { name: `${tag}-secret spare device` });
  expect(spare.status).toBe(201);
  const meter = async (key: string) => {
    const r = await admin.post('/api/v1/meters', { deviceId: device.body.device.id, key, name: `${tag}-secret ${key}`, unit: 'kWh' });
    expect(r.status).toBe(201);
    return r.body.meter.id as string;
  };
  const meterId = await meter('energy');
  const threshold = await admin.post(`/api/v1/meters/${meterId}/thresholds`, { op: '>', value: 100, forSeconds: 60 });
  expect(threshold.status).toBe(201);
  return {
    deviceId: device.body.device.id as string,
    deleteDeviceId: spare.body.device.id as string,
    meterId,
    deleteMeterId: await meter('spare'),
    thresholdId: threshold.body.threshold.id as string,
    // An alert as the offline sweep writes it (the sweep itself is tested in meter-alerts.test.ts).
    alertId: String(
      (
        await h.deps.database.query<{ id: string }>(
          "insert into meter_alerts (tenant_id, kind, device_id, message, opened_at) values ($1, 'offline', $2, $3, now()) returning id",
          [company.id, device.body.device.id, `${tag}-secret device is offline`],
        )
      ).rows[0].id,
    ),
  };
}

/** A side's webhooks: one subscribed to new tickets with the delivery of one, and one to delete. */
async function webhooksSide(company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const hook = await admin.post('/api/v1/webhooks', { url: `https://93.184.215.14/${tag}-secret-hook`, events: ['ticket.created'] });
  expect(hook.status).toBe(201);
  const spare = await admin.post('/api/v1/webhooks', { url: `https://93.184.215.14/${tag}-secret-spare`, events: ['ticket.updated'] });
  expect(spare.status).toBe(201);
  expect((await admin.post('/api/v1/tickets', { kind: 'incident', title: `${tag}-secret hooked ticket` })).status).toBe(201);
  const log = await admin.get(`/api/v1/webhooks/${hook.body.webhook.id}/deliveries`);
  expect(log.body.items).toHaveLength(1);
  return { webhookId: hook.body.webhook.id as string, deleteWebhookId: spare.body.webhook.id as string, webhookDeliveryId: log.body.items[0].id as string };
}

/** A side's documents: a file linked to its asset and ticket, and a link to delete. */
async function documentsSide(company: TestCompany, tag: string, assetId: string, ticketNumber: number) {
  const admin = company.admin.client;
  const form = multipart([{ filename: `${tag}-secret manual.txt`, content: 'manual' }], { title: `${tag}-secret manual`, assetIds: assetId, ticketNumbers: String(ticketNumber) });
  const doc = await admin.request('POST', '/api/v1/documents', form.body, form.headers);
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  const link = await admin.post('/api/v1/documents', { title: `${tag}-secret link`, url: 'https://example.com/secret' });
  expect(link.status).toBe(201);
  return { documentId: doc.body.document.id as string, deleteDocumentId: link.body.document.id as string };
}

/** A side's reports: a monthly cost report schedule and a shared saved report. */
async function reportsSide(company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const schedule = await admin.post('/api/v1/report-schedules', { name: `${tag}-secret schedule`, report: 'costs', params: { groupBy: 'department' }, rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', time: '07:00', format: 'xlsx', recipients: [`${tag}@secret.test`] });
  expect(schedule.status).toBe(201);
  const saved = await admin.post('/api/v1/saved-reports', { name: `${tag}-secret report`, report: 'tickets', shared: true });
  expect(saved.status).toBe(201);
  return { reportScheduleId: schedule.body.id as string, savedReportId: saved.body.id as string };
}

/** A side's recurring work: a weekly recurring ticket and a monthly plan on its asset. */
async function maintenanceSide(company: TestCompany, tag: string, assetId: string) {
  const admin = company.admin.client;
  const rule = await admin.post('/api/v1/recurring-tickets', { title: `${tag}-secret weekly check`, kind: 'work_order', priority: 'low', rrule: 'FREQ=WEEKLY;BYDAY=MO', time: '07:30', tasks: [{ title: 'Look' }] });
  expect(rule.status).toBe(201);
  const plan = await admin.post(`/api/v1/assets/${assetId}/maintenance-plans`, {
    title: `${tag}-secret monthly service`,
    trigger: { type: 'interval', every: 1, unit: 'month', from: 'schedule' },
    template: { priority: 'medium', tasks: [{ title: 'Service' }] },
  });
  expect(plan.status).toBe(201);
  return { recurringTicketId: rule.body.recurringTicket.id as string, planId: plan.body.plan.id as string };
}

/** A side's stock: a location, a vendor, a part with stock there, and an open supply request for one unit of it. */
async function inventorySide(h: Harness, company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const locationId = await makeLocation(h, company.id, `${tag}-secret store`);
  const vendor = await admin.post('/api/v1/vendors', { name: `${tag}-secret vendor` });
  expect(vendor.status).toBe(201);
  const part = await makePart(admin, { name: `${tag}-secret part` });
  await receive(admin, part.id, locationId, 5);
  const supply = await admin.post('/api/v1/supply-requests', { lines: [{ partId: part.id, quantity: 1 }] });
  expect(supply.body.ticket.status).toBe('open');
  const file = await admin.request('POST', `/api/v1/parts/${part.id}/files`, upload.body, upload.headers);
  expect(file.status).toBe(201);
  return { partId: part.id, locationId, vendorId: vendor.body.id as string, supplyNumber: supply.body.ticket.number as number, inventoryFileId: file.body.file.id as string };
}

/** A side's e-mail channel: a webhook mailbox that received one message from an external sender. */
async function mailSide(h: Harness, company: TestCompany, tag: string) {
  const admin = company.admin.client;
  const box = await admin.post('/api/v1/mailboxes', { type: 'webhook', name: `${tag} mailbox`, address: `help-${tag.toLowerCase()}@${company.slug}.test` });
  expect(box.status).toBe(201);
  const token = String(box.body.mailbox.webhookUrl).split('/').pop() as string;
  const raw = Buffer.from(`From: ${tag} Sender <sender-${tag.toLowerCase()}@client.example>\r\nTo: help@${company.slug}.test\r\nSubject: ${tag} secret mail\r\nMessage-ID: <${tag}-${company.slug}@client.example>\r\n\r\nsecret\r\n`);
  const sent = await h.client().request('POST', `/api/v1/inbound/${token}`, raw, { 'content-type': 'message/rfc822' });
  expect(sent.body.result).toBe('created');
  const messages = await admin.get(`/api/v1/mailboxes/${box.body.mailbox.id}/messages`);
  const contacts = await admin.get('/api/v1/contacts');
  return { mailboxId: box.body.mailbox.id as string, inboundId: messages.body.items[0].id as string, contactId: contacts.body.items[0].id as string };
}

/** A side's purchasing: what every purchasing route with an id needs, one PO per state-changing route. */
async function purchasingSide(company: TestCompany, tag: string, partId: string, locationId: string) {
  const admin = company.admin.client;
  const buyer = await admin.post('/api/v1/buying-companies', { name: `${tag}-secret buyer`, address: 'Somewhere' });
  expect((await admin.request('PUT', `/api/v1/buying-companies/${buyer.body.id}/logo`, logo.body, logo.headers)).status).toBe(200);
  const shipTo = await admin.post('/api/v1/ship-to', { name: `${tag}-secret dock`, taxRate: 10, locationId });
  const vendor = await admin.post('/api/v1/vendors', { name: `${tag}-secret supplier`, email: `orders@${tag.toLowerCase()}.test` });
  const draft = async (withPart = false) => {
    const item = await admin.post('/api/v1/planned-items', { description: `${tag}-secret item`, quantity: 5, unitPrice: 2, vendorId: vendor.body.id, partId: withPart ? partId : undefined });
    const made = await admin.post('/api/v1/purchase-orders/drafts', { plannedItemIds: [item.body.plannedItem.id], buyingCompanyId: buyer.body.id, shipToId: shipTo.body.id });
    expect(made.status).toBe(201);
    return made.body.purchaseOrders[0] as { id: string; lines: Array<{ id: string }> };
  };
  const sent = async (withPart = false) => {
    const po = await draft(withPart);
    expect((await admin.post(`/api/v1/purchase-orders/${po.id}/finalize`)).status).toBe(200);
    return po;
  };
  const planned = await admin.post('/api/v1/planned-items', { description: `${tag}-secret planned`, quantity: 1, unitPrice: 1 });
  const receivable = await sent(true);
  const closable = await sent(true);
  expect((await admin.post(`/api/v1/purchase-orders/${closable.id}/receive`, { lines: [{ lineId: closable.lines[0].id, quantity: 5 }] })).status).toBe(200);
  return {
    buyingCompanyId: buyer.body.id as string,
    shipToId: shipTo.body.id as string,
    plannedItemId: planned.body.plannedItem.id as string,
    draftId: (await draft()).id,
    finalizeDraftId: (await draft()).id,
    deleteDraftId: (await draft()).id,
    sentPoId: (await sent()).id,
    receivePoId: receivable.id,
    receiveLineId: receivable.lines[0].id,
    closePoId: closable.id,
    cancelPoId: (await sent()).id,
  };
}

describe('cross-company isolation', () => {
  let h: Harness;
  let A: Side;
  let B: Side;

  async function makeSide(tag: string): Promise<Side> {
    const company = await createCompany(h, { name: `Company ${tag}` });
    const admin = company.admin.client;
    const other = await createUser(h, company, { role: 'Technician' });
    // A second session of the admin, to be ended by id.
    const second = h.client();
    expect((await second.login(company.admin.email, 'correct-horse-battery')).status).toBe(200);
    const sessions = await admin.get('/api/v1/me/sessions');
    const otherSession = sessions.body.items.find((s: { current: boolean }) => !s.current);
    const role = await admin.post('/api/v1/roles', { name: `${tag}-secret-role`, level: 30, permissions: ['tickets.create'] });
    expect(role.status).toBe(201);
    const dept = await admin.post('/api/v1/departments', { name: `${tag}-secret-dept`, headUserId: String(other.id) });
    expect(dept.status).toBe(201);
    const link = await admin.post('/api/v1/quick-links', { title: `${tag} intranet`, url: 'https://intranet.example.com/' });
    expect(link.status).toBe(201);
    const week = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
    const calendar = await admin.post('/api/v1/business-hours', { name: `${tag} night desk`, timezone: 'Europe/London', week });
    expect(calendar.status).toBe(201);
    const defaultCalendar = (await admin.get('/api/v1/business-hours')).body.items.find((c: { isDefault: boolean }) => c.isDefault);
    const policy = await admin.post('/api/v1/sla-policies', {
      name: `${tag} VIP`,
      businessHoursId: defaultCalendar.id,
      targets: { urgent: { firstResponseMinutes: 15, resolutionMinutes: 120 } },
    });
    expect(policy.status).toBe(201);
    const invited = await admin.post('/api/v1/users', {
      name: `${tag} Secret Invitee`,
      email: `invitee-${tag.toLowerCase()}@${company.slug}.test`,
      roleId: String(company.roleIds.get('Requester')),
    });
    expect(invited.status).toBe(201);
    const [mail] = await outbox(h, { to: `invitee-${tag.toLowerCase()}@${company.slug}.test` });
    const token = linkToken(mail.text, '/invitation');
    const { rows } = await h.deps.database.query<{ token_hash: string }>(
      "select token_hash from one_time_tokens where tenant_id = $1 and purpose = 'invitation'",
      [company.id],
    );
    const api = await admin.post('/api/v1/api-tokens', { name: `${tag} token` });
    expect(api.status).toBe(201);
    const team = await admin.post('/api/v1/teams', { name: `${tag} team`, memberIds: [String(other.id)] });
    expect(team.status).toBe(201);
    const category = await admin.post('/api/v1/categories', {
      name: `${tag} category`,
      approvalSteps: [{ type: 'role', roleId: String(company.roleIds.get('Admin')) }],
      defaultTeamId: team.body.id,
    });
    expect(category.status).toBe(201);
    // B opens more tickets than A, so B's numbers past A's count exist only in B.
    const extra = tag === 'B' ? 6 : 0; // A also opens one by mail (mailSide)
    for (let i = 0; i < extra; i++) await admin.post('/api/v1/tickets', { kind: 'incident', title: `${tag} filler ${i}` });
    const open = await admin.post('/api/v1/tickets', { kind: 'incident', title: `${tag} secret ticket`, description: 'secret' });
    expect(open.status).toBe(201);
    const number = open.body.ticket.number;
    const attachment = await admin.request('POST', `/api/v1/tickets/${number}/attachments`, upload.body, upload.headers);
    expect(attachment.status).toBe(201);
    const task = await admin.post(`/api/v1/tickets/${number}/tasks`, { title: `${tag} secret task` });
    expect(task.status).toBe(201);
    const time = await admin.post(`/api/v1/tickets/${number}/time-entries`, { minutes: 30, billable: true, rate: 50 });
    expect(time.status).toBe(201);
    const process = await admin.post('/api/v1/processes', { name: `${tag} process`, tasks: ['one', 'two'] });
    expect(process.status).toBe(201);
    const project = await admin.post('/api/v1/projects', { name: `${tag} project` });
    expect(project.status).toBe(201);
    const view = await admin.post('/api/v1/saved-views', { name: `${tag} view`, filters: { status: 'open' } });
    expect(view.status).toBe(201);
    // Kept through the deletions below, for the lists check.
    expect((await admin.post('/api/v1/saved-views', { name: `${tag}-secret kept view`, filters: {} })).status).toBe(201);
    expect((await admin.post('/api/v1/processes', { name: `${tag}-secret kept process`, tasks: [] })).status).toBe(201);
    const waiting = async (title: string) => {
      const r = await other.client.post('/api/v1/tickets', { kind: 'request', title, categoryId: category.body.id });
      expect(r.body.ticket.status).toBe('pending_approval');
      return r.body.ticket.number as number;
    };
    const stock = await inventorySide(h, company, tag);
    const assets = await assetSide(company, tag);
    return {
      company,
      other,
      roleId: role.body.id,
      departmentId: dept.body.id,
      invitedId: invited.body.id,
      invitationToken: token,
      invitationTokenHash: rows[0].token_hash,
      mailId: String(mail.id),
      apiTokenId: api.body.id,
      otherSessionId: otherSession.id,
      ticketNumber: open.body.ticket.number,
      approveNumber: await waiting(`${tag} to approve`),
      rejectNumber: await waiting(`${tag} to reject`),
      categoryId: category.body.id,
      teamId: team.body.id,
      attachmentId: attachment.body.attachment.id,
      taskId: task.body.task.id,
      timeEntryId: time.body.entry.id,
      processId: process.body.process.id,
      projectId: project.body.project.id,
      viewId: view.body.view.id,
      quickLinkId: link.body.quickLink.id,
      businessHoursId: calendar.body.businessHours.id,
      slaPolicyId: policy.body.policy.id,
      ...stock,
      ...assets,
      ...(await maintenanceSide(company, tag, assets.assetId)),
      ...(await scheduleSide(h, company, tag, tag === 'B' ? 1 : 0)),
      ...(await reportsSide(company, tag)),
      ...(await metersSide(h, company, tag)),
      ...(await webhooksSide(company, tag)),
      ...(await documentsSide(company, tag, assets.assetId, open.body.ticket.number)),
      ...(await purchasingSide(company, tag, stock.partId, stock.locationId)),
      ...(await mailSide(h, company, tag)),
    };
  }

  beforeAll(async () => {
    h = await harness();
    A = await makeSide('A');
    B = await makeSide('B');
  });
  afterAll(() => h.close());

  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  it('has a mapping for every route with a path parameter', () => {
    expect(h.routes.length).toBeGreaterThan(30);
    const withParams = h.routes.filter((r) => r.url.includes(':')).map(key);
    expect(withParams.length).toBeGreaterThan(10);
    const unmapped = withParams.filter((k) => !MAPPINGS[k]);
    // A new route with a parameter must be added to MAPPINGS with B's resource of its kind.
    expect(unmapped).toEqual([]);
    // And no mapping for a route that no longer exists.
    expect(Object.keys(MAPPINGS).filter((k) => !withParams.includes(k))).toEqual([]);
  });

  it("answers 404 (403 for the operator's routes) to A's admin for every one of B's resources, and changes nothing of B", async () => {
    const before = await snapshot(h, B.company.id, { skip: ['presence'] });
    const failures: string[] = [];
    for (const route of h.routes.filter((r) => r.url.includes(':'))) {
      const m = MAPPINGS[key(route)];
      const url = fillPath(route.url, m.param(B));
      const res = await A.company.admin.client.request(
        route.method,
        url,
        m.bodyOf?.(B) ?? m.body ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}),
        (await m.headers?.(B, h)) ?? {},
      );
      const code = m.expect === 404 ? 'not_found' : 'forbidden';
      if (res.status !== m.expect || res.body?.error?.code !== code)
        failures.push(`${route.method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(h, B.company.id, { skip: ['presence'] })).toEqual(before);
  });

  it("the same calls with A's own resources work, so the 404s above are about the company", async () => {
    const failures: string[] = [];
    // Reads first (the invitation link is replaced when it is re-sent), deletions last.
    const rank = (m: string) => ({ GET: 0, DELETE: 2 })[m] ?? 1;
    const order = [...h.routes.filter((r) => r.url.includes(':'))].sort((x, y) => rank(x.method) - rank(y.method));
    for (const route of order) {
      const m = MAPPINGS[key(route)];
      if (m.expect === 403 || m.noCompany) continue;
      const params = route.url.includes(':token') ? { token: A.invitationToken } : m.param(A);
      const url = fillPath(route.url, params);
      const res = await A.company.admin.client.request(
        route.method,
        url,
        m.bodyOf?.(A) ?? m.body ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}),
        (await m.headers?.(A, h)) ?? {},
      );
      if (res.status >= 300) failures.push(`${route.method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it('lists seen by A never contain B', async () => {
    const bIds = await h.deps.database.query<{ t: string; id: string }>(
      `select 'users' t, id::text from users where tenant_id = $1 union all
       select 'roles', id::text from roles where tenant_id = $1 union all
       select 'departments', id::text from departments where tenant_id = $1 union all
       select 'outbox', id::text from mail_outbox where tenant_id = $1 union all
       select 'audit', id::text from audit_log where tenant_id = $1 union all
       select 'projects', id::text from projects where tenant_id = $1 union all
       select 'processes', id::text from processes where tenant_id = $1 union all
       select 'views', id::text from saved_views where tenant_id = $1 union all
       select 'documents', id::text from documents where tenant_id = $1`,
      [B.company.id],
    );
    const aIds = await h.deps.database.query<{ t: string; id: string }>(
      `select 'users' t, id::text from users where tenant_id = $1 union all
       select 'roles', id::text from roles where tenant_id = $1 union all
       select 'departments', id::text from departments where tenant_id = $1 union all
       select 'outbox', id::text from mail_outbox where tenant_id = $1 union all
       select 'audit', id::text from audit_log where tenant_id = $1 union all
       select 'projects', id::text from projects where tenant_id = $1 union all
       select 'processes', id::text from processes where tenant_id = $1 union all
       select 'views', id::text from saved_views where tenant_id = $1 union all
       select 'documents', id::text from documents where tenant_id = $1`,
      [A.company.id],
    );
    const ids = (rows: Array<{ t: string; id: string }>, t: string) => new Set(rows.filter((r) => r.t === t).map((r) => r.id));
    for (const [url, kind] of [
      ['/api/v1/users?limit=200', 'users'],
      ['/api/v1/roles', 'roles'],
      ['/api/v1/departments', 'departments'],
      ['/api/v1/outbox?limit=200', 'outbox'],
      ['/api/v1/audit?limit=200', 'audit'],
      ['/api/v1/projects', 'projects'],
      ['/api/v1/processes', 'processes'],
      ['/api/v1/saved-views', 'views'],
      ['/api/v1/documents', 'documents'],
    ] as const) {
      const res = await A.company.admin.client.get(url);
      expect(res.status, url).toBe(200);
      const seen: string[] = res.body.items.map((i: { id: string }) => i.id);
      expect(seen.length, url).toBeGreaterThan(0);
      expect(ids(bIds.rows, kind).size, url).toBeGreaterThan(0);
      expect(
        seen.filter((id) => ids(bIds.rows, kind).has(id)),
        url,
      ).toEqual([]);
      expect(
        seen.filter((id) => !ids(aIds.rows, kind).has(id)),
        url,
      ).toEqual([]);
      const text = res.raw.body;
      expect(text, url).not.toContain(B.company.slug);
      expect(text, url).not.toContain('B-secret');
      expect(text, url).not.toContain('B Secret');
    }
    // The audit filter by actor with one of B's user ids finds nothing.
    const byB = await A.company.admin.client.get(`/api/v1/audit?actorId=${B.company.admin.id}`);
    expect(byB.status).toBe(200);
    expect(byB.body.items).toEqual([]);
  });

  it("tickets: A's list, search, exports, dashboard, notifications and live socket never show B's tickets", async () => {
    const bTicketIds = await h.deps.database.query<{ id: string }>('select id::text from tickets where tenant_id = $1', [B.company.id]);
    expect(bTicketIds.rows.length).toBeGreaterThan(0);
    const live = await openLive(h, A.company.admin.client.cookie!);
    try {
      // B changes a ticket while A's socket is open: nothing of it may reach A.
      await B.company.admin.client.post(`/api/v1/tickets/${B.ticketNumber}/comments`, { body: 'B secret live comment' });
      for (const url of [
        '/api/v1/tickets?limit=200&archived=true',
        '/api/v1/tickets?q=secret&limit=200',
        '/api/v1/tickets?q=B%20secret%20ticket',
        '/api/v1/tickets/export.csv?archived=true',
        '/api/v1/tickets/export.xlsx',
        '/api/v1/dashboard',
        '/api/v1/notifications?limit=200',
        '/api/v1/categories',
        '/api/v1/teams',
      ]) {
        const res = await A.company.admin.client.get(url);
        expect(res.status, url).toBe(200);
        const text = res.raw.rawPayload.toString('latin1');
        expect(text, url).not.toContain('B secret');
        expect(text, url).not.toContain('B category');
        expect(text, url).not.toContain('B team');
        if (res.body?.items && url.startsWith('/api/v1/tickets?')) {
          const bIds = new Set(bTicketIds.rows.map((r) => r.id));
          expect(res.body.items.filter((t: { id: string }) => bIds.has(t.id)), url).toEqual([]);
        }
      }
      await sleep(300);
      expect(JSON.stringify(live.messages)).not.toContain(`"number":${B.ticketNumber},"version"`);
      expect(live.messages.filter((m) => m.type === 'ticket.updated')).toEqual([]);
    } finally {
      await live.close();
    }
  });

  it("presence: A's live socket and online list never mention B's users", async () => {
    const aLive = await openLive(h, A.company.admin.client.cookie!);
    const bLive = await openLive(h, B.company.admin.client.cookie!);
    try {
      const mentions = (msgs: Array<{ type: string; data: unknown }>, id: number) =>
        msgs.some((m) => m.type === 'presence' && (m.data as { online: Array<{ id: string }> }).online.some((u) => u.id === String(id)));
      expect(await eventually(async () => mentions(aLive.messages, A.company.admin.id))).toBe(true);
      expect(await eventually(async () => mentions(bLive.messages, B.company.admin.id))).toBe(true);
      // B's user connecting is announced to B only.
      const bOther = await openLive(h, B.other.client.cookie!);
      expect(await eventually(async () => mentions(bLive.messages, B.other.id))).toBe(true);
      await bOther.close();
      await sleep(300);
      const bUsers = (
        await h.deps.database.query<{ id: string; name: string }>('select id::text, name from users where tenant_id = $1', [B.company.id])
      ).rows;
      const aText = JSON.stringify(aLive.messages);
      for (const u of bUsers) expect(aText).not.toContain(u.name);
      for (const m of aLive.messages.filter((x) => x.type === 'presence')) {
        for (const u of (m.data as { online: Array<{ id: string }> }).online) expect(bUsers.map((b) => b.id)).not.toContain(u.id);
      }
      expect(aLive.messages.find((m) => m.type === 'hello')).toEqual({ type: 'hello', data: { userId: String(A.company.admin.id) } });

      const online = await A.company.admin.client.get('/api/v1/users/online');
      expect(online.status).toBe(200);
      const onlineIds = online.body.items.map((u: { id: string }) => u.id);
      expect(onlineIds).toContain(String(A.company.admin.id));
      expect(onlineIds).not.toContain(String(B.company.admin.id));
      for (const u of bUsers) expect(onlineIds).not.toContain(u.id);
    } finally {
      await aLive.close();
      await bLive.close();
    }
  });

  it("A's API token cannot reach B either", async () => {
    const token = await A.company.admin.client.post('/api/v1/api-tokens', { name: 'probe' });
    const bearer = h.client();
    bearer.bearer = token.body.token;
    const before = await snapshot(h, B.company.id, { skip: ['presence'] });
    const got = await bearer.get(`/api/v1/users/${B.company.admin.id}`);
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe('not_found');
    const patched = await bearer.patch(`/api/v1/users/${B.other.id}`, { active: false });
    expect(patched.status).toBe(404);
    expect(patched.body.error.code).toBe('not_found');
    expect(await snapshot(h, B.company.id, { skip: ['presence'] })).toEqual(before);
  });
});
