// The API's contracts: zod schemas of every route's input and output with their inferred types, the
// value lists, the error codes and the permission type. Routes validate and answer with these; the
// web client imports the same types (with `import type`, and value lists from enums.ts, so zod stays
// out of its bundle).
export * from './assets.js';
export * from './attachments.js';
export * from './audit.js';
export * from './auth.js';
export * from './categories.js';
export * from './common.js';
export * from './companies.js';
export * from './dashboards.js';
export * from './departments.js';
export * from './documents.js';
export * from './enums.js';
export * from './errors.js';
export * from './inventory.js';
export * from './live.js';
export * from './locations.js';
export * from './me.js';
export * from './notifications.js';
export * from './outbox.js';
export * from './picklists.js';
export * from './projects.js';
export * from './public-report.js';
export * from './quick-links.js';
export * from './purchasing.js';
export * from './roles.js';
export * from './saved-views.js';
export * from './settings.js';
export * from './supply.js';
export * from './system.js';
export * from './ticket-work.js';
export * from './tickets-bulk.js';
export * from './tickets-links.js';
export * from './tickets.js';
export * from './users.js';
export * from './webhooks.js';
export * from './schedule.js';
