import { defineConfig } from 'vitest/config';

// Every suite runs on PGlite; with TEST_DATABASE_URL set, the same suites run on PostgreSQL too.
const databases = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  test: {
    // Most files wait on a database, a broker or a timer more than they compute: two at a time (the
    // default on a 2-core machine is one) keeps both cores busy.
    maxWorkers: 2,
    projects: databases.map((db) => ({
      test: {
        name: db,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['test/e2e/**', 'node_modules/**'],
        env: { STEWARD_TEST_DB: db },
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: 'forks',
        // A worker keeps its imported modules from one test file to the next. Isolated, every file
        // imported the whole server again: vitest counted 794 s of imports in a 1,539 s run of both
        // engines, 46 s in CI's run after (978 s; README, "Development and tests"). Files share no
        // state through modules: each builds its own app and database (test/harness.ts).
        isolate: false,
      },
    })),
  },
});
