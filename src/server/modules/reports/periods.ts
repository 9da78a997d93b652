// Relative periods live in src/shared/time/relative-periods.ts (the web resolves them too).
export { relativePeriod } from '../../../shared/time/relative-periods.js';
