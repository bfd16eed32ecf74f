/**
 * Section 4, server capacity on this 2-core machine: simulated devices
 * (each its own participant, enrolled straight in the database) push
 * batches of follow-up actions through real HTTP to the real server, on
 * SQLite and on PostgreSQL, with the demo catalogue loaded so every sync
 * also does its real pull work (a cursor per visible scope).
 *
 *   closed loop  1, 10 and 100 devices, each sending its next batch as soon
 *                as the previous one is answered: the most the server can
 *                take, and the latency at that load (by Little's law
 *                latency ≈ devices ÷ requests per second once saturated).
 *   open loop    100 devices offering 2,000 records/s between them (a
 *                batch every 500 ms each): the latency at the target load.
 *
 * A device gzips its body like the app does and keeps its cursors and mids.
 * Peak memory is the server process's resident size, sampled from /proc
 * every 100 ms (VmRSS) plus the kernel's own high-water mark (VmHWM).
 */
import { gzipSync } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../src/server/db/schema';
import { runSync } from '../../src/server/sync/service';
import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION, type Mutation, type SyncResponse } from '../../src/shared/sync/protocol';
import { makeRecords } from './records';
import {
  countActions,
  freshDatabase,
  prepareWorld,
  startPostgres,
  startServer,
  tempDir,
  type BenchDevice,
  type DbKind,
  type PostgresCluster,
} from './server';
import { percentile, progress, sleep } from './stats';
import { verdict, type SectionResult, type Table, type TargetCheck } from './report';

const BATCH = 10;
/** One extra flat-out row with bigger batches: how much of the cost is per request rather than per record. */
const BIG_BATCH = 50;
const LEVELS = [1, 10, 100];
const OPEN_LOOP_DEVICES = 100;
const OPEN_LOOP_INTERVAL_MS = 500;
const TARGET_RATE = 2000;
const TARGET_P99_MS = 250;

interface SimDevice {
  device: BenchDevice;
  nextMid: number;
  epoch: string | null;
  cursors: Record<string, number>;
  seed: number;
}

interface Sample {
  ms: number;
  records: number;
  status: number;
}

interface LevelResult {
  db: DbKind;
  mode: 'closed' | 'open';
  devices: number;
  batch: number;
  seconds: number;
  requests: number;
  records: number;
  recordsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** Batches refused by admission control (503), and how fast that answer came, p99 ms. */
  refused: number;
  refusedP99: number;
  late: number;
  peakRssMb: number;
  hwmMb: number;
  onServer: number;
  consistent: boolean;
}

async function syncRequest(
  base: string,
  d: SimDevice,
  mutations: Mutation[],
): Promise<{ status: number; body: SyncResponse | null; retryAfterS: number }> {
  const json = JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: d.epoch, cursors: d.cursors, mutations });
  const compressed = json.length > 1024;
  const res = await fetch(`${base}/api/v1/sync`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-encoding': 'gzip',
      authorization: `Bearer ${d.device.token}`,
      ...(compressed ? { 'content-encoding': 'gzip' } : {}),
    },
    body: compressed ? gzipSync(json) : json,
  });
  if (res.status !== 200) {
    await res.arrayBuffer();
    return { status: res.status, body: null, retryAfterS: Number(res.headers.get('retry-after') ?? 0) || 0 };
  }
  const body = (await res.json()) as SyncResponse;
  d.epoch = body.epoch;
  d.cursors = { ...d.cursors, ...body.cursors };
  return { status: res.status, body, retryAfterS: 0 };
}

/** Sends one batch and records its latency and how many records the server applied. */
async function pushBatch(base: string, d: SimDevice, samples: Sample[], batch: number): Promise<void> {
  const records = makeRecords(batch, d.seed++, d.device.participantId, d.device.workshopIds[0]!);
  const mutations: Mutation[] = records.map((r) => ({
    mid: d.nextMid++,
    op: 'create',
    collection: 'followUpActions',
    recordId: r.id,
    fields: { ...r.fields },
  }));
  const t0 = performance.now();
  try {
    const { status, body, retryAfterS } = await syncRequest(base, d, mutations);
    const acked = body ? body.results.filter((r) => r.status === 'applied').length : 0;
    // A refused batch is sent again with the same mids next time, as a phone's outbox would.
    if (!body) d.nextMid -= batch;
    else d.nextMid = body.lastMid + 1;
    samples.push({ ms: performance.now() - t0, records: acked, status });
    // A phone refused by admission control (503 + Retry-After) waits as told before it tries again.
    if (status === 503 && retryAfterS > 0) await sleep(retryAfterS * 1000);
  } catch {
    d.nextMid -= batch;
    samples.push({ ms: performance.now() - t0, records: 0, status: 0 });
  }
}

