/**
 * The fault harness (issue #9), Jepsen-style: several simulated devices run
 * the real client code (Dexie on fake-indexeddb, the local write functions,
 * the sync engine and its fetch transport) against the real server process
 * over real HTTP, through the seeded fault proxy. While they make random
 * creates, edits, deletes and syncs:
 *   - the proxy delays, cuts (mid-request, mid-response) and duplicates requests;
 *   - the server is SIGKILLed at random moments while it handles a request,
 *     and restarted on the same database;
 *   - a device is "reloaded" in the middle of a sync: its Dexie connection and
 *     in-memory state are thrown away (its in-flight request aborted, or its
 *     answer arriving at a closed database) while its IndexedDB stays.
 * Every write and every answer a device receives is recorded (history.ts).
 * When the fault budget is spent the network heals, every device syncs until
 * it is quiet, and the checker compares the history, the server's tables and
 * each device's database.
 *
 * The seed fixes every decision (each device's operations, the proxy's plan,
 * when to kill); the interleaving of the concurrent devices and the exact
 * moment a SIGKILL lands follow the OS scheduler, as in any Jepsen test, so
 * a failing seed reproduces the same plan, not always the same schedule.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { mulberry32 } from '../support/random';
import { VakaDatabase, readSyncState, writeDeviceIdentity } from '../../src/device/db/database';
import { createRecord, deleteRecord, updateRecord, WriteError } from '../../src/device/db/writes';
import { syncOnce, type SyncOptions } from '../../src/device/sync/engine';
import { createFetchTransport, type SyncTransport } from '../../src/device/sync/transport';
import { SyncResponse } from '../../src/shared/sync/protocol';
import { FaultProxy, NO_FAULTS, type FaultPlan, type ProxyCounts } from './proxy';
import { ServerProcess, type DbKind, type SeededDevice } from './server-process';
import { checkHistory, History, type CheckStats, type DeviceState, type ServerState } from './history';

export interface JepsenOptions {
  kind: DbKind;
  seed: number;
  /** Stop injecting once this many faults (proxy faults + kills + mid-sync reloads) happened. */
  faults: number;
  /** One participant per entry, with that many devices. Default [3, 2]. */
  devicesPerParticipant?: number[];
  plan?: FaultPlan;
  /** A SIGKILL after every this many proxied requests, drawn uniformly from the range. */
  killEvery?: [number, number];
  /** Share of device operations that are a sync with a reload in the middle. */
  reloadRate?: number;
  /** Safety stop for the fault phase, whatever the count (ms). */
  maxFaultPhaseMs?: number;
  pgAdminUrl?: string;
  log?: (line: string) => void;
  /** When the check fails, write the whole history and both final states here (JSON) for a post-mortem. */
  dumpFailureTo?: string;
}

export interface JepsenReport {
  seed: number;
  kind: DbKind;
  durationMs: number;
  faults: {
    total: number;
    delay: number;
    dropRequest: number;
    dropResponse: number;
    duplicate: number;
    kills: number;
    reloadsMidSync: number;
  };
  proxy: ProxyCounts;
  operations: { creates: number; patches: number; deletes: number; syncs: number; failedSyncs: number };
  stats: CheckStats;
  violations: string[];
}

export const DEFAULT_PLAN: FaultPlan = { delay: 0.09, dropRequest: 0.1, dropResponse: 0.11, duplicate: 0.1 };

interface SimDevice {
  index: number;
  seeded: SeededDevice;
  dbName: string;
  db: VakaDatabase;
  rand: () => number;
  /** Aborted when the device reloads: the page that made the request is gone. */
  abort: AbortController;
  generation: number;
  reloadAfterAnswer: boolean;
  transport: SyncTransport;
}

