/**
 * Unit and contract tests: pure domain logic, the Dexie database (on
 * fake-indexeddb) and the server (through Fastify's inject, on SQLite and,
 * when TEST_DATABASE_URL is set, PostgreSQL). Browser tests are Playwright's.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'test/server/**/*.test.ts',
      'test/fault/**/*.test.ts',
      'test/lint/**/*.test.ts',
      'test/docs/**/*.test.ts',
      'test/messages/**/*.test.ts',
      'test/s3/**/*.test.ts',
      'test/scale/**/*.test.ts',
    ],
    setupFiles: ['test/setup/vitest.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
