/**
 * Browser tests of the built PWA against the real server (Fastify + SQLite)
 * with a fresh database holding only the demo content. Chromium comes from
 * Debian: Playwright's own download does not work on this machine.
 */
import { defineConfig, devices } from '@playwright/test';

const PORT = 4173;

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
    command: `npm run build && rm -rf .tmp/e2e-data && mkdir -p .tmp/e2e-data && PORT=${PORT} DATABASE_PATH=.tmp/e2e-data/vaka.db npx tsx src/server/main.ts`,
    url: `http://localhost:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
