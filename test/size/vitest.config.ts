/**
 * Runs the size budget on its own (it builds the whole app, so it is kept
 * out of the fast unit suite): npx vitest run --config test/size/vitest.config.ts
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/size/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
