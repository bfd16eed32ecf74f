/**
 * Nothing on the first screen moves (issue #14, point 3). A first visit on
 * a thin link (cold: a fresh browser context with no cache and no worker;
 * 600 ms round trips at 1 Mbit/s through Chromium's own network emulation)
 * is watched until the network goes idle, which includes the demo workshops
 * arriving by sync, the lazy header controls and the worker's precache
 * download, and the page's `layout-shift` entries must add up to 0 on the
 * phone widths participants use.
 */
import { expect, test } from '@playwright/test';
import { demoWorkshopLink } from './helpers';

const WIDTHS = [360, 390, 412, 430];

interface Shift {
  value: number;
  sources: string[];
}

declare global {
  interface Window {
    __layoutShifts?: Shift[];
  }
}

for (const width of WIDTHS) {
  test(`the first load does not shift the layout at ${width} px`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    // Registered before any of the page's scripts run, with `buffered` so shifts before it count too.
    await page.addInitScript(() => {
      const shifts: Shift[] = [];
      window.__layoutShifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
          sources?: { node?: Node | null }[];
        })[]) {
          if (entry.hadRecentInput) continue;
          const sources = (entry.sources ?? []).map((s) =>
            s.node instanceof Element
              ? `${s.node.tagName.toLowerCase()}.${s.node.className}`
              : String(s.node?.nodeName),
          );
          shifts.push({ value: entry.value, sources });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 600,
      downloadThroughput: 1_000_000 / 8,
      uploadThroughput: 1_000_000 / 8,
    });

    await page.goto('/');
    await demoWorkshopLink(page);
    await page.waitForLoadState('networkidle', { timeout: 90_000 });

    const shifts = await page.evaluate(() => window.__layoutShifts ?? []);
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    expect(total, `layout shifts at ${width} px: ${JSON.stringify(shifts)}`).toBe(0);
    await context.close();
  });
}