const CHANNELS = ['intranet', 'common-drive', 'email', 'meeting', 'printed', 'other'] as const;
const KINDS = ['share-materials', 'submit-report', 'in-house-workshop', 'other'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runJepsen(options: JepsenOptions): Promise<JepsenReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const master = mulberry32(options.seed);
  const killRand = mulberry32(options.seed ^ 0x5bd1e995);
  const server = await ServerProcess.create(options.kind, options.pgAdminUrl);
  const history = new History();
  const operations = { creates: 0, patches: 0, deletes: 0, syncs: 0, failedSyncs: 0 };
  let reloadsMidSync = 0;
  let proxy: FaultProxy | null = null;
  const devices: SimDevice[] = [];
  try {
    const world = await server.seedWorld(options.devicesPerParticipant ?? [3, 2]);
    // The participant records themselves bumped their scopes; the checker counts from here.
    const baseline = await scopeCounters(server);
    await server.start();

    const [killMin, killMax] = options.killEvery ?? [120, 280];
    const nextKill = () => killMin + Math.floor(killRand() * (killMax - killMin + 1));
    let killAt = nextKill();
    let killing: Promise<void> | null = null;
    let killFailure: unknown = null;
    let faultPhase = true;
    proxy = new FaultProxy({
      targetPort: server.port,
      seed: Math.floor(master() * 2 ** 32),
      plan: options.plan ?? DEFAULT_PLAN,
      maxDelayMs: 150,
      onForwarded: (req) => {
        if (!faultPhase || killing || req.id < killAt) return;
        // Land the kill while the server works on this request: before, during or after its commit.
        const delay = Math.floor(killRand() * 12);
        killing = (async () => {
          await sleep(delay);
          await server.kill();
          await server.start();
          killAt = req.id + nextKill();
        })()
          .catch((err: unknown) => {
            // A server that will not come back ends the run below, with its own error rather than an unhandled one.
            killFailure ??= err;
            faultPhase = false;
          })
          .finally(() => {
            killing = null;
          });
      },
    });
    const proxyPort = await proxy.start();
    const baseUrl = `http://127.0.0.1:${proxyPort}`;
    const injected = () => proxy!.injected + server.kills + reloadsMidSync;

    for (const [index, seeded] of world.devices.entries()) {
      const dbName = `jepsen-${options.kind}-${options.seed}-${index}-${randomUUID()}`;
      const db = new VakaDatabase(dbName);
      await writeDeviceIdentity(db, {
        key: 'device',
        deviceId: seeded.deviceId,
        deviceToken: seeded.token,
        participantId: seeded.participantId,
        workshopIds: [world.workshopId],
        enrolledAt: new Date().toISOString(),
      });
      const dev: SimDevice = {
        index,
        seeded,
        dbName,
        db,
        rand: mulberry32(Math.floor(master() * 2 ** 32)),
        abort: new AbortController(),
        generation: 0,
        reloadAfterAnswer: false,
        transport: async () => {
          throw new Error('replaced below');
        },
      };
      const base = createFetchTransport({
        timeoutMs: 15_000,
        fetchImpl: (input, init) => {
          const signals = [dev.abort.signal, ...(init?.signal ? [init.signal] : [])];
          return fetch(input, { ...init, signal: AbortSignal.any(signals) });
        },
      });
      dev.transport = async (request) => {
        const generation = dev.generation;
        history.send(
          seeded.deviceId,
          request.body.mutations.map((m) => m.mid),
        );
        const response = await base(request);
        if (response.status === 200) {
          const parsed = SyncResponse.safeParse(response.body);
          if (parsed.success) history.acknowledge(seeded.deviceId, parsed.data);
        }
        if (dev.reloadAfterAnswer && generation === dev.generation) {
          // The server committed and answered; the page dies before it can store the answer.
          dev.reloadAfterAnswer = false;
          reloadsMidSync++;
          reload(dev);
        }
        return response;
      };
      devices.push(dev);
    }

    const syncOptions = (dev: SimDevice): SyncOptions => ({
      baseUrl,
      lock: 'none',
      locks: null,
      batchSize: 1 + Math.floor(dev.rand() * 5),
      maxBytes: dev.rand() < 0.5 ? 4096 : undefined,
      maxRounds: 10,
    });

    const reloadRate = options.reloadRate ?? 0.04;
    const deadline = started + (options.maxFaultPhaseMs ?? 270_000);
    const runDevice = async (dev: SimDevice) => {
      for (let step = 0; faultPhase && injected() < options.faults && Date.now() < deadline; step++) {
        const roll = dev.rand();
        const live = (await dev.db.followUpActions.toArray()).filter((r) => !r._deleted);
        try {
          if (roll < 0.26 || live.length === 0) {
            await recorded(dev, history, async () => {
              await createRecord(dev.db, 'followUpActions', {
                workshopId: world.workshopId,
                kind: KINDS[Math.floor(dev.rand() * KINDS.length)]!,
                date: '2022-07-01',
                description: `created by device ${dev.index} at step ${step}`,
              });
            });
            operations.creates++;
          } else if (roll < 0.52) {
            const target = live[Math.floor(dev.rand() * live.length)]!;
            const which = dev.rand();
            const change =
              which < 0.45
                ? { description: `d${dev.index} s${step}` }
                : which < 0.8
                  ? { audience: `a${dev.index} s${step}` }
                  : {
                      channel: CHANNELS[Math.floor(dev.rand() * CHANNELS.length)]!,
                      audience: `c${dev.index} s${step}`,
                    };
            await recorded(dev, history, () => updateRecord(dev.db, 'followUpActions', target.id, change));
            operations.patches++;
          } else if (roll < 0.59) {
            const target = live[Math.floor(dev.rand() * live.length)]!;
            await recorded(dev, history, () => deleteRecord(dev.db, 'followUpActions', target.id));
            operations.deletes++;
          } else if (roll < 0.59 + reloadRate) {
            operations.syncs++;
            const afterAnswer = dev.rand() < 0.5;
            const wait = Math.floor(dev.rand() * 25);
            dev.reloadAfterAnswer = afterAnswer;
            let settled = false;
            const running = syncOnce(dev.db, dev.transport, syncOptions(dev))
              .catch(() => {
                operations.failedSyncs++;
              })
              .finally(() => {
                settled = true;
              });
            if (!afterAnswer) {
              await sleep(wait);
              if (!settled) reloadsMidSync++;
              reload(dev);
            }
            await running;
            dev.reloadAfterAnswer = false;
          } else {
            operations.syncs++;
            try {
              await syncOnce(dev.db, dev.transport, syncOptions(dev));
            } catch {
              operations.failedSyncs++;
              // The scheduler backs off too; without a pause a dead server turns the device into a busy loop.
              await sleep(20 + Math.floor(dev.rand() * 80));
            }
          }
        } catch (err) {
          // A pulled tombstone can delete a record between the read above and the write: a legitimate refusal.
          if (!(err instanceof WriteError && (err.code === 'deleted' || err.code === 'not_found'))) throw err;
        }
      }
    };
    await Promise.all(devices.map(runDevice));
    faultPhase = false;
    await (killing ?? Promise.resolve());
    if (killFailure) throw killFailure;
    proxy.setPlan(NO_FAULTS);
    await server.start();
    log(`fault phase done after ${Date.now() - started} ms: ${injected()} faults, ${proxy.counts.requests} requests`);

    // Heal: everyone syncs until a whole pass moves nothing.
    for (let pass = 0; pass < 12; pass++) {
      let moved = 0;
      for (const dev of devices) {
        const outcome = await syncOnce(dev.db, dev.transport, { baseUrl, lock: 'none', locks: null, maxRounds: 50 });
        if (!outcome.complete) moved++;
        moved += outcome.acknowledged + outcome.received;
      }
      if (moved === 0) break;
    }

    // Late duplicates may still be on their way; they can only be replays now, but let them land before reading.
    await sleep(500);
    await server.stop();
    const serverState = await readServer(server, baseline);
    const deviceStates: DeviceState[] = [];
    for (const dev of devices) deviceStates.push(await readDevice(dev));
    const { violations, stats } = checkHistory(history, serverState, deviceStates);
    if (violations.length > 0 && options.dumpFailureTo) {
      const dump = {
        seed: options.seed,
        kind: options.kind,
        violations,
        history,
        server: serverState,
        devices: deviceStates,
      };
      fs.writeFileSync(options.dumpFailureTo, JSON.stringify(dump, null, 1));
      log(`history written to ${options.dumpFailureTo}`);
    }
    const counts = proxy.counts;
    return {
      seed: options.seed,
      kind: options.kind,
      durationMs: Date.now() - started,
      faults: {
        total: injected(),
        delay: counts.delay,
        dropRequest: counts.dropRequest,
        dropResponse: counts.dropResponse,
        duplicate: counts.duplicate,
        kills: server.kills,
        reloadsMidSync,
      },
      proxy: { ...counts },
      operations,
      stats,
      violations,
    };
  } finally {
    await proxy?.close();
    for (const dev of devices) {
      dev.abort.abort();
      dev.db.close();
      await VakaDatabase.delete(dev.dbName);
    }
    await server.dispose();
  }
}

