/**
 * Section 3, sync against a peer: the same follow-up actions synced through
 * the same shaped link (proxy.ts: 300 ms each way, 1 Mbit/s each way, TCP
 * handshake and slow start) by Vaka's engine against the real server and by
 * PouchDB against express-pouchdb. Each scenario starts from a phone that
 * has synced before (the warm-up runs unshaped through the same proxy
 * address, so PouchDB finds its checkpoints), then N/2 records are written
 * on the phone and N/2 by another device of the same participant straight
 * to the server, the proxy's connections are closed (a cold start), and one
 * sync is measured until both sides hold everything. Drop scenarios lose a
 * seeded 20% of responses after the server processed the request; the same
 * seed is used for both systems.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION, type Mutation } from '../../src/shared/sync/protocol';
import { DelayProxy, UNSHAPED, type LinkProfile, type ProxyStats } from './proxy';
import { makeRecords, meanRecordBytes } from './records';
import { countActions, freshDatabase, prepareWorld, startServer, tempDir, type BenchDevice } from './server';
import { localState, openPhone, resentMutations, syncUntilComplete, writeLocally } from './vaka-device';
import {
  conflictedDocs,
  localDb,
  remoteDb,
  remoteDocCount,
  startPouchServer,
  syncUntilBothHave,
  type PouchDoc,
} from './pouch';
import { bytesText, median, ms, progress, ratio, sleep, withTimeout } from './stats';
import type { SectionResult, Table, TargetCheck } from './report';
import { openDatabase } from '../../src/server/db/connection';

export const SYNC_LINK: LinkProfile = { delayMs: 300, upBps: 1_000_000, downBps: 1_000_000, tcp: true };

interface Scenario {
  key: string;
  label: string;
  records: number;
  dropRate: number;
  /** Vaka only: the engine's batchSize instead of its default, to show what the protocol allows. */
  vakaBatch?: number;
  /** Runs only when BENCH_SYNC_ONLY names it (kept out of the default run for time). */
  optIn?: boolean;
}

const SCENARIOS: Scenario[] = [
  { key: 'idle', label: 'nothing to do', records: 0, dropRate: 0 },
  { key: 'n100', label: '100 records (50 up, 50 down)', records: 100, dropRate: 0 },
  { key: 'n1000', label: '1,000 records (500 up, 500 down)', records: 1000, dropRate: 0 },
  {
    key: 'n1000-b500',
    label: '1,000 records, engine batchSize 500 (Vaka only)',
    records: 1000,
    dropRate: 0,
    vakaBatch: 500,
    // The engine's default batchSize is 500 now: this run repeats n1000.
    optIn: true,
  },
  { key: 'n100-drop', label: '100 records, 20% of responses lost', records: 100, dropRate: 0.2 },
  { key: 'n1000-drop', label: '1,000 records, 20% of responses lost', records: 1000, dropRate: 0.2 },
];

type System = 'vaka' | 'pouchdb';

interface Measured {
  system: System;
  scenario: string;
  run: number;
  requests: number;
  roundTrips: number;
  connections: number;
  bytesUp: number;
  bytesDown: number;
  wallMs: number;
  drops: number;
  attempts: number;
  /** Every record on both sides exactly once. */
  exactlyOnce: boolean;
  /** PouchDB: false when the run was stopped at its time limit before both sides held everything. */
  converged: boolean;
  check: string;
  /** Vaka: requests that carried mutations; mutations sent again. */
  pushRequests?: number;
  resent?: number;
  /** Vaka: wall time not spent waiting for an answer (the engine and fake-indexeddb on this CPU). */
  deviceMs?: number;
  byPath: Record<string, number>;
}

export interface SyncOptions {
  /** Runs per scenario for Vaka. */
  runs: number;
  /** Runs per scenario for PouchDB: its requests, round trips and bytes do not change from run to run. */
  pouchRuns: number;
  /** Time limit of one PouchDB run with lost responses; it is stopped and reported as unfinished after it. */
  pouchDropLimitMs: number;
  quick: boolean;
}

const SEED_BASE = 8080;

