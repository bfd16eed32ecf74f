/**
 * Section 2, load on an island link: the built PWA from the real server
 * (SQLite, demo content) in Debian's Chromium with the CPU slowed 4×, from
 * an empty profile to "usable" = the workshop list shows a link to a
 * workshop (what test/e2e waits for), on three links; then a relaunch with
 * the network cut: a new page in the same profile, service worker stopped
 * first, to the same "usable".
 *
 * Two ways of shaping the link, both reported:
 *   cdp    Chromium's Network.emulateNetworkConditions on the page, as the
 *          issue asks. It adds the latency once per request and throttles
 *          only the page's own requests: the service worker's precache
 *          download, TCP handshakes and slow start are not slowed.
 *   proxy  every byte through proxy.ts (one shared link, per-direction
 *          delay and bandwidth, handshake and slow start), so the precache
 *          download competes with the first sync as it would on a phone.
 * The physical floor is bytes the page fetched before it was usable ÷
 * bandwidth + the round trips no design avoids: the HTML, then its
 * assets, then the one sync request (+ one TCP handshake under the proxy).
 *
 * To keep `npm run bench` under 10 minutes, proxy shaping runs on link (b),
 * the one with a target, unless BENCH_LOAD_PROXY_LINKS=a,b,c asks for more;
 * and the offline relaunch is measured after the cdp runs on link (a) only
 * (as many runs as the cold loads): it happens with the network off, so the
 * link it was first loaded over cannot change it, while waiting for the
 * service worker to finish its precache through the shaped proxy link took
 * 20–70 s a run.
 */
import { chromium, devices, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import http from 'node:http';
import { BuildError, sharedBuild } from './build';
import { DelayProxy } from './proxy';
import { startServer, tempDir, type RunningServer } from './server';
import { bytesText, kb, median, progress, seconds, withTimeout } from './stats';
import { verdict, type SectionResult, type Table, type TargetCheck } from './report';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

interface Link {
  key: string;
  label: string;
  rttMs: number;
  bps: number;
  /** Target for cold load to usable, where the issue sets one. */
  targetMs: number | null;
}

const LINKS: Link[] = [
  { key: 'a', label: '(a) 1.6 Mbit/s, 150 ms', rttMs: 150, bps: 1_600_000, targetMs: null },
  { key: 'b', label: '(b) 1 Mbit/s, 600 ms', rttMs: 600, bps: 1_000_000, targetMs: 5000 },
  { key: 'c', label: '(c) 400 kbit/s, 400 ms', rttMs: 400, bps: 400_000, targetMs: null },
];

const OFFLINE_TARGET_MS = 1000;
/** The offline relaunch is measured after the cold loads over this link (cdp shaping). */
const OFFLINE_AFTER_LINK = 'a';
const CPU_SLOWDOWN = 4;
const USABLE_SELECTOR = 'a[href^="/workshops/"]';

type Mode = 'cdp' | 'proxy';

interface ColdRun {
  mode: Mode;
  link: string;
  run: number;
  usableMs: number | null;
  /** Encoded bytes of the page's own requests that finished before usable. */
  pageBytes: number;
  pageRequests: number;
  /** Proxy mode: every byte on the link (page and service worker) until usable. */
  linkBytes: number | null;
  offlineMs: number | null;
  /** Offline again right after, the service worker still running. */
  offlineWorkerUpMs: number | null;
  error: string | null;
  urls: string[];
}

/**
 * Runs in the page before any of its scripts: notes the moment a workshop
 * link is laid out. A string, not a function: tsx (esbuild keepNames) would
 * wrap a function's inner helpers in __name(), which the page does not have.
 */
const USABLE_PROBE = `(() => {
  const check = () => {
    if (window.__vakaUsable !== undefined) return true;
    const el = document.querySelector(${JSON.stringify(USABLE_SELECTOR)});
    if (el && el.getBoundingClientRect().height > 0) {
      window.__vakaUsable = performance.now();
      return true;
    }
    return false;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();`;

async function usableAt(page: Page, limitMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as Window & { __vakaUsable?: number }).__vakaUsable,
    undefined,
    { timeout: limitMs, polling: 100 },
  );
  return Number(await handle.jsonValue());
}

/** Resolves once a service worker is activated and controls the page (test/e2e/helpers.ts, same reasons). */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) throw new Error('no active service worker');
    if (worker.state !== 'activated') {
      await new Promise<void>((resolve) =>
        worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()),
      );
    }
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
    }
  });
}

interface NetLog {
  finished: { url: string; bytes: number; at: number }[];
}

