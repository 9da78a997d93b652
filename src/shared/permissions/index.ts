export * from './catalogue.js';
export * from './defaults.js';
export * from './can.js';