function pathKey(method: string, path: string): string {
  const bare = path.split('?')[0] ?? path;
  // Database names differ per run; what matters is which endpoint it was.
  const normal = bare.replace(/^\/bench_[0-9a-f]+/, '/db').replace(/\/_local\/[^/]+$/, '/_local/<checkpoint>');
  return `${method} ${normal}`;
}

function fromStats(
  stats: ProxyStats,
): Pick<Measured, 'requests' | 'roundTrips' | 'connections' | 'bytesUp' | 'bytesDown' | 'drops' | 'byPath'> {
  const byPath: Record<string, number> = {};
  for (const r of stats.log) byPath[pathKey(r.method, r.path)] = (byPath[pathKey(r.method, r.path)] ?? 0) + 1;
  return {
    requests: stats.requests,
    roundTrips: stats.roundTrips,
    connections: stats.connections,
    bytesUp: stats.bytesUp,
    bytesDown: stats.bytesDown,
    drops: stats.drops,
    byPath,
  };
}

/** Another device of the same participant pushes its half straight to the server (unmeasured). */
async function pushFromOtherDevice(
  serverUrl: string,
  device: BenchDevice,
  records: ReturnType<typeof makeRecords>,
): Promise<void> {
  for (let start = 0; start < records.length; start += 1000) {
    const mutations: Mutation[] = records.slice(start, start + 1000).map((r, i) => ({
      mid: start + i + 1,
      op: 'create',
      collection: 'followUpActions',
      recordId: r.id,
      fields: { ...r.fields },
    }));
    const res = await fetch(`${serverUrl}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
      body: JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations }),
    });
    if (!res.ok) throw new Error(`other device push failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { lastMid: number };
    if (body.lastMid !== start + mutations.length) throw new Error(`other device push stopped at mid ${body.lastMid}`);
  }
}

async function runVaka(scenarios: Scenario[], runs: number): Promise<Measured[]> {
  const dir = tempDir('sync-vaka');
  const database = await freshDatabase('sqlite', dir);
  const world = await prepareWorld(database.target, {
    demo: true,
    participants: scenarios.length * runs,
    devicesPerParticipant: 2,
    filesDir: `${dir}/files`,
  });
  const server = await startServer({ ...database.env, FILES_DIR: `${dir}/files`, STATIC_DIR: `${dir}/no-static` });
  const proxy = new DelayProxy({ targetPort: server.port });
  await proxy.start();
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  const out: Measured[] = [];
  try {
    let p = 0;
    for (let run = 0; run < runs; run++) {
      for (const scenario of scenarios) {
        const { participantId, devices } = world.participants[p++]!;
        const [phoneDevice, otherDevice] = devices as [BenchDevice, BenchDevice];
        const seed = SEED_BASE + run * 100 + SCENARIOS.indexOf(scenario);
        const records = makeRecords(scenario.records, seed, participantId, world.workshopId);
        const up = records.slice(0, scenario.records / 2);
        const down = records.slice(scenario.records / 2);

        proxy.setProfile(UNSHAPED);
        const phone = await openPhone(phoneDevice);
        await syncUntilComplete(phone, proxyUrl);
        await pushFromOtherDevice(server.url, otherDevice, down);
        await writeLocally(phone, up);

        proxy.dropConnections();
        await sleep(200);
        proxy.setProfile(SYNC_LINK, scenario.dropRate, seed);
        proxy.resetStats();
        phone.sent.length = 0;
        const t0 = performance.now();
        const result = await withTimeout(
          syncUntilComplete(phone, proxyUrl, scenario.vakaBatch),
          900_000,
          `Vaka sync ${scenario.key}`,
        );
        const wallMs = performance.now() - t0;
        const stats = proxy.stats();
        proxy.setProfile(UNSHAPED);

        const local = await localState(phone);
        const onServer = await countActions(database.target, participantId);
        const acked = await deviceProgress(database.target, phoneDevice.deviceId);
        const exactlyOnce =
          local.actions === scenario.records &&
          local.outbox === 0 &&
          onServer.rows === scenario.records &&
          acked.lastMid === up.length &&
          acked.results === up.length;
        out.push({
          system: 'vaka',
          scenario: scenario.key,
          run,
          ...fromStats(stats),
          wallMs,
          attempts: result.attempts,
          exactlyOnce,
          converged: true,
          check: `phone ${local.actions} records, outbox ${local.outbox}; server ${onServer.rows} rows, lastMid ${acked.lastMid}, ${acked.results} stored results`,
          pushRequests: phone.sent.filter((s) => s.mids.length > 0).length,
          deviceMs: wallMs - phone.sent.reduce((t, s) => t + s.inFlightMs, 0),
          resent: resentMutations(phone.sent),
        });
        progress(
          `sync vaka ${scenario.key} run ${run + 1}: ${stats.requests} requests, ${stats.roundTrips} round trips, ${bytesText(stats.bytesUp + stats.bytesDown)}, ${ms(wallMs)}, ${stats.drops} drops${exactlyOnce ? '' : ' CHECK FAILED'}`,
        );
        if (process.env.BENCH_VERBOSE) {
          for (const r of stats.log)
            progress(
              `  ${r.method} ${r.path} up ${r.requestBytes} B down ${r.responseBytes} B${r.dropped ? ' (lost)' : ''}\n${r.requestHead}\n\n${r.responseHead ?? ''}`,
            );
          progress(JSON.stringify(phone.sent));
        }
        await phone.db.delete();
      }
    }
  } finally {
    await proxy.close();
    await server.stop();
    await database.drop();
  }
  return out;
}

async function deviceProgress(
  target: Parameters<typeof openDatabase>[0],
  deviceId: string,
): Promise<{ lastMid: number; results: number }> {
  const h = await openDatabase(target);
  try {
    const d = await h.db.selectFrom('devices').select('last_mid').where('id', '=', deviceId).executeTakeFirstOrThrow();
    const r = await h.db
      .selectFrom('mutation_results')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('device_id', '=', deviceId)
      .executeTakeFirstOrThrow();
    return { lastMid: Number(d.last_mid), results: Number(r.n) };
  } finally {
    await h.close();
  }
}

async function runPouch(scenarios: Scenario[], runs: number, dropLimitMs: number): Promise<Measured[]> {
  const peer = await startPouchServer();
  const proxy = new DelayProxy({ targetPort: peer.port });
  await proxy.start();
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  const out: Measured[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      for (const scenario of scenarios) {
        if (scenario.vakaBatch) continue;
        const seed = SEED_BASE + run * 100 + SCENARIOS.indexOf(scenario);
        const participantId = randomUUID();
        const workshopId = randomUUID();
        const records = makeRecords(scenario.records, seed, participantId, workshopId);
        const toDoc = (r: (typeof records)[number]): PouchDoc => ({
          _id: r.id,
          collection: 'followUpActions',
          ...r.fields,
        });
        const up = records.slice(0, scenario.records / 2).map(toDoc);
        const down = records.slice(scenario.records / 2).map(toDoc);
        const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

        // As for Vaka, the phone has synced once before: one participant record came down.
        const direct = remoteDb(`${peer.url}/${name}`);
        await direct.put({
          _id: participantId,
          collection: 'participants',
          fullName: 'Bench Participant',
          memberCode: 'FJ',
        });
        proxy.setProfile(UNSHAPED);
        const local = localDb(`phone_${name}`);
        await syncUntilBothHave(local, `${proxyUrl}/${name}`, { serverUrl: peer.url, db: name, expected: 1 });
        if (down.length) await direct.bulkDocs(down);
        if (up.length) await local.bulkDocs(up);

        proxy.dropConnections();
        await sleep(200);
        proxy.setProfile(SYNC_LINK, scenario.dropRate, seed);
        proxy.resetStats();
        const t0 = performance.now();
        const result = await withTimeout(
          syncUntilBothHave(
            local,
            `${proxyUrl}/${name}`,
            {
              serverUrl: peer.url,
              db: name,
              expected: scenario.records + 1,
            },
            200,
            300_000,
            scenario.dropRate > 0 ? t0 + dropLimitMs : Number.POSITIVE_INFINITY,
          ),
          900_000,
          `PouchDB sync ${scenario.key}`,
        );
        const wallMs = performance.now() - t0;
        const stats = proxy.stats();
        proxy.setProfile(UNSHAPED);

        const localCount = (await local.info()).doc_count;
        const remoteCount = await remoteDocCount(peer.url, name);
        const conflicts = (await conflictedDocs(local)) + (await conflictedDocs(direct));
        const exactlyOnce =
          localCount === scenario.records + 1 && remoteCount === scenario.records + 1 && conflicts === 0;
        out.push({
          system: 'pouchdb',
          scenario: scenario.key,
          run,
          ...fromStats(stats),
          wallMs,
          attempts: result.attempts,
          exactlyOnce,
          converged: result.converged,
          check: `phone ${localCount} docs, server ${remoteCount} docs, ${conflicts} conflicted${result.converged ? '' : `; stopped unfinished after ${ms(wallMs)}`}`,
        });
        progress(
          `sync pouchdb ${scenario.key} run ${run + 1}: ${stats.requests} requests, ${stats.roundTrips} round trips, ${bytesText(stats.bytesUp + stats.bytesDown)}, ${ms(wallMs)}, ${stats.drops} drops${result.converged ? (exactlyOnce ? '' : ' CHECK FAILED') : ' (stopped at the time limit, unfinished)'}`,
        );
        if (process.env.BENCH_VERBOSE) progress(JSON.stringify(fromStats(stats).byPath));
        await local.destroy();
        await direct.destroy();
      }
    }
  } finally {
    await proxy.close();
    await peer.stop();
  }
  return out;
}