/** Records the page's finished requests with wall-clock times (CDP timestamps are monotonic). */
async function watchNetwork(cdp: CDPSession): Promise<NetLog> {
  const log: NetLog = { finished: [] };
  const urls = new Map<string, string>();
  let offset: number | null = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    if (offset === null) offset = e.wallTime * 1000 - e.timestamp * 1000;
  });
  cdp.on('Network.loadingFinished', (e) => {
    log.finished.push({
      url: urls.get(e.requestId) ?? '?',
      bytes: e.encodedDataLength,
      at: e.timestamp * 1000 + (offset ?? 0),
    });
  });
  await cdp.send('Network.enable');
  return log;
}

async function coldRun(
  browser: Browser,
  baseUrl: string,
  link: Link,
  mode: Mode,
  run: number,
  proxy: DelayProxy | null,
  measureOffline: boolean,
): Promise<ColdRun> {
  const result: ColdRun = {
    mode,
    link: link.key,
    run,
    usableMs: null,
    pageBytes: 0,
    pageRequests: 0,
    linkBytes: null,
    offlineMs: null,
    offlineWorkerUpMs: null,
    error: null,
    urls: [],
  };
  const { defaultBrowserType: _unused, ...pixel5 } = devices['Pixel 5']!;
  const context: BrowserContext = await browser.newContext({
    ...pixel5,
    viewport: { width: 360, height: 740 },
    locale: 'en-GB',
    timezoneId: 'Pacific/Fiji',
    serviceWorkers: 'allow',
  });
  try {
    await context.addInitScript(USABLE_PROBE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const net = await watchNetwork(cdp);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    if (mode === 'cdp') {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: link.rttMs,
        downloadThroughput: link.bps / 8,
        uploadThroughput: link.bps / 8,
      });
    } else {
      proxy!.dropConnections();
      proxy!.setProfile({ delayMs: link.rttMs / 2, upBps: link.bps, downBps: link.bps, tcp: true });
      proxy!.resetStats();
    }
    await page.goto(baseUrl, { waitUntil: 'commit', timeout: 120_000 });
    const usable = await usableAt(page, 120_000);
    result.usableMs = usable;
    if (proxy) result.linkBytes = proxy.stats().bytesDown + proxy.stats().bytesUp;
    const origin = await page.evaluate(() => performance.timeOrigin);
    const before = net.finished.filter((f) => f.at <= origin + usable + 1);
    result.pageBytes = before.reduce((s, f) => s + f.bytes, 0);
    result.pageRequests = before.length;
    result.urls = before.map((f) => `${f.url.replace(baseUrl, '')} ${bytesText(f.bytes)}`);
    if (!measureOffline) return result;

    // Relaunch offline: the worker must be in charge first, then the app is closed and opened again.
    await withTimeout(waitForServiceWorker(page), 180_000, 'service worker activation');
    await page.close();
    await context.setOffline(true);
    const again = await context.newPage();
    const cdp2 = await context.newCDPSession(again);
    await cdp2.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await cdp2.send('ServiceWorker.enable');
    await cdp2.send('ServiceWorker.stopAllWorkers');
    await again.goto(baseUrl, { waitUntil: 'commit', timeout: 60_000 });
    result.offlineMs = await usableAt(again, 60_000);
    await again.close();
    const third = await context.newPage();
    const cdp3 = await context.newCDPSession(third);
    await cdp3.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await third.goto(baseUrl, { waitUntil: 'commit', timeout: 60_000 });
    result.offlineWorkerUpMs = await usableAt(third, 60_000);
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  } finally {
    await context.close().catch(() => undefined);
  }
  return result;
}