async function runLevel(
  kind: DbKind,
  devices: number,
  mode: 'closed' | 'open',
  seconds: number,
  cluster: PostgresCluster | null,
  batch = BATCH,
): Promise<LevelResult> {
  const dir = tempDir(`cap-${kind}-${devices}`);
  const database = await freshDatabase(kind, dir, cluster?.url);
  const world = await prepareWorld(database.target, {
    demo: true,
    participants: devices,
    devicesPerParticipant: 1,
    filesDir: `${dir}/files`,
  });
  const server = await startServer({ ...database.env, FILES_DIR: `${dir}/files`, STATIC_DIR: `${dir}/no-static` });
  try {
    const sims: SimDevice[] = world.participants.map((p, i) => ({
      device: p.devices[0]!,
      nextMid: 1,
      epoch: null,
      cursors: {},
      seed: 100_000 + i * 10_000,
    }));
    // First sync of every device (the catalogue) is not measured: a device does it once in its life.
    for (let i = 0; i < sims.length; i += 20)
      await Promise.all(sims.slice(i, i + 20).map((d) => syncRequest(server.url, d, [])));
    server.resetPeak();
    const samples: Sample[] = [];
    let late = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    await Promise.all(
      sims.map(async (d, i) => {
        if (mode === 'closed') {
          while (performance.now() < end) await pushBatch(server.url, d, samples, batch);
          return;
        }
        let next = start + (i * OPEN_LOOP_INTERVAL_MS) / sims.length;
        while (next < end) {
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
          else if (wait < -OPEN_LOOP_INTERVAL_MS / 10) late++;
          await pushBatch(server.url, d, samples, batch);
          next += OPEN_LOOP_INTERVAL_MS;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const ok = samples.filter((s) => s.status === 200);
    const records = ok.reduce((s, x) => s + x.records, 0);
    const peakRssMb = server.peakRssKb() / 1024;
    const hwmMb = server.hwmKb() / 1024;
    await server.stop();
    const onServer = (await countActions(database.target)).rows;
    const latencies = ok.map((s) => s.ms);
    const refused = samples.filter((s) => s.status === 503).map((s) => s.ms);
    return {
      db: kind,
      mode,
      devices,
      batch,
      seconds: elapsed,
      requests: samples.length,
      records,
      recordsPerSecond: records / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      errors: samples.length - ok.length,
      refused: refused.length,
      refusedP99: refused.length ? percentile(refused, 99) : 0,
      late,
      peakRssMb,
      hwmMb,
      onServer,
      consistent: onServer === records,
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}

interface StatementCount {
  mutations: number;
  cursors: number;
  statements: number;
  byKind: Record<string, number>;
}

/**
 * SQL statements one sync runs inside its transaction, counted with Kysely's
 * query log on the same code the server runs (runSync), in this process: the
 * per-request cost that does not depend on how much there is to do.
 */
async function countStatements(): Promise<StatementCount[]> {
  const dir = tempDir('statements');
  const database = await freshDatabase('sqlite', dir);
  const world = await prepareWorld(database.target, {
    demo: true,
    participants: 1,
    devicesPerParticipant: 1,
    filesDir: `${dir}/files`,
  });
  const sqlite = new SQLite((database.target as { kind: 'sqlite'; path: string }).path);
  const counts = new Map<string, number>();
  let counting = false;
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (!counting) return;
      const kind = event.query.sql.replace(/\s+/g, ' ').split(' ').slice(0, 4).join(' ');
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    },
  });
  try {
    const d = world.participants[0]!.devices[0]!;
    const device = { deviceId: d.deviceId, participantId: d.participantId, workshopIds: new Set(d.workshopIds) };
    const now = () => new Date().toISOString();
    const first = await runSync(
      kysely,
      'sqlite',
      { protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations: [] },
      device,
      now,
    );
    const out: StatementCount[] = [];
    let mid = 1;
    for (const n of [0, BATCH]) {
      const mutations: Mutation[] = makeRecords(n, 7 + n, d.participantId, d.workshopIds[0]!).map((r) => ({
        mid: mid++,
        op: 'create',
        collection: 'followUpActions',
        recordId: r.id,
        fields: { ...r.fields },
      }));
      counts.clear();
      counting = true;
      await runSync(
        kysely,
        'sqlite',
        { protocol: PROTOCOL_VERSION, epoch: first.response.epoch, cursors: first.response.cursors, mutations },
        device,
        now,
      );
      counting = false;
      out.push({
        mutations: n,
        cursors: Object.keys(first.response.cursors).length,
        statements: [...counts.values()].reduce((a, b) => a + b, 0),
        byKind: Object.fromEntries(counts),
      });
    }
    return out;
  } finally {
    await kysely.destroy();
    await database.drop();
  }
}

export async function capacitySection(opts: {
  seconds: number;
  quick: boolean;
  /** Also 100 devices with batches of 50, and the open loop on PostgreSQL. */
  extra: boolean;
}): Promise<SectionResult> {
  const results: LevelResult[] = [];
  const skipped: string[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    let cluster: PostgresCluster | null = null;
    if (kind === 'postgres') {
      const pg = startPostgres();
      if ('skip' in pg) {
        skipped.push(`PostgreSQL skipped: ${pg.skip}`);
        progress(`capacity: PostgreSQL skipped: ${pg.skip}`);
        continue;
      }
      cluster = pg;
    }
    try {
      for (const n of LEVELS) {
        const r = await runLevel(kind, n, 'closed', opts.seconds, cluster);
        results.push(r);
        progress(
          `capacity ${kind} closed ${n} devices: ${Math.round(r.recordsPerSecond)} records/s, p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms, ${r.errors} errors (${r.refused} refused 503, p99 ${Math.round(r.refusedP99)} ms), peak ${Math.round(r.peakRssMb)} MB`,
        );
      }
      // The rows the issue does not ask for run on request only (BENCH_CAPACITY_EXTRA=1), to keep the bench under 10 minutes.
      if (opts.extra) {
        const big = await runLevel(kind, 100, 'closed', opts.seconds, cluster, BIG_BATCH);
        results.push(big);
        progress(
          `capacity ${kind} closed 100 devices, batches of ${BIG_BATCH}: ${Math.round(big.recordsPerSecond)} records/s, p50 ${Math.round(big.p50)} ms, p99 ${Math.round(big.p99)} ms`,
        );
      }
      // The open loop checks the target load (on SQLite, where the issue sets the target).
      if (kind === 'sqlite' || opts.extra) {
        const r = await runLevel(kind, OPEN_LOOP_DEVICES, 'open', opts.seconds, cluster);
        results.push(r);
        progress(
          `capacity ${kind} open ${OPEN_LOOP_DEVICES} devices: ${Math.round(r.recordsPerSecond)} records/s, p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms, ${r.late} late`,
        );
      }
    } finally {
      await cluster?.stop();
    }
  }

  const statements = await countStatements();
  const targets: TargetCheck[] = [];
  const sqlite100 = results.find(
    (r) => r.db === 'sqlite' && r.mode === 'closed' && r.devices === 100 && r.batch === BATCH,
  );
  const sqliteOpen = results.find((r) => r.db === 'sqlite' && r.mode === 'open');
  if (sqlite100) {
    targets.push({
      metric: 'SQLite, 100 devices flat out: records/s',
      target: `≥ ${TARGET_RATE}`,
      value: String(Math.round(sqlite100.recordsPerSecond)),
      pass: sqlite100.recordsPerSecond >= TARGET_RATE,
    });
    targets.push({
      metric: 'SQLite, 100 devices flat out: p99 latency',
      target: `≤ ${TARGET_P99_MS} ms`,
      value: `${Math.round(sqlite100.p99)} ms`,
      pass: sqlite100.p99 <= TARGET_P99_MS,
    });
  }
  if (sqliteOpen) {
    const pass = sqliteOpen.recordsPerSecond >= TARGET_RATE * 0.95 && sqliteOpen.p99 <= TARGET_P99_MS;
    targets.push({
      metric: `SQLite, 100 devices offering ${TARGET_RATE} records/s: achieved and p99`,
      target: `≥ ${TARGET_RATE}/s, p99 ≤ ${TARGET_P99_MS} ms`,
      value: `${Math.round(sqliteOpen.recordsPerSecond)}/s, ${Math.round(sqliteOpen.p99)} ms`,
      pass,
    });
  }

  // Every other row as a figure without a target, so the summary holds 1, 10 and 100 devices on both databases.
  for (const r of results) {
    if (r === sqlite100 || r === sqliteOpen) continue;
    const db = r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const what =
      r.mode === 'open'
        ? `${r.devices} devices offering ${TARGET_RATE} records/s`
        : `${r.devices} device${r.devices === 1 ? '' : 's'} flat out${r.batch === BATCH ? '' : `, batches of ${r.batch}`}`;
    targets.push({
      metric: `${db}, ${what}: records/s, p50 / p99, peak RSS`,
      target: '',
      value: `${Math.round(r.recordsPerSecond)}/s, ${Math.round(r.p50)} / ${Math.round(r.p99)} ms, ${Math.round(r.peakRssMb)} MB`,
      pass: null,
    });
  }
  for (const reason of skipped) targets.push({ metric: reason, target: '', value: 'not measured', pass: null });
  if (sqlite100) {
    targets.push({
      metric: 'SQLite, 100 devices flat out: peak RSS of the server',
      target: '',
      value: `${Math.round(sqlite100.peakRssMb)} MB`,
      pass: null,
    });
  }

  const rows: Table['rows'] = results.map((r) => {
    const isTarget = r.db === 'sqlite' && r.devices === 100 && r.batch === BATCH;
    const pass = isTarget
      ? r.recordsPerSecond >= TARGET_RATE * (r.mode === 'open' ? 0.95 : 1) && r.p99 <= TARGET_P99_MS
      : null;
    return {
      db: r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      load: r.mode === 'closed' ? 'flat out' : `${TARGET_RATE} rec/s offered`,
      devices: r.devices,
      batch: r.batch,
      requests: r.requests,
      rate: Math.round(r.recordsPerSecond),
      reqs: Math.round(r.requests / r.seconds),
      p50: `${Math.round(r.p50)} ms`,
      p99: `${Math.round(r.p99)} ms`,
      max: `${Math.round(r.max)} ms`,
      errors: r.errors,
      refused: r.refused ? `${r.refused}, p99 ${Math.round(r.refusedP99)} ms` : '0',
      late: r.mode === 'open' ? r.late : '',
      rss: `${Math.round(r.peakRssMb)} MB`,
      hwm: `${Math.round(r.hwmMb)} MB`,
      check: r.consistent ? 'yes' : `NO (${r.onServer} rows)`,
      target: isTarget ? `≥ ${TARGET_RATE}/s, p99 ≤ ${TARGET_P99_MS} ms` : '',
      result: isTarget ? verdict(pass) : '',
    };
  });
  const table: Table = {
    title: `Server capacity: follow-up actions pushed in batches (${BATCH} per request unless shown), ${opts.seconds} s per row, server and load generator on the same 2 cores`,
    columns: [
      { key: 'db', label: 'database' },
      { key: 'load', label: 'load' },
      { key: 'devices', label: 'devices', align: 'right' },
      { key: 'batch', label: 'records/request', align: 'right' },
      { key: 'requests', label: 'requests', align: 'right' },
      { key: 'rate', label: 'records/s', align: 'right' },
      { key: 'reqs', label: 'requests/s', align: 'right' },
      { key: 'p50', label: 'p50', align: 'right' },
      { key: 'refused', label: '503 refused (p99)', align: 'right' },
      { key: 'p99', label: 'p99', align: 'right' },
      { key: 'max', label: 'max', align: 'right' },
      { key: 'errors', label: 'errors', align: 'right' },
      { key: 'late', label: 'late sends', align: 'right' },
      { key: 'rss', label: 'peak RSS', align: 'right' },
      { key: 'hwm', label: 'VmHWM', align: 'right' },
      { key: 'check', label: 'rows = acks' },
      { key: 'target', label: 'target' },
      { key: 'result', label: 'result' },
    ],
    rows,
    notes: [
      'Each device is its own participant on one workshop, with the demo catalogue published: every sync also reads its cursors (one per visible scope) and the changes since them.',
      'Latency is the device-side time of one POST /api/v1/sync (gzip body, gzip answer). Flat out: a device sends its next batch as soon as the previous one is answered.',
      `${TARGET_RATE} rec/s offered: each of ${OPEN_LOOP_DEVICES} devices sends a batch every ${OPEN_LOOP_INTERVAL_MS} ms; late sends = batches that left more than ${OPEN_LOOP_INTERVAL_MS / 10} ms behind schedule because the previous answer was still out.`,
      "Peak RSS = highest VmRSS sampled during the measured window; VmHWM = the kernel's high-water mark since the server started (includes start-up and the first syncs).",
      `SQLite runs with synchronous=FULL (an fsync per commit) and one connection; PostgreSQL from test/setup/postgres.sh runs with fsync=off, so its figures flatter it.`,
      ...skipped,
      `Median latency at 1 device (the service time of one request): ${
        results
          .filter((r) => r.devices === 1)
          .map((r) => `${r.db} ${Math.round(r.p50)} ms`)
          .join(', ') || '—'
      }.`,
    ],
  };
  const statementTable: Table = {
    title:
      'SQL statements inside one sync transaction (SQLite, demo catalogue, counted with the Kysely query log on runSync)',
    columns: [
      { key: 'mutations', label: 'mutations', align: 'right' },
      { key: 'cursors', label: 'cursors sent', align: 'right' },
      { key: 'statements', label: 'statements', align: 'right' },
      { key: 'top', label: 'largest kinds' },
    ],
    rows: statements.map((c) => ({
      mutations: c.mutations,
      cursors: c.cursors,
      statements: c.statements,
      top: Object.entries(c.byKind)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([k, n]) => `${n}× ${k}`)
        .join('; '),
    })),
    notes: ['Plus 2 statements per request outside the transaction to resolve the device token (device row, roster).'],
  };
  return {
    name: 'capacity',
    status: 'ok',
    tables: [table, statementTable],
    targets,
    data: { batch: BATCH, results, statements },
  };
}