/** Throws the page away: aborts what it had in flight and closes its database; IndexedDB keeps the data. */
function reload(dev: SimDevice): void {
  dev.abort.abort();
  dev.db.close();
  dev.db = new VakaDatabase(dev.dbName);
  dev.abort = new AbortController();
  dev.generation++;
}

/** Runs a local write and records the outbox entry it queued, if any (a change that alters nothing queues none). */
async function recorded(dev: SimDevice, history: History, write: () => Promise<unknown>): Promise<void> {
  const before = (await readSyncState(dev.db)).nextMid;
  await write();
  const entry = await dev.db.outbox.get(before);
  if (!entry) return;
  history.invoke({
    device: dev.seeded.deviceId,
    participant: dev.seeded.participantId,
    mid: entry.mid,
    op: entry.op,
    recordId: entry.recordId,
    fields: entry.op === 'delete' ? null : entry.fields,
  });
}

async function scopeCounters(server: ServerProcess): Promise<Record<string, number>> {
  const h = await server.open();
  try {
    const rows = await h.db.selectFrom('scope_seq').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.scope, Number(r.seq)]));
  } finally {
    await h.close();
  }
}

async function readServer(server: ServerProcess, baseline: Record<string, number>): Promise<ServerState> {
  const h = await server.open();
  try {
    const records = await h.db.selectFrom('records').selectAll().where('collection', '=', 'followUpActions').execute();
    const devices = await h.db.selectFrom('devices').selectAll().execute();
    const results = await h.db.selectFrom('mutation_results').selectAll().execute();
    const seqs = await h.db.selectFrom('scope_seq').selectAll().execute();
    return {
      records: records.map((r) => ({
        id: r.id,
        collection: r.collection,
        owner: r.owner_participant_id,
        data: JSON.parse(r.data) as Record<string, unknown>,
        deleted: Number(r.deleted) === 1,
      })),
      devices: devices.map((d) => ({ id: d.id, participantId: d.participant_id, lastMid: Number(d.last_mid) })),
      results: results.map((r) => ({
        device: r.device_id,
        mid: Number(r.mid),
        result: JSON.parse(r.result) as ServerState['results'][number]['result'],
      })),
      scopeSeq: Object.fromEntries(seqs.map((s) => [s.scope, Number(s.seq) - (baseline[s.scope] ?? 0)])),
    };
  } finally {
    await h.close();
  }
}

