/**
 * A Vaka phone in Node for the sync benchmark: the app's own sync engine
 * (src/device/sync/engine.ts `syncOnce`) on its own Dexie database, which
 * runs on fake-indexeddb here, talking to the real server with the app's
 * fetch transport (gzip request bodies, Node's fetch asks for compressed
 * answers). Local records are written with the app's createRecord, so the
 * outbox, mids, cursors and epoch are exactly what a phone would keep.
 *
 * After a lost response the engine throws a transient error; a phone's
 * scheduler would retry with backoff and jitter, here the retry is immediate
 * so wall time measures the protocol and not the backoff policy.
 */
import 'fake-indexeddb/auto';
import { syncOnce } from '../../src/device/sync/engine';
import { createFetchTransport, type SyncTransport } from '../../src/device/sync/transport';
import { SyncError } from '../../src/device/sync/errors';
import { VakaDatabase, writeDeviceIdentity } from '../../src/device/db/database';
import { createRecord } from '../../src/device/db/writes';
import type { BenchDevice } from './server';
import type { BenchRecord } from './records';
import { performance } from 'node:perf_hooks';

export interface SentRequest {
  mids: number[];
  cursors: number;
  /** JSON length before the transport compresses it. */
  jsonBytes: number;
  status: number | null;
  contentEncoding: string | null;
  changes: number;
  /** From handing the request to the transport to having the parsed answer: network plus server. */
  inFlightMs: number;
}

export interface VakaPhone {
  db: VakaDatabase;
  device: BenchDevice;
  sent: SentRequest[];
  transport: SyncTransport;
}

let counter = 0;

export async function openPhone(device: BenchDevice): Promise<VakaPhone> {
  counter++;
  const db = new VakaDatabase(`vaka-bench-${counter}-${device.deviceId}`);
  await writeDeviceIdentity(db, {
    key: 'device',
    deviceId: device.deviceId,
    deviceToken: device.token,
    participantId: device.participantId,
    workshopIds: device.workshopIds,
    enrolledAt: new Date().toISOString(),
  });
  const sent: SentRequest[] = [];
  const inner = createFetchTransport({ timeoutMs: 300_000 });
  const transport: SyncTransport = async (request) => {
    const entry: SentRequest = {
      mids: request.body.mutations.map((m) => m.mid),
      cursors: Object.keys(request.body.cursors).length,
      jsonBytes: JSON.stringify(request.body).length,
      status: null,
      contentEncoding: null,
      changes: 0,
      inFlightMs: 0,
    };
    sent.push(entry);
    const t0 = performance.now();
    const response = await inner(request).finally(() => {
      entry.inFlightMs = performance.now() - t0;
    });
    entry.status = response.status;
    entry.contentEncoding = response.headers['content-encoding'] ?? null;
    const body = response.body as { changes?: unknown[] } | null;
    entry.changes = Array.isArray(body?.changes) ? body.changes.length : 0;
    return response;
  };
  return { db, device, sent, transport };
}

/** Writes records as the participant would, each in its own transaction with its outbox entry. */
export async function writeLocally(phone: VakaPhone, records: readonly BenchRecord[]): Promise<void> {
  for (const r of records) await createRecord(phone.db, 'followUpActions', { id: r.id, ...r.fields });
}

export interface SyncRun {
  attempts: number;
  failures: number;
  rounds: number;
}

/** Syncs until the engine reports a complete sync, retrying transient failures at once. */
export async function syncUntilComplete(
  phone: VakaPhone,
  baseUrl: string,
  batchSize?: number,
  maxAttempts = 200,
): Promise<SyncRun> {
  let attempts = 0;
  let failures = 0;
  let rounds = 0;
  while (attempts < maxAttempts) {
    attempts++;
    try {
      const outcome = await syncOnce(phone.db, phone.transport, {
        baseUrl,
        lock: 'none',
        locks: null,
        ...(batchSize ? { batchSize } : {}),
      });
      rounds += outcome.rounds;
      if (outcome.complete) return { attempts, failures, rounds };
    } catch (err) {
      if (err instanceof SyncError && err.transient) {
        failures++;
        continue;
      }
      throw err;
    }
  }
  throw new Error(`sync did not complete in ${maxAttempts} attempts`);
}

export async function localState(phone: VakaPhone): Promise<{ actions: number; outbox: number }> {
  return { actions: await phone.db.followUpActions.count(), outbox: await phone.db.outbox.count() };
}

/** Mutation ids sent more than once: the resends a lost response forces. */
export function resentMutations(sent: readonly SentRequest[]): number {
  const seen = new Set<number>();
  let again = 0;
  for (const r of sent) {
    for (const mid of r.mids) {
      if (seen.has(mid)) again++;
      seen.add(mid);
    }
  }
  return again;
}