/** The first sync of a new phone, as the server sends it to Chromium (br), measured at the socket. */
async function firstSyncBytes(server: RunningServer): Promise<{ bytes: number; pages: number }> {
  let bytes = 0;
  let pages = 0;
  let cursors: Record<string, number> = {};
  let epoch: string | null = null;
  for (let more = true; more && pages < 50;) {
    pages++;
    const body = JSON.stringify({ protocol: PROTOCOL_VERSION, epoch, cursors, mutations: [] });
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(
        `${server.url}/api/v1/sync`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            bytes += chunks.reduce((s, c) => s + c.length, 0);
            resolve(Buffer.concat(chunks));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const { brotliDecompressSync } = await import('node:zlib');
    const json = JSON.parse(brotliDecompressSync(raw).toString('utf8')) as {
      hasMore: boolean;
      cursors: Record<string, number>;
      epoch: string;
    };
    cursors = { ...cursors, ...json.cursors };
    epoch = json.epoch;
    more = json.hasMore;
  }
  return { bytes, pages };
}

/** Links measured with proxy shaping: (b) by default, BENCH_LOAD_PROXY_LINKS=a,b,c for all. */
function proxyLinks(): Link[] {
  const keys = process.env.BENCH_LOAD_PROXY_LINKS?.split(',').map((k) => k.trim()) ?? ['b'];
  return LINKS.filter((l) => keys.includes(l.key));
}

export async function loadSection(opts: { runs: number }): Promise<SectionResult> {
  let build;
  try {
    build = sharedBuild();
  } catch (err) {
    if (err instanceof BuildError)
      return {
        name: 'load',
        status: 'skipped',
        reason: `the PWA does not build: ${err.message}`,
        tables: [],
        targets: [],
        data: null,
      };
    throw err;
  }
  const dir = tempDir('load');
  const server = await startServer({
    DATABASE_PATH: `${dir}/vaka.db`,
    FILES_DIR: `${dir}/files`,
    STATIC_DIR: build.outDir,
    DEMO_CONTENT: '1',
  });
  const proxy = new DelayProxy({ targetPort: server.port });
  await proxy.start();
  let browser: Browser | null = null;
  const runs: ColdRun[] = [];
  try {
    const sync = await firstSyncBytes(server);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    for (const mode of ['cdp', 'proxy'] as const) {
      for (const link of mode === 'cdp' ? LINKS : proxyLinks()) {
        for (let run = 0; run < opts.runs; run++) {
          const url = mode === 'cdp' ? `${server.url}/` : `http://127.0.0.1:${proxy.port}/`;
          const r = await coldRun(
            browser,
            url.replace(/\/$/, ''),
            link,
            mode,
            run,
            mode === 'proxy' ? proxy : null,
            mode === 'cdp' && link.key === OFFLINE_AFTER_LINK,
          );
          runs.push(r);
          progress(
            `load ${mode} ${link.key} run ${run + 1}: usable ${r.usableMs === null ? '—' : seconds(r.usableMs)}, offline relaunch ${r.offlineMs === null ? '—' : seconds(r.offlineMs)} (worker up ${r.offlineWorkerUpMs === null ? '—' : seconds(r.offlineWorkerUpMs)}), ${r.pageRequests} page requests ${kb(r.pageBytes)}${r.error ? `, ERROR ${r.error}` : ''}`,
          );
        }
      }
    }
    return report(runs, sync, opts.runs);
  } finally {
    await browser?.close().catch(() => undefined);
    await proxy.close();
    await server.stop();
  }
}

function report(runs: ColdRun[], sync: { bytes: number; pages: number }, runsPerCell: number): SectionResult {
  const targets: TargetCheck[] = [];
  const rows: Table['rows'] = [];
  for (const mode of ['cdp', 'proxy'] as const) {
    for (const link of LINKS) {
      const cell = runs.filter((r) => r.mode === mode && r.link === link.key);
      if (cell.length === 0) continue;
      const ok = cell.filter((r) => r.usableMs !== null);
      const usable = median(ok.map((r) => r.usableMs!));
      const bytes = median(ok.map((r) => r.pageBytes));
      const requests = median(ok.map((r) => r.pageRequests));
      const handshakes = mode === 'proxy' ? 1 : 0;
      const floor = (bytes * 8 * 1000) / link.bps + (3 + handshakes) * link.rttMs;
      const pass = link.targetMs === null || ok.length === 0 ? null : usable <= link.targetMs;
      targets.push({
        metric: `cold load to usable ${link.label}, CPU ${CPU_SLOWDOWN}×, ${mode} shaping, median of ${ok.length}`,
        target: link.targetMs === null ? '' : `≤ ${link.targetMs / 1000} s`,
        value: ok.length ? seconds(usable) : 'no run finished',
        pass,
        peer: ok.length ? `floor ${seconds(floor)}` : undefined,
      });
      rows.push({
        shaping: mode,
        link: link.label,
        runs: `${ok.length}/${cell.length}`,
        usable: ok.length ? seconds(usable) : '—',
        min: ok.length ? seconds(Math.min(...ok.map((r) => r.usableMs!))) : '—',
        max: ok.length ? seconds(Math.max(...ok.map((r) => r.usableMs!))) : '—',
        requests: ok.length ? requests : '—',
        bytes: ok.length ? kb(bytes) : '—',
        linkBytes: mode === 'proxy' && ok.length ? kb(median(ok.map((r) => r.linkBytes ?? 0))) : '',
        floor: ok.length ? seconds(floor) : '—',
        ratio: ok.length ? `${(usable / floor).toFixed(1)}×` : '—',
        target: link.targetMs ? `≤ ${link.targetMs / 1000} s` : '',
        result: link.targetMs ? verdict(pass) : '',
      });
    }
  }
  const offlineRow = (what: string, values: number[]) => {
    const m = median(values);
    const pass = values.length ? m <= OFFLINE_TARGET_MS : null;
    targets.push({
      metric: `warm offline relaunch to usable, ${what}, CPU ${CPU_SLOWDOWN}×, median of ${values.length}`,
      target: '≤ 1 s',
      value: values.length ? seconds(m) : 'no run finished',
      pass,
    });
    return {
      what: `offline relaunch to usable, ${what}`,
      n: values.length,
      median: values.length ? seconds(m) : '—',
      min: values.length ? seconds(Math.min(...values)) : '—',
      max: values.length ? seconds(Math.max(...values)) : '—',
      target: '≤ 1 s',
      result: verdict(pass),
    };
  };
  const offlineRows = [
    offlineRow(
      'worker stopped first',
      runs.filter((r) => r.offlineMs !== null).map((r) => r.offlineMs!),
    ),
    offlineRow(
      'worker still running',
      runs.filter((r) => r.offlineWorkerUpMs !== null).map((r) => r.offlineWorkerUpMs!),
    ),
  ];
  const errors = runs.filter((r) => r.error).map((r) => `${r.mode} ${r.link} run ${r.run + 1}: ${r.error}`);
  const sample = runs.find((r) => r.mode === 'cdp' && r.link === 'b' && r.usableMs !== null);
  const tables: Table[] = [
    {
      title: `Cold first load to a usable workshop list, Chromium (Pixel 5 viewport), CPU ${CPU_SLOWDOWN}× slower; median of ${runsPerCell} run(s)`,
      columns: [
        { key: 'shaping', label: 'shaping' },
        { key: 'link', label: 'link' },
        { key: 'runs', label: 'ok runs', align: 'right' },
        { key: 'usable', label: 'usable (median)', align: 'right' },
        { key: 'min', label: 'min', align: 'right' },
        { key: 'max', label: 'max', align: 'right' },
        { key: 'requests', label: 'page requests', align: 'right' },
        { key: 'bytes', label: 'page bytes', align: 'right' },
        { key: 'linkBytes', label: 'link bytes (all)', align: 'right' },
        { key: 'floor', label: 'physical floor', align: 'right' },
        { key: 'ratio', label: '÷ floor', align: 'right' },
        { key: 'target', label: 'target' },
        { key: 'result', label: 'result' },
      ],
      rows,
      notes: [
        'Usable = a link to a workshop is laid out (a[href^="/workshops/"]), timed in the page from navigation start.',
        'Page bytes/requests = what the page itself fetched before usable (CDP encodedDataLength, compressed as sent). Link bytes = every byte through the proxy until usable, service worker included.',
        'Physical floor = page bytes ÷ bandwidth + 3 RTT (HTML, then its assets, then the sync request); + 1 RTT for the TCP handshake under the proxy. No TLS on 127.0.0.1: a real HTTPS origin adds 1 RTT.',
        `The first sync of a new phone (demo content): ${kb(sync.bytes)} brotli on the wire in ${sync.pages} response(s).`,
        'cdp shaping throttles only the page: the precache download by the service worker runs unthrottled beside it; proxy shaping puts both on one link.',
        ...(sample ? [`Fetched before usable, (b) cdp run: ${sample.urls.join('; ')}`] : []),
        ...errors.map((e) => `error: ${e}`),
      ],
    },
    {
      title: `Warm relaunch with the network off (same profile, new page, CPU ${CPU_SLOWDOWN}× slower), after each cold run over link (a) with cdp shaping`,
      columns: [
        { key: 'what', label: 'measure' },
        { key: 'n', label: 'runs', align: 'right' },
        { key: 'median', label: 'median', align: 'right' },
        { key: 'min', label: 'min', align: 'right' },
        { key: 'max', label: 'max', align: 'right' },
        { key: 'target', label: 'target' },
        { key: 'result', label: 'result' },
      ],
      rows: offlineRows,
    },
  ];
  return {
    name: 'load',
    status: 'ok',
    tables,
    targets,
    data: { links: LINKS, cpuSlowdown: CPU_SLOWDOWN, firstSync: sync, runs },
  };
}
