export * from './companies.js';
export * from './users.js';
export * from './auth.js';
export * from './audit.js';
export * from './mail.js';
export * from './tickets.js';
export * from './assets.js';
export * from './purchasing.js';