interface Summary {
  system: System;
  scenario: string;
  runs: number;
  requests: number;
  roundTrips: number;
  connections: number;
  bytes: number;
  bytesUp: number;
  bytesDown: number;
  wallMs: number;
  drops: number;
  extraPerDrop: number;
  exactlyOnce: boolean;
  /** False when a run was stopped at its time limit: the figures are then what it had used so far. */
  converged: boolean;
  pushRequests?: number;
  resent?: number;
  deviceMs?: number;
}

function summarise(all: Measured[], system: System, scenario: Scenario): Summary | null {
  const rows = all.filter((m) => m.system === system && m.scenario === scenario.key);
  if (rows.length === 0) return null;
  const clean = all.filter((m) => m.system === system && m.scenario === `n${scenario.records}`);
  const baseline = clean.length ? median(clean.map((m) => m.requests)) : Number.NaN;
  const extra = rows.filter((m) => m.drops > 0).map((m) => (m.requests - baseline) / m.drops);
  const summary: Summary = {
    system,
    scenario: scenario.key,
    runs: rows.length,
    requests: median(rows.map((m) => m.requests)),
    roundTrips: median(rows.map((m) => m.roundTrips)),
    connections: median(rows.map((m) => m.connections)),
    bytes: median(rows.map((m) => m.bytesUp + m.bytesDown)),
    bytesUp: median(rows.map((m) => m.bytesUp)),
    bytesDown: median(rows.map((m) => m.bytesDown)),
    wallMs: median(rows.map((m) => m.wallMs)),
    drops: median(rows.map((m) => m.drops)),
    extraPerDrop: scenario.dropRate > 0 && extra.length ? median(extra) : Number.NaN,
    exactlyOnce: rows.every((m) => m.exactlyOnce),
    converged: rows.every((m) => m.converged),
  };
  if (system === 'vaka') {
    summary.pushRequests = median(rows.map((m) => m.pushRequests ?? 0));
    summary.resent = median(rows.map((m) => m.resent ?? 0));
    summary.deviceMs = median(rows.map((m) => m.deviceMs ?? 0));
  }
  return summary;
}