async function readDevice(dev: SimDevice): Promise<DeviceState> {
  const rows = await dev.db.followUpActions.toArray();
  return {
    device: dev.seeded.deviceId,
    participant: dev.seeded.participantId,
    outbox: await dev.db.outbox.count(),
    records: rows.map((r) => ({
      id: r.id,
      participantId: r.participantId,
      data: r as unknown as Record<string, unknown>,
      deleted: r._deleted,
    })),
  };
}

/** One line for logs and the README: what was injected, what was checked, and the verdict. */
export function summarize(r: JepsenReport): string {
  const f = r.faults;
  return (
    `jepsen ${r.kind} seed ${r.seed}: ${f.total} faults (${f.dropRequest} cut requests, ${f.dropResponse} cut answers, ` +
    `${f.duplicate} duplicates, ${f.delay} delays, ${f.kills} SIGKILLs, ${f.reloadsMidSync} reloads mid-sync) over ` +
    `${r.proxy.requests} requests; ${r.stats.invocations} mutations (${r.stats.applied} applied, ${r.stats.merged} merged, ` +
    `${r.stats.rejected} rejected), ${r.stats.resentMutations} resent, ${r.stats.repeatedAnswers} answered twice, ` +
    `${r.stats.records} records; ${r.violations.length} violations; ${Math.round(r.durationMs / 1000)} s`
  );
}
