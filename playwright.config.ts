/**
 * Browser tests of the built PWA against the real server (Fastify + SQLite)
 * with a fresh database holding only the demo content. Chromium comes from
 * Debian: Playwright's own download does not work on this machine.
 */
import { defineConfig, devices } from '@playwright/test';

/** Overridable so several people can run browser tests side by side without sharing a port or a build. */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const E2E_DIST = process.env.E2E_DIST ?? 'dist';
const DATA = `.tmp/e2e-data-${PORT}`;

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    // A small Android phone: the narrowest screen the design promises.
    ...devices['Pixel 5'],
    viewport: { width: 360, height: 740 },
    locale: 'en-GB',
    timezoneId: 'Pacific/Fiji',
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium-mobile', use: { browserName: 'chromium' } }],
  webServer: {
    command: `npx vite build --outDir ${E2E_DIST} --emptyOutDir && rm -rf ${DATA} && mkdir -p ${DATA} && PORT=${PORT} DATABASE_PATH=${DATA}/vaka.db STATIC_DIR=${E2E_DIST} npx tsx src/server/main.ts`,
    url: `http://localhost:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