export async function syncSection(opts: SyncOptions): Promise<SectionResult> {
  // BENCH_SYNC_ONLY=idle,n100 narrows the scenarios while investigating one of them.
  const only = process.env.BENCH_SYNC_ONLY?.split(',');
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.key)) : SCENARIOS.filter((s) => !s.optIn);
  const runs = opts.runs;
  progress(
    `sync: ${scenarios.length} scenarios × ${runs} run(s) Vaka, × ${opts.pouchRuns} run(s) PouchDB (runs with lost responses stopped after ${ms(opts.pouchDropLimitMs)})`,
  );
  const systems = process.env.BENCH_SYNC_SYSTEMS?.split(',') ?? ['vaka', 'pouchdb'];
  const measured = [
    ...(systems.includes('vaka') ? await runVaka(scenarios, runs) : []),
    ...(systems.includes('pouchdb') ? await runPouch(scenarios, opts.pouchRuns, opts.pouchDropLimitMs) : []),
  ];
  /** An unfinished run's figures are what it had used when stopped: at least that much. */
  const atLeast = (s: Summary, text: string) => (s.converged ? text : `≥ ${text}`);
  const rtt = 2 * SYNC_LINK.delayMs;

  const rows: Table['rows'] = [];
  const summaries = new Map<string, Summary>();
  for (const scenario of scenarios) {
    for (const system of ['vaka', 'pouchdb'] as const) {
      const s = summarise(measured, system, scenario);
      if (!s) continue;
      summaries.set(`${system}:${scenario.key}`, s);
      rows.push({
        scenario: scenario.label,
        system: system === 'vaka' ? 'Vaka' : 'PouchDB',
        runs: s.runs,
        requests: atLeast(s, String(s.requests)),
        rt: atLeast(s, String(s.roundTrips)),
        conns: s.connections,
        up: atLeast(s, bytesText(s.bytesUp)),
        down: atLeast(s, bytesText(s.bytesDown)),
        total: atLeast(s, bytesText(s.bytes)),
        wall: s.converged ? ms(s.wallMs) : `> ${ms(s.wallMs)}`,
        wallRtt: (s.wallMs / rtt).toFixed(1),
        device: s.deviceMs === undefined ? '' : ms(s.deviceMs),
        drops: scenario.dropRate > 0 ? s.drops : '',
        extra:
          scenario.dropRate > 0
            ? Number.isFinite(s.extraPerDrop)
              ? `${s.extraPerDrop.toFixed(2)}${s.converged ? '' : ' so far'}`
              : '—'
            : '',
        once: s.converged ? (s.exactlyOnce ? 'yes' : 'NO') : 'unfinished',
      });
    }
  }

  const ratioRows: Table['rows'] = scenarios.map((scenario) => {
    const v = summaries.get(`vaka:${scenario.key}`);
    // The batchSize variant has no PouchDB run of its own: it compares with PouchDB's 1,000-record run.
    const p = summaries.get(`pouchdb:${scenario.vakaBatch ? 'n1000' : scenario.key}`);
    return {
      scenario: scenario.label,
      requests: v && p ? atLeast(p, ratio(p.requests, v.requests)) : '—',
      rt: v && p ? atLeast(p, ratio(p.roundTrips, v.roundTrips)) : '—',
      bytes: v && p ? atLeast(p, ratio(p.bytes, v.bytes)) : '—',
      wall: v && p ? atLeast(p, ratio(p.wallMs, v.wallMs)) : '—',
    };
  });

  const idle = summaries.get('vaka:idle');
  const pIdle = summaries.get('pouchdb:idle');
  const v1000 = summaries.get('vaka:n1000');
  const p1000 = summaries.get('pouchdb:n1000');
  const targets: TargetCheck[] = [];
  if (idle) {
    targets.push({
      metric: 'nothing-to-do sync: requests',
      target: '1',
      value: String(idle.requests),
      pass: idle.requests === 1,
      peer: pIdle ? String(pIdle.requests) : undefined,
    });
    targets.push({
      metric: 'nothing-to-do sync: bytes on the wire (both ways)',
      target: '≤ 1 KB',
      value: bytesText(idle.bytes),
      pass: idle.bytes <= 1024,
      peer: pIdle ? bytesText(pIdle.bytes) : undefined,
    });
  }
  const v100 = summaries.get('vaka:n100');
  const p100 = summaries.get('pouchdb:n100');
  if (v100) {
    targets.push({
      metric: '100 records (50 up, 50 down): round trips, bytes, wall time',
      target: '',
      value: `${v100.roundTrips} RT, ${bytesText(v100.bytes)}, ${ms(v100.wallMs)}`,
      pass: null,
      peer: p100 ? `${p100.roundTrips} RT, ${bytesText(p100.bytes)}, ${ms(p100.wallMs)}` : undefined,
    });
  }
  if (v1000) {
    targets.push({
      metric: '1,000 records (500 up, 500 down): round trips',
      target: '≥ 20× fewer than PouchDB',
      value: p1000
        ? `${v1000.roundTrips} (${ratio(p1000.roundTrips, v1000.roundTrips)} fewer)`
        : String(v1000.roundTrips),
      pass: p1000 ? p1000.roundTrips / v1000.roundTrips >= 20 : null,
      peer: p1000 ? String(p1000.roundTrips) : undefined,
    });
    targets.push({
      metric: '1,000 records: bytes on the wire',
      target: '≥ 5× fewer than PouchDB',
      value: p1000 ? `${bytesText(v1000.bytes)} (${ratio(p1000.bytes, v1000.bytes)} fewer)` : bytesText(v1000.bytes),
      pass: p1000 ? p1000.bytes / v1000.bytes >= 5 : null,
      peer: p1000 ? bytesText(p1000.bytes) : undefined,
    });
    targets.push({
      metric: '1,000 records: requests, wall time at 600 ms RTT',
      target: '',
      value: `${v1000.requests} req, ${ms(v1000.wallMs)}`,
      pass: null,
      peer: p1000 ? `${p1000.requests} req, ${ms(p1000.wallMs)}` : undefined,
    });
    targets.push({
      metric: '1,000 records: the 500 local records go up in one request',
      target: '1 request with mutations',
      value: String(v1000.pushRequests),
      pass: v1000.pushRequests === 1,
    });
  }
  const b500 = summaries.get('vaka:n1000-b500');
  if (b500) {
    targets.push({
      metric: '1,000 records, engine batchSize 500: round trips',
      target: '≥ 20× fewer than PouchDB',
      value: p1000 ? `${b500.roundTrips} (${ratio(p1000.roundTrips, b500.roundTrips)} fewer)` : String(b500.roundTrips),
      pass: p1000 ? p1000.roundTrips / b500.roundTrips >= 20 : null,
      peer: p1000 ? String(p1000.roundTrips) : undefined,
    });
  }
  for (const key of ['n100-drop', 'n1000-drop']) {
    const s = summaries.get(`vaka:${key}`);
    if (!s) continue;
    const p = summaries.get(`pouchdb:${key}`);
    const n = key.startsWith('n1000') ? '1,000' : '100';
    targets.push({
      metric: `${n} records, 20% of responses lost: every record exactly once`,
      target: 'no duplicates, no losses',
      value: s.exactlyOnce ? 'exactly once' : 'FAILED',
      pass: s.exactlyOnce,
      peer: p ? (!p.converged ? 'unfinished' : p.exactlyOnce ? 'exactly once' : 'conflicts or losses') : undefined,
    });
    targets.push({
      metric: `${n} records, 20% lost: repeated requests per lost response`,
      target: '≤ 1',
      value: Number.isFinite(s.extraPerDrop) ? s.extraPerDrop.toFixed(2) : 'no drop hit',
      pass: Number.isFinite(s.extraPerDrop) ? s.extraPerDrop <= 1 : null,
      peer:
        p && Number.isFinite(p.extraPerDrop)
          ? p.converged
            ? `${p.extraPerDrop.toFixed(2)} (${p.requests} req, ${ms(p.wallMs)})`
            : `${p.extraPerDrop.toFixed(2)} so far (${p.requests} req; unfinished after ${ms(p.wallMs)})`
          : undefined,
    });
  }

  const pouch1000 = measured.find((m) => m.system === 'pouchdb' && m.scenario === 'n1000');
  const pouchIdle = measured.find((m) => m.system === 'pouchdb' && m.scenario === 'idle');
  const vakaIdle = measured.find((m) => m.system === 'vaka' && m.scenario === 'idle');
  const breakdown = (m: Measured | undefined) =>
    m
      ? Object.entries(m.byPath)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ×${n}`)
          .join(', ')
      : '—';
  const recordSize = meanRecordBytes(makeRecords(50, 1, randomUUID(), randomUUID()));

  const tables: Table[] = [
    {
      title: `Sync through the proxy: ${SYNC_LINK.delayMs} ms each way (RTT ${rtt} ms), ${SYNC_LINK.downBps / 1e6} Mbit/s each way, TCP handshake + slow start modelled; median of the runs`,
      columns: [
        { key: 'scenario', label: 'scenario' },
        { key: 'system', label: 'system' },
        { key: 'runs', label: 'runs', align: 'right' },
        { key: 'requests', label: 'requests', align: 'right' },
        { key: 'rt', label: 'round trips', align: 'right' },
        { key: 'conns', label: 'TCP conns', align: 'right' },
        { key: 'up', label: 'bytes up', align: 'right' },
        { key: 'down', label: 'bytes down', align: 'right' },
        { key: 'total', label: 'bytes total', align: 'right' },
        { key: 'wall', label: 'wall time', align: 'right' },
        { key: 'wallRtt', label: 'wall÷RTT', align: 'right' },
        { key: 'device', label: 'on device', align: 'right' },
        { key: 'drops', label: 'lost resp.', align: 'right' },
        { key: 'extra', label: 'extra req/loss', align: 'right' },
        { key: 'once', label: 'exactly once' },
      ],
      rows,
      notes: [
        `Records: follow-up actions of ${recordSize} bytes of JSON on average; "up" = written on the phone, "down" = written by the participant's other device and pulled.`,
        'Round trips = one per new TCP connection (handshake) + each client→server burst that follows a server→client burst on a connection; parallel connections each count.',
        'Bytes = TCP payload (HTTP heads and bodies) both ways, as compressed on the wire; no TLS. Vaka gzips request bodies over 1 KB; express-pouchdb gzips responses only.',
        'Extra req/loss = (requests in the run − median requests of the same size without losses) ÷ lost responses. Retries are immediate on both sides.',
        `PouchDB runs ${opts.pouchRuns} time(s) per scenario (its requests, round trips and bytes repeat from run to run; its wall time is one sample); a PouchDB run with lost responses is stopped after ${ms(opts.pouchDropLimitMs)} so the whole bench stays under 10 minutes, and is then shown with ≥ (what it had used when stopped) and "unfinished". Unstopped, its 1,000-record run with 20% lost took over 8 minutes here.`,
        'On device (Vaka) = wall time not spent waiting for an answer: the engine storing pages and rebuilding records in fake-indexeddb, on this shared CPU.',
        'Vaka = the app engine (src/device/sync/engine.ts syncOnce) on fake-indexeddb with the app fetch transport; PouchDB 9 (memory adapter) PouchDB.sync ⇄ express-pouchdb 4 (memory), a fresh remote handle per sync.',
        `Vaka requests: ${vakaIdle ? breakdown(vakaIdle) : '—'} (idle). PouchDB idle: ${breakdown(pouchIdle)}.`,
        `PouchDB 1,000 records: ${breakdown(pouch1000)}.`,
      ],
    },
    {
      title: 'PouchDB ÷ Vaka',
      columns: [
        { key: 'scenario', label: 'scenario' },
        { key: 'requests', label: 'requests', align: 'right' },
        { key: 'rt', label: 'round trips', align: 'right' },
        { key: 'bytes', label: 'bytes', align: 'right' },
        { key: 'wall', label: 'wall time', align: 'right' },
      ],
      rows: ratioRows,
    },
  ];
  const vaka1000 = measured.filter((m) => m.system === 'vaka' && m.scenario === 'n1000');
  if (vaka1000.length) {
    tables[0]!.notes!.push(
      `Vaka 1,000 records: ${median(vaka1000.map((m) => m.pushRequests ?? 0))} request(s) carried mutations (the engine sends at most its batchSize, 500 by default, per request).`,
    );
  }
  return {
    name: 'sync',
    status: 'ok',
    tables,
    targets,
    data: { link: SYNC_LINK, runs, measured, summaries: [...summaries.values()] },
  };
}
